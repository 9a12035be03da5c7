// `npm run demo`: the whole flow on this machine, printed as a person reads the pull request.
// A local GitHub stand-in and two real OpenSSH servers; every step is a real run of the bundled
// action (dist/index.js) on the event GitHub would send, exactly as the e2e tests drive it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  issueCommentEvent,
  pullRequestEvent,
  pullRequestReviewEvent,
  workflowDispatchEvent,
} from '../test/support/events.js';
import { ensureSshd, SSHD_PATH } from '../test/support/ensure-sshd.js';
import { repoFiles } from '../test/support/fixtures.js';
import { GitHubStandIn } from '../test/support/github-stand-in/index.js';
import { REPO_ROOT } from '../test/support/repo-root.js';
import { runAction, type RunResult } from '../test/support/run-action.js';
import { startSshServers, type SshServers } from '../test/support/sshd.js';
import { Cleanup } from './cleanup.js';
import { Conversation } from './conversation.js';
import {
  ARTIFACT,
  buildWorkspace,
  checkout,
  CONFIG_PATH,
  DEPLOY_PATH,
  demoConfig,
  demoRequest,
  freePort,
  RELEASE,
  REQUEST_PATH,
} from './fixture.js';
import { seconds, stdoutOut, type Out } from './output.js';
import { killChildren, privateTmpdir } from './processes.js';
import { inspectServers, type ServerReport } from './servers-report.js';

/** A step that did not end as it should: the message says what happened instead. */
export class DemoError extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

interface Demo {
  out: Out;
  gh: GitHubStandIn;
  fleet: SshServers;
  workspace: string;
  entry: string;
  verbose: boolean;
}

const TOTAL_STEPS = 6;

