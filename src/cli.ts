// The `deploy-request` command's entry (bundled to dist/cli.js): everything is in cli/main.ts.
import { runCli } from './cli/main.js';
import { logSafe } from './log-safety.js';

process.exitCode = runCli(
  process.argv.slice(2),
  {
    // Run in a workflow, its output is read by the runner too: no file name may start a command.
    out: (line) => process.stdout.write(`${logSafe(line)}\n`),
    err: (line) => process.stderr.write(`${logSafe(line)}\n`),
  },
  process.env,
);
