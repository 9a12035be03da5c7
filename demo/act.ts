// Driving the demo: one real run of the action per event, checked against the phase it must
// reach, and the headings that number the steps.
import type { GitHubStandIn } from '../test/support/github-stand-in/index.js';
import { runAction, type RunResult } from '../test/support/run-action.js';
import type { SshServers } from '../test/support/sshd.js';
import { seconds, type Out } from './output.js';

/** A step that did not end as it should: the message says what happened instead. */
export class DemoError extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

export interface Demo {
  out: Out;
  gh: GitHubStandIn;
  fleet: SshServers;
  workspace: string;
  entry: string;
  verbose: boolean;
}

export const TOTAL_STEPS = 9;

/** Runs the action on one event and checks the phase it reached. */
export async function act(
  demo: Demo,
  label: string,
  eventName: string,
  payload: object,
  expected: string,
  trusted = false,
): Promise<RunResult> {
  const { out, gh } = demo;
  const s = out.style;
  const result = await runAction({
    gh,
    entry: demo.entry,
    eventName,
    payload,
    // As the README's workflow: the members token always; the SSH key only in trusted runs,
    // which check out the pull request's head (the `path` artifact lives there).
    inputs: {
      'members-token': gh.tokens.members,
      ...(trusted ? { 'ssh-private-key': demo.fleet.clientKey.privateKey } : {}),
    },
    ...(trusted ? { cwd: demo.workspace } : {}),
  });
  const phase = result.outputs.phase ?? '(none)';
  const reached = phase === expected && result.code === 0;
  out.line();
  out.line(
    `  ${s.dim('▶ Action run on')} ${label}${s.dim(':')} phase ${reached ? s.green(phase) : s.red(phase)}${s.dim(
      `, ${seconds(result.durationMs)}`,
    )}`,
  );
  if (demo.verbose || !reached) {
    const log = actionLog(result);
    if (!reached) {
      throw new DemoError(
        `The action run on ${label} should reach phase "${expected}" but ended with "${phase}" (exit code ${result.code}).`,
        ['Its log, last lines:', ...log.slice(-40).map((l) => `  ${l}`)],
      );
    }
    for (const line of log) out.line(s.dim(`    ${line}`));
  }
  return result;
}

/** The action's log as the Actions UI shows it: masks applied, groups indented, commands readable. */
export function actionLog(result: RunResult): string[] {
  const secrets = result.masks.filter((m) => m.length >= 4).sort((a, b) => b.length - a.length);
  const mask = (line: string) => secrets.reduce((l, m) => l.split(m).join('***'), line);
  const lines: string[] = [];
  let inGroup = false;
  for (const line of `${result.stdout}\n${result.stderr}`.split('\n')) {
    if (line.startsWith('::group::')) {
      lines.push(`▸ ${line.slice('::group::'.length)}`);
      inGroup = true;
    } else if (line.startsWith('::endgroup::')) inGroup = false;
    else if (line.trim() !== '' && !/^::(add-mask|debug)::/.test(line)) {
      const text = line.replace(/^::(error|warning|notice)[^:]*::/, '$1: ');
      lines.push(`${inGroup ? '  ' : ''}${text}`);
    }
  }
  return lines.map(mask);
}

/** The `/confirm <digest>` line of the newest prompt (deployment or rollback), as people copy it. */
export function confirmCommand(gh: GitHubStandIn, number: number): string {
  for (const comment of gh.comments(number).reverse()) {
    const line = /^\/confirm [0-9a-f]{12,}$/m.exec(comment.body);
    if (line) return line[0];
  }
  throw new DemoError('No confirmation prompt with a /confirm command was posted.');
}

export function heading(out: Out, title: string): void {
  out.line();
  out.line(out.style.bold(title));
}

export function step(out: Out, n: number, title: string): void {
  const s = out.style;
  const text = ` ${n}/${TOTAL_STEPS}  ${title} `;
  out.line();
  out.line(s.bold(`━━${text}${'━'.repeat(Math.max(2, out.width - text.length - 2))}`));
}
