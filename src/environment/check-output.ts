// Turns the check script's lines into CheckResults (pure: regexes run here, on the runner).
import type { ChecksConfig } from '../config/types.js';
import { CHECK_MARK, CHECK_TIMEOUT_S } from './check-script.js';
import type { CheckResult } from './types.js';

export const NO_ANSWER = 'no answer from the server';

/** A command's output (base64: cut at a byte count, any content). */
function decoded(base64: string | undefined): string {
  return base64 ? Buffer.from(base64, 'base64').toString('utf8') : '';
}

/** The free text at the end of a line (a path, a name): the words joined again. */
function rest(fields: string[] | undefined, from = 0): string {
  return (fields ?? []).slice(from).join(' ');
}

function clip(value: string, max = 200): string {
  const oneLine = value.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** Lines by kind ("binary 3" for indexed kinds); the first line of each wins. */
function collect(stdout: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const line of stdout.split('\n')) {
    const [mark, kind, ...rest] = line.split(' ');
    if (mark !== CHECK_MARK || !kind) continue;
    const key = kind === 'binary' || kind === 'command' ? `${kind} ${rest.shift()}` : kind;
    if (!found.has(key)) found.set(key, rest);
  }
  return found;
}

function commandResult(
  fields: string[] | undefined,
  name: string,
  expect: string | undefined,
): CheckResult {
  const expected = expect ? `exit 0, output matches /${expect}/` : 'exit 0';
  if (!fields) return { name, expected, actual: NO_ANSWER, passed: false };
  const code = Number(fields[0]);
  const stdout = decoded(fields[1]).trim();
  const stderr = decoded(fields[2]).trim();
  if (code === 124)
    return { name, expected, actual: `timed out after ${CHECK_TIMEOUT_S} s`, passed: false };
  if (code !== 0) {
    return {
      name,
      expected,
      actual: clip(`exit ${fields[0]}${stderr || stdout ? `: ${stderr || stdout}` : ''}`),
      passed: false,
    };
  }
  if (!expect) return { name, expected, actual: clip(stdout) || 'exit 0', passed: true };
  let pattern: RegExp;
  try {
    pattern = new RegExp(expect);
  } catch (error) {
    return {
      name,
      expected,
      actual: `invalid expect pattern: ${(error as Error).message}`,
      passed: false,
    };
  }
  return { name, expected, actual: clip(stdout) || '(no output)', passed: pattern.test(stdout) };
}

export function parseCheckOutput(stdout: string, checks: ChecksConfig): CheckResult[] {
  const found = collect(stdout);
  const results: CheckResult[] = [];
  for (const fact of ['os', 'arch']) {
    const value = found.get(fact);
    results.push({
      name: fact,
      expected: '',
      actual: value ? rest(value).trim() : NO_ANSWER,
      passed: true,
      info: true,
    });
  }
  if (checks.disk_free) {
    const { path, min_mb } = checks.disk_free;
    const disk = found.get('disk');
    const kb = disk?.[0];
    const mb = Math.floor(Number(kb) / 1024);
    const checked = rest(disk, 1);
    const on =
      checked && checked !== path && checked !== `./${path}`
        ? ` (on ${checked}, the nearest existing parent)`
        : '';
    results.push({
      name: `disk free ${path}`,
      expected: `≥ ${min_mb} MB`,
      actual:
        kb === undefined
          ? NO_ANSWER
          : Number.isFinite(mb)
            ? `${mb} MB${on}`
            : `unknown: df gave no answer for ${checked}`,
      passed: Number.isFinite(mb) && mb >= min_mb,
    });
  }
  if (checks.memory_available_mb !== undefined) {
    const fields = found.get('memory');
    const mb = Math.floor(Number(fields?.[0] || NaN) / 1024);
    results.push({
      name: 'memory available',
      expected: `≥ ${checks.memory_available_mb} MB`,
      actual: !fields
        ? NO_ANSWER
        : Number.isFinite(mb)
          ? `${mb} MB`
          : 'unknown (no MemAvailable in /proc/meminfo)',
      passed: Number.isFinite(mb) && mb >= checks.memory_available_mb,
    });
  }
  (checks.binaries ?? []).forEach((binary, i) => {
    const fields = found.get(`binary ${i}`);
    const where = rest(fields).trim();
    results.push({
      name: `binary ${binary}`,
      expected: 'installed (on PATH)',
      actual: !fields ? NO_ANSWER : where || 'not found',
      passed: where !== '',
    });
  });
  const ports = checks.ports_free ?? [];
  const listen = found.get('listen');
  const listening = new Set((listen ?? []).filter(Boolean).map((hex) => parseInt(hex, 16)));
  for (const port of ports) {
    const busy = listening.has(port);
    results.push({
      name: `port ${port} free`,
      expected: 'nothing listening',
      actual: !listen ? NO_ANSWER : busy ? 'in use: something listens on it' : 'free',
      passed: Boolean(listen) && !busy,
    });
  }
  (checks.commands ?? []).forEach((command, i) => {
    results.push(commandResult(found.get(`command ${i}`), command.name, command.expect));
  });
  return results;
}
