// What the action costs around the SSH work: bundle size, cold start to the first API request and
// CLI validation throughput. (API requests per run are counted in bench/whole-run/.)
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pullRequestEvent } from '../../test/support/events.js';
import {
  configFor,
  repoFiles,
  REQUEST_PATH,
  requestText,
  TEAMS,
} from '../../test/support/fixtures.js';
import { startGitHub, type GitHubStandIn } from '../../test/support/github-stand-in/index.js';
import { buildRouter } from '../../test/support/github-stand-in/server.js';
import { runAction } from '../../test/support/run-action.js';
import type { TestServer } from '../../test/support/sshd.js';
import { run } from './proc.js';
import { summarize, type Summary } from './stats.js';

/** The action's bundle is dist/index.js and the chunks it loads on demand (dist/index-*.js). */
export async function bundleSize(
  root: string,
): Promise<{ indexBytes: number; startBytes: number; cliBytes: number }> {
  const dist = path.join(root, 'dist');
  const names = await readdir(dist);
  const sizeOf = async (name: string): Promise<number> => (await stat(path.join(dist, name))).size;
  const index = await Promise.all(
    names.filter((n) => n === 'index.js' || n.startsWith('index-')).map(sizeOf),
  );
  return {
    indexBytes: index.reduce((a, b) => a + b, 0),
    startBytes: await sizeOf('index.js'),
    cliBytes: await sizeOf('cli.js'),
  };
}

async function repo(servers: TestServer[]): Promise<GitHubStandIn> {
  return startGitHub({ files: repoFiles(configFor(servers)), teams: TEAMS });
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
      headFiles: { [REQUEST_PATH]: requestText() },
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
