// The `deploy-request` command's entry (bundled to dist/cli.js): everything is in cli/main.ts.
import { runCli } from './cli/main.js';

process.exitCode = runCli(
  process.argv.slice(2),
  {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  },
  process.env,
);
