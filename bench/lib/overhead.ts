// What the action costs around the SSH work: bundle size, cold start to the first API request,
// API calls per event type (counted by the GitHub stand-in), and CLI validation throughput.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { dump } from 'js-yaml';
import {
  issueCommentEvent,
  pullRequestEvent,
  pullRequestReviewEvent,
  workflowDispatchEvent,
} from '../../test/support/events.js';
import { startGitHub, type GitHubStandIn } from '../../test/support/github-stand-in/index.js';
import { buildRouter } from '../../test/support/github-stand-in/server.js';
import { runAction, type RunResult } from '../../test/support/run-action.js';
import type { TestServer } from '../../test/support/sshd.js';
import { run } from './proc.js';
import { summarize, type Summary } from './stats.js';
import { EXAMPLE_WORKFLOW } from '../../test/support/workflow.js';

export const CONFIG_PATH = '.github/deploy-request.yml';
export const REQUEST_PATH = 'deploy-requests/web-1.4.2.yml';
const TEAMS = { 'team-leads': ['tina'], ops: ['olga', 'oscar', 'otto'] };

export async function bundleSize(root: string): Promise<{ indexBytes: number; cliBytes: number }> {
  const [index, cli] = await Promise.all([
    stat(path.join(root, 'dist/index.js')),
    stat(path.join(root, 'dist/cli.js')),
  ]);
  return { indexBytes: index.size, cliBytes: cli.size };
}

/** The SPEC's shape: lead (a user or a team member), then two of ops; checks and a deploy block. */
function configFor(servers: TestServer[]): string {
  return dump(
    {
      version: 1,
      environments: {
        staging: {
          servers: servers.map((s) => ({
            name: s.name,
            host: s.host,
            port: s.port,
            user: s.user,
            host_key: s.hostKey,
          })),
          approval: {
            stages: [
              { name: 'lead', reviewers: ['alice', 'acme/team-leads'], required: 1 },
              { name: 'ops', reviewers: ['acme/ops'], required: 2 },
            ],
          },
          provision: {
            directories: [{ path: 'app/shared', mode: '0750' }],
            files: [{ path: 'app/shared/app.env', content: 'PORT=8080\n', mode: '0600' }],
          },
          checks: {
            disk_free: { path: '.', min_mb: 1 },
            memory_available_mb: 16,
            binaries: ['tar', 'sh', 'sha256sum'],
            ports_free: [9090, 9091],
            commands: [{ name: 'kernel', run: 'uname -s', expect: '^Linux$' }],
          },
          deploy: {
            path: 'app',
            request_variables: ['FEATURE_CHECKOUT'],
            activate: 'echo "$RELEASE" > "$HOME/activated"',
            health_check: { run: 'test -f "$RELEASE_DIR/index.html"', retries: 2, interval_s: 1 },
          },
          confirm: { within_hours: 24 },
        },
      },
    },
    { lineWidth: 200 },
  );
}

async function smallWorkspace(dir: string): Promise<{ workspace: string; sha256: string }> {
  const workspace = path.join(dir, 'workspace');
  const src = path.join(dir, 'src');
  await mkdir(path.join(workspace, 'build'), { recursive: true });
  await mkdir(src, { recursive: true });
  await writeFile(path.join(src, 'index.html'), 'hello 1.4.2\n');
  const file = path.join(workspace, 'build/web.tar.gz');
  await run('tar', ['-czf', file, '-C', src, '.'], { timeoutMs: 30_000 });
  const sha256 = createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
  return { workspace, sha256 };
}

function requestText(sha256: string): string {
  return [
    'version: 1',
    'application: web',
    'environment: staging',
    'release: 1.4.2',
    'artifact:',
    '  path: build/web.tar.gz',
    `  sha256: "${sha256}"`,
    'reason: Roll out the new checkout flow',
    "variables: { FEATURE_CHECKOUT: 'on' }",
    '',
  ].join('\n');
}

async function repo(servers: TestServer[]): Promise<GitHubStandIn> {
  return startGitHub({
    files: {
      [CONFIG_PATH]: configFor(servers),
      'README.md': '# app\n',
      '.github/workflows/deploy-request.yml': EXAMPLE_WORKFLOW,
    },
    teams: TEAMS,
  });
}

export interface ApiCount {
  event: string;
  calls: number;
  phase: string;
  list: string[];
}

