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
import { startSshServers } from '../test/support/sshd.js';
import { act, confirmCommand, DemoError, heading, step, type Demo } from './act.js';
import { Cleanup } from './cleanup.js';
import { Conversation } from './conversation.js';
import {
  ARTIFACT,
  buildWorkspace,
  checkout,
  CONFIG_PATH,
  DEPLOY_PATH,
  demoConfig,
  demoFreeze,
  demoRequest,
  freePort,
  NEXT_RELEASE,
  RELEASE,
  REQUEST_PATH,
} from './fixture.js';
import { releaseThenRollBack } from './rollback-steps.js';
import { seconds, stdoutOut, type Out } from './output.js';
import { killChildren, privateTmpdir } from './processes.js';
import { inspectServers, type ServerReport } from './servers-report.js';

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
  const freeze = demoFreeze();
  const rows: [string, string][] = [
    ['environment', `staging: ${fleet.servers.map((x) => x.name).join(', ')}`],
    ['approval', '1. lead: alice  →  2. ops: 2 of acme/ops'],
    ['provision', `${DEPLOY_PATH}/shared/, ${DEPLOY_PATH}/shared/app.env, command "log directory"`],
    ['checks', `disk, memory, binaries tar gzip sh, port ${appPort} free, uname -s = Linux`],
    ['deploy', `~/${DEPLOY_PATH}/releases/<id>, activate, health check ./bin/health`],
    ['windows', `UTC, ${freeze.reason} ${freeze.from} to ${freeze.to}: /confirm refused then`],
    ['break-glass', '/emergency <reason>: 1 of acme/ops, skips windows; alice reviews within 24h'],
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

  await releaseThenRollBack(demo);
  heading(out, 'On the servers after the rollback (read over SSH)');
  const after = await inspectServers(fleet.servers, fleet.clientKey.privateKey);
  for (const report of after) {
    const health = report.health.ok ? s.green('health check passed') : s.red('health check failed');
    out.line(
      `  ${s.bold(report.name)}: current -> ${s.bold(report.current)} (web ${String(report.metadata?.release)}), ${health}`,
    );
  }
  const wrong = after.filter((r) => r.metadata?.release !== RELEASE || !r.health.ok);
  if (wrong.length > 0)
    throw new DemoError(
      `The rollback reported success, but ${wrong.map((r) => r.name).join(', ')} did not go back to web ${RELEASE}.`,
    );
  out.line();
  out.line(
    s.green(
      `Rolled back: web ${RELEASE} is live again on ${after.map((r) => r.name).join(' and ')}; web ${NEXT_RELEASE} is marked bad in the servers' ledgers and is never offered again.`,
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
