// `deploy-request validate|plan`: the same checks the action runs, on this machine. User mistakes
// get one line each (`file:line:col: message`) and an exit code, never a stack trace.
// src/cli.ts is the bundle's entry; it only calls runCli with the process's arguments.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load-config.js';
import { DEFAULT_CONFIG_PATH, type DeployRequestConfig } from '../config/types.js';
import { formatProblem, type Problem } from '../problem.js';
import { selectRequestFiles } from '../request/find-request-files.js';
import { formatPlan } from '../request/format-plan.js';
import { loadRequest } from '../request/load-request.js';
import { buildPlan } from '../request/plan.js';
import { MAX_YAML_BYTES, tooLargeMessage } from '../yaml/parse-yaml.js';

const USAGE = `Usage:
  deploy-request validate [FILES...] [--config PATH]
      Check deployment request files (default: every file under the configuration's
      request paths below the current directory). Prints "ok FILE" or
      "file:line:col: message" lines.
  deploy-request plan FILE [--config PATH]
      Print the approval stages, servers, batches and checks FILE would go through.

Options:
  -c, --config PATH   configuration file (default ${DEFAULT_CONFIG_PATH})
  -h, --help          show this help

Exit status: 0 all valid, 1 problems found, 2 wrong usage.
`;

class UsageError extends Error {}

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

type Read = { ok: true; text: string } | { ok: false; line: string };

function readText(file: string): Read {
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) return { ok: false, line: `${file}: cannot read: is a directory` };
    if (stat.size > MAX_YAML_BYTES) {
      return {
        ok: false,
        line: formatProblem({ file, line: 1, column: 1, message: tooLargeMessage(stat.size) }),
      };
    }
    return { ok: true, text: readFileSync(file, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : (error as Error).message;
    return { ok: false, line: `${file}: cannot read: ${why}` };
  }
}

function printProblems(problems: readonly Problem[], io: Io): void {
  for (const problem of problems) io.out(formatProblem(problem));
}

function readConfig(path: string, io: Io): DeployRequestConfig | undefined {
  const read = readText(path);
  if (!read.ok) {
    io.out(path === DEFAULT_CONFIG_PATH ? `${read.line} (pass --config PATH)` : read.line);
    return undefined;
  }
  const loaded = loadConfig(read.text, path);
  if (loaded.ok) return loaded.value;
  printProblems(loaded.problems, io);
  return undefined;
}

/** Every file below `root` (as forward-slash relative paths), skipping .git and node_modules. */
function listFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git' && entry.name !== 'node_modules') walk(path);
      } else if (entry.isFile()) files.push(relative(root, path).split(sep).join('/'));
    }
  };
  walk(root);
  return files.sort();
}

function validate(files: string[], configPath: string, io: Io): number {
  const config = readConfig(configPath, io);
  if (!config) return 1;
  if (files.length === 0) {
    const found = listFiles(process.cwd()).map((filename) => ({ filename, status: 'added' }));
    files = selectRequestFiles(found, config.requests.paths).map((f) => f.filename);
    if (files.length === 0) {
      io.err(`no request files found (looked for ${config.requests.paths.join(', ')})`);
      return 0;
    }
  }
  let failed = 0;
  for (const file of files) {
    const read = readText(file);
    if (!read.ok) {
      io.out(read.line);
      failed++;
      continue;
    }
    const loaded = loadRequest(read.text, file, config, { configFile: configPath });
    if (loaded.ok) io.out(`ok ${file}`);
    else {
      printProblems(loaded.problems, io);
      failed++;
    }
  }
  if (failed > 0)
    io.err(`${failed} of ${files.length} file${files.length === 1 ? '' : 's'} invalid`);
  return failed > 0 ? 1 : 0;
}

function plan(files: string[], configPath: string, io: Io): number {
  if (files.length !== 1) throw new UsageError('plan takes exactly one FILE');
  const file = files[0] as string;
  const config = readConfig(configPath, io);
  if (!config) return 1;
  const read = readText(file);
  if (!read.ok) {
    io.out(read.line);
    return 1;
  }
  const loaded = loadRequest(read.text, file, config, { configFile: configPath });
  if (!loaded.ok) {
    printProblems(loaded.problems, io);
    return 1;
  }
  io.out(formatPlan(buildPlan(loaded.value, config), config).trimEnd());
  return 0;
}

export function main(argv: string[], io: Io): number {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.out(USAGE.trimEnd());
      return 0;
    }
    const [command, ...files] = positionals;
    const configPath = values.config ?? DEFAULT_CONFIG_PATH;
    if (command === 'validate') return validate(files, configPath, io);
    if (command === 'plan') return plan(files, configPath, io);
    throw new UsageError(command === undefined ? 'missing command' : `unknown command: ${command}`);
  } catch (error) {
    const usage =
      error instanceof UsageError ||
      (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
    if (!usage) throw error;
    io.err(`deploy-request: ${(error as Error).message}\n\n${USAGE.trimEnd()}`);
    return 2;
  }
}

/**
 * The whole command: `main`, plus the last line of defence. A bug of ours (not a user mistake) is
 * said briefly with exit code 3; DEBUG=1 shows the stack.
 */
export function runCli(argv: string[], io: Io, env: Record<string, string | undefined>): number {
  try {
    return main(argv, io);
  } catch (error) {
    io.err(
      `deploy-request: unexpected error: ${error instanceof Error ? error.message : String(error)}`,
    );
    if (env.DEBUG) io.err((error as Error).stack ?? '');
    return 3;
  }
}