export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  const out = stdoutOut();
  const s = out.style;
  const started = performance.now();
  const cleanup = new Cleanup();
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(130); // a second Ctrl-C: stop now (sshd children still die on exit)
    interrupted = true;
    out.line();
    out.line(s.yellow(`${signal}: stopping the demo and cleaning up…`));
    killChildren(ENTRY);
    void cleanup.run().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  if (argv.includes('--help') || argv.includes('-h')) {
    out.line('npm run demo [-- --verbose]');
    out.line('  Runs the whole flow on this machine (as root): a local GitHub stand-in, two sshd');
    out.line('  servers, and the action on each event, from pull request to deployed release.');
    out.line("  --verbose (or DEMO_VERBOSE=1) also prints each action run's log.");
    return 0;
  }
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await runDemo(out, cleanup, argv.includes('--verbose') || process.env.DEMO_VERBOSE === '1');
    out.line();
    out.line(s.green(s.bold(`✔ Demo finished in ${seconds(performance.now() - started)}.`)));
    return 0;
  } catch (error) {
    if (interrupted) return 130;
    out.line();
    out.line(s.red(s.bold(`✖ ${(error as Error).message}`)));
    if (error instanceof DemoError) for (const line of error.details) out.line(`  ${line}`);
    else if (error instanceof Error && error.stack) out.line(s.dim(error.stack));
    out.line(s.dim(`The demo stopped after ${seconds(performance.now() - started)}.`));
    return 1;
  } finally {
    await cleanup.run();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

// DEMO_ACTION_ENTRY runs another script in place of dist/index.js (the tests use it to make a
// step fail on purpose).
const ENTRY = process.env.DEMO_ACTION_ENTRY || join(REPO_ROOT, 'dist/index.js');

async function runDemo(out: Out, cleanup: Cleanup, verbose: boolean): Promise<void> {
  const s = out.style;
  out.line(s.bold('deploy-request demo'));
  out.line(
    s.dim(
      'A pull request becomes a deployment to two SSH servers on this machine. Every step is a real run\n' +
        'of the action (dist/index.js) against a local GitHub stand-in and real OpenSSH servers.',
    ),
  );
  heading(out, 'Setting up');
  const scratch = privateTmpdir();
  cleanup.add('remove the temp directory', scratch.remove);
  await prerequisites(out, {
    root: process.getuid?.() === 0,
    sshdPresent: existsSync(SSHD_PATH),
    install: ensureSshd,
  });
  const fleet = await startSshServers(2);
  cleanup.add('stop the SSH servers', () => fleet.stop());
  const appPort = await freePort();
  const gh = new GitHubStandIn({
    files: { ...repoFiles(demoConfig(fleet.servers, appPort)), 'README.md': '# web\n' },
    teams: { ops: ['olga', 'oscar'] },
  });
  await gh.start();
  cleanup.add('stop the GitHub stand-in', () => gh.close());
  const { workspace, sha256 } = buildWorkspace();

  const ok = s.green('✔');
  out.line(
    `  ${ok} GitHub stand-in at ${gh.url}: repository ${s.bold(gh.fullName)}, team acme/ops = olga, oscar`,
  );
  for (const server of fleet.servers)
    out.line(
      `  ${ok} SSH server ${s.bold(server.name)}: sshd on 127.0.0.1:${server.port}, user ${server.user}, host key pinned`,
    );
  out.line(`  ${ok} ${s.bold(CONFIG_PATH)} on main (trusted: never read from a pull request):`);
  const rows: [string, string][] = [
    ['environment', `staging: ${fleet.servers.map((x) => x.name).join(', ')}`],
    ['approval', '1. lead: alice  →  2. ops: 2 of acme/ops'],
    ['provision', `${DEPLOY_PATH}/shared/, ${DEPLOY_PATH}/shared/app.env, command "log directory"`],
    ['checks', `disk, memory, binaries tar gzip sh, port ${appPort} free, uname -s = Linux`],
    ['deploy', `~/${DEPLOY_PATH}/releases/<id>, activate, health check ./bin/health`],
  ];
  for (const [k, v] of rows) out.line(`      ${s.dim(k.padEnd(13))}${v}`);
  out.line(`  ${ok} Release artifact built in the workspace: ${s.bold(ARTIFACT)}`);
  out.line(`      ${s.dim('sha256'.padEnd(13))}${sha256}`);
  out.line(s.dim(`  Temporary files: ${scratch.dir} (removed at the end)`));

  const demo: Demo = { out, gh, fleet, workspace, entry: ENTRY, verbose };

  // 1. The developer opens the pull request.
  step(out, 1, 'dev opens a pull request with a deployment request');
  const request = demoRequest(sha256);
  const { number, headSha } = gh.openPull({
    author: 'dev',
    title: `Deploy web ${RELEASE} to staging`,
    headFiles: { [REQUEST_PATH]: request },
  });
  checkout(workspace, headSha);
  const conv = new Conversation(gh, number, out);
  out.line(
    `  ${s.bold('dev')} opened pull request ${s.bold(`#${number}`)} "Deploy web ${RELEASE} to staging", adding ${s.bold(REQUEST_PATH)}:`,
  );
  for (const line of request.trimEnd().split('\n')) out.line(`      ${s.cyan(line)}`);
  await act(
    demo,
    'pull_request (opened)',
    'pull_request',
    pullRequestEvent(gh, 'opened', number),
    'awaiting-approval',
  );
  conv.show();

  // 2–4. The reviewers approve, stage by stage.
  const reviewers: [string, string][] = [
    ['alice', 'the lead approves (stage 1 of 2)'],
    ['olga', 'olga from ops approves (stage 2: 1 of 2)'],
    ['oscar', 'oscar from ops approves (stage 2: 2 of 2)'],
  ];
  for (const [i, [user, title]] of reviewers.entries()) {
    step(out, 2 + i, title);
    const reviewId = gh.review(number, user, 'APPROVED');
    conv.show();
    const last = i === reviewers.length - 1;
    await act(
      demo,
      `pull_request_review (submitted by ${user})`,
      'pull_request_review',
      pullRequestReviewEvent(gh, 'submitted', number, reviewId),
      last ? 'approved' : 'awaiting-approval',
    );
    conv.show();
  }

  // 5. The hand-over: the default branch's workflow, with the SSH key, provisions and checks.
  step(out, 5, 'the trusted run on main provisions and checks the servers');
  const dispatch = gh.dispatches()[0];
  if (!dispatch)
    throw new DemoError('The approval run did not hand over (no workflow_dispatch was made).');
  out.line(
    s.dim('  GitHub starts the dispatched workflow on main; only this run gets the SSH key.'),
  );
  await act(
    demo,
    `workflow_dispatch (pull-request=${number})`,
    'workflow_dispatch',
    workflowDispatchEvent(gh, dispatch),
    'awaiting-confirmation',
    true,
  );
  conv.show();

  // 6. The requester confirms with the exact command from the prompt.
  step(out, 6, 'dev confirms with the command from the prompt');
  const command = confirmCommand(gh, number);
  const commentId = gh.comment(number, 'dev', command);
  conv.show();
  await act(
    demo,
    'issue_comment (created by dev)',
    'issue_comment',
    issueCommentEvent(gh, 'created', commentId),
    'deployed',
    true,
  );
  conv.show();

  heading(out, 'On the servers (read over SSH)');
  const reports = await inspectServers(fleet.servers, fleet.clientKey.privateKey);
  for (const report of reports) printServer(out, report);
  const bad = reports.filter((r) => !r.current || !r.health.ok);
  if (bad.length > 0) {
    throw new DemoError(
      `The deployment reported success, but ${bad.map((r) => r.name).join(', ')} ${bad.length === 1 ? 'is' : 'are'} not healthy.`,
    );
  }
  out.line();
  out.line(
    s.green(
      `Deployed: web ${RELEASE} is live on ${reports.map((r) => r.name).join(' and ')}, after 3 approvals and dev's confirmation.`,
    ),
  );
}

/** Root (for the servers' Linux users) and an OpenSSH server: installed when root, else explained. */
export async function prerequisites(
  out: Out,
  o: { root: boolean; sshdPresent: boolean; install: () => Promise<void> },
): Promise<void> {
  if (!o.root) {
    throw new DemoError('npm run demo needs root.', [
      'It starts two real OpenSSH servers, each as its own Linux user (dr-test-<n>),',
      'and creates those users. Run it as root (sudo npm run demo) or as root in a container.',
      ...(o.sshdPresent
        ? []
        : [
            `It also needs ${SSHD_PATH}, which is missing: install the "openssh-server" package`,
            '(Debian/Ubuntu: sudo apt-get install -y openssh-server); as root the demo installs it itself.',
          ]),
    ]);
  }
  if (!o.sshdPresent)
    out.line(`  … ${SSHD_PATH} is missing: installing openssh-server with apt-get`);
  try {
    await o.install();
  } catch (error) {
    throw new DemoError('No OpenSSH server to start.', [(error as Error).message]);
  }
  out.line(`  ${out.style.green('✔')} OpenSSH server: ${SSHD_PATH}`);
}

/** Runs the action on one event and checks the phase it reached. */
async function act(
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

/** The `/confirm <digest>` line of the confirmation prompt, as the requester copies it. */
function confirmCommand(gh: GitHubStandIn, number: number): string {
  for (const comment of gh.comments(number).reverse()) {
    const line = /^\/confirm [0-9a-f]{12,}$/m.exec(comment.body);
    if (line) return line[0];
  }
  throw new DemoError('No confirmation prompt with a /confirm command was posted.');
}

function printServer(out: Out, report: ServerReport): void {
  const s = out.style;
  out.line();
  out.line(`  ${s.bold(report.name)} ${s.dim(`(${report.target})`)}`);
  out.line(
    `    ${report.current ? `current -> ${s.bold(report.current)}` : s.red('no current release')}`,
  );
  if (report.metadata) {
    out.line(`    ${s.dim(`${report.current}/.deploy-request.json:`)}`);
    for (const line of compactJson(report.metadata).split('\n')) out.line(`      ${s.cyan(line)}`);
  }
  const health = report.health.ok ? s.green('passed') : s.red('failed');
  out.line(`    health check ${s.dim('./bin/health:')} ${health}  ${report.health.output}`);
  if (report.live) out.line(`    ${s.dim('shared/live (written by activate):')} ${report.live}`);
}

/** Pretty JSON with arrays of plain values on one line. */
export function compactJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /\[\s*([^[\]{}]*?)\s*\]/g,
    (_, items: string) => `[${items.split(/,\s*/).join(', ')}]`,
  );
}

function heading(out: Out, title: string): void {
  out.line();
  out.line(out.style.bold(title));
}

function step(out: Out, n: number, title: string): void {
  const s = out.style;
  const text = ` ${n}/${TOTAL_STEPS}  ${title} `;
  out.line();
  out.line(s.bold(`━━${text}${'━'.repeat(Math.max(2, out.width - text.length - 2))}`));
}