/** validate → 3 reviews (the last hands over) → dispatch (real sshd) → /confirm, counting calls. */
export async function apiCalls(
  root: string,
  servers: TestServer[],
  key: string,
  dir: string,
): Promise<ApiCount[]> {
  const gh = await repo(servers);
  try {
    const { workspace, sha256 } = await smallWorkspace(dir);
    const { number, headSha } = gh.openPull({
      author: 'dev',
      headFiles: { [REQUEST_PATH]: requestText(sha256) },
    });
    await mkdir(path.join(workspace, '.git'), { recursive: true });
    await writeFile(path.join(workspace, '.git/HEAD'), `${headSha}\n`);
    const counts: ApiCount[] = [];
    const measure = async (event: string, go: () => Promise<RunResult>, want: string) => {
      gh.clearCalls();
      const result = await go();
      const list = gh.calls({}).map((c) => `${c.method} ${c.path} ${c.status}`);
      const phase = result.outputs.phase ?? `none (exit ${result.code})`;
      if (phase !== want) {
        throw new Error(
          `${event}: expected phase ${want}, got ${phase}\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-2000)}`,
        );
      }
      counts.push({ event, calls: list.length, phase, list });
    };
    const act = (eventName: string, payload: object, inputs: Record<string, string> = {}) =>
      runAction({
        gh,
        eventName,
        payload,
        entry: path.join(root, 'dist/index.js'),
        cwd: workspace,
        timeoutMs: 120_000,
        inputs: { 'members-token': gh.tokens.members, ...inputs },
      });
    await measure(
      'validate (PR opened)',
      () => act('pull_request', pullRequestEvent(gh, 'opened', number)),
      'awaiting-approval',
    );
    const reviews: Array<[string, string, string]> = [
      ['tina', 'review (lead approves)', 'awaiting-approval'],
      ['olga', 'review (ops 1 of 2)', 'awaiting-approval'],
      ['oscar', 'review (ops 2 of 2, hand-over)', 'approved'],
    ];
    for (const [user, event, want] of reviews) {
      const id = gh.review(number, user, 'APPROVED');
      await measure(
        event,
        () => act('pull_request_review', pullRequestReviewEvent(gh, 'submitted', number, id)),
        want,
      );
    }
    const dispatch = gh.dispatches().at(-1);
    if (!dispatch) throw new Error('the last approval dispatched nothing');
    let digest = '';
    await measure(
      `dispatch run (${servers.length} sshd servers)`,
      async () => {
        const r = await act('workflow_dispatch', workflowDispatchEvent(gh, dispatch), {
          'ssh-private-key': key,
        });
        digest = r.outputs.digest ?? '';
        return r;
      },
      'awaiting-confirmation',
    );
    const comment = gh.comment(number, 'dev', `/confirm ${digest}`);
    await measure(
      `confirm (deploys to ${servers.length} servers)`,
      () =>
        act('issue_comment', issueCommentEvent(gh, 'created', comment), { 'ssh-private-key': key }),
      'deployed',
    );
    return counts;
  } finally {
    await gh.close();
  }
}

/**
 * Spawn of `node dist/index.js` (pull_request opened) to the first request the stand-in receives.
 * The stand-in's router is served by our own listener, which notes when a request arrives.
 */
export async function coldStart(
  root: string,
  servers: TestServer[],
  runs: number,
): Promise<Summary> {
  const gh = await repo(servers);
  const router = buildRouter(gh.state);
  let first: number | undefined;
  const server = createServer((req, res) => {
    first ??= performance.now();
    router.handle(req, res).catch(() => {
      res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let tempDir: string | undefined;
  try {
    const { number } = gh.openPull({
      author: 'dev',
      headFiles: { [REQUEST_PATH]: requestText(createHash('sha256').update('cold').digest('hex')) },
    });
    // One ordinary run (also the warm-up) gives the runner environment to repeat.
    const warm = await runAction({
      gh,
      eventName: 'pull_request',
      payload: pullRequestEvent(gh, 'opened', number),
      entry: path.join(root, 'dist/index.js'),
      env: { GITHUB_API_URL: url },
      inputs: { 'members-token': gh.tokens.members },
      keepTemp: true,
      timeoutMs: 60_000,
    });
    tempDir = warm.tempDir;
    if (warm.outputs.phase !== 'awaiting-approval') {
      throw new Error(
        `cold start: the run ended in ${warm.outputs.phase}: ${warm.stdout.slice(-2000)}`,
      );
    }
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      first = undefined;
      const t0 = performance.now();
      const child = spawn(process.execPath, [path.join(root, 'dist/index.js')], {
        cwd: warm.env.GITHUB_WORKSPACE,
        env: warm.env,
        stdio: 'ignore',
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      const watchdog = setTimeout(() => child.kill('SIGKILL'), 60_000);
      const code = await exited.finally(() => clearTimeout(watchdog));
      if (first === undefined) throw new Error(`cold start: no API request (exit ${code})`);
      samples.push(first - t0);
    }
    return summarize(samples);
  } finally {
    await new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await gh.close();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
}

export interface Validation {
  files: number;
  total: Summary;
  single: Summary;
  msPerFile: number;
  marginalMsPerFile: number;
}

/** `node dist/cli.js validate <1000 files> --config …` */
export async function validation(root: string, dir: string, rounds: number): Promise<Validation> {
  const files = 1000;
  const reqDir = path.join(dir, 'deploy-requests');
  await mkdir(reqDir, { recursive: true });
  const template = await readFile(path.join(root, 'test/fixtures/requests/valid.yml'), 'utf8');
  const names: string[] = [];
  for (let i = 0; i < files; i++) {
    const name = `deploy-requests/web-${String(i).padStart(4, '0')}.yml`;
    await writeFile(path.join(dir, name), template.replace('release: 1.4.2', `release: 1.4.${i}`));
    names.push(name);
  }
  const config = path.join(root, 'test/fixtures/config/valid.yml');
  const cli = path.join(root, 'dist/cli.js');
  const once = async (list: string[]) => {
    const r = await run(process.execPath, [cli, 'validate', ...list, '--config', config], {
      cwd: dir,
      timeoutMs: 120_000,
      allowFail: true,
    });
    if (r.code !== 0)
      throw new Error(`validate exited ${r.code}: ${r.stdout.slice(-500)}${r.stderr.slice(-500)}`);
    return r.ms;
  };
  await once(names); // warm-up
  const total: number[] = [];
  const single: number[] = [];
  for (let i = 0; i < rounds; i++) {
    total.push(await once(names));
    single.push(await once(names.slice(0, 1)));
  }
  const t = summarize(total);
  const s = summarize(single);
  return {
    files,
    total: t,
    single: s,
    msPerFile: t.median / files,
    marginalMsPerFile: (t.median - s.median) / (files - 1),
  };
}
