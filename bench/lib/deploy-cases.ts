// The deploy contenders: our engine (in a fresh child process), baseline A (parallel scp, then one
// ssh per server: verify, unpack, switch) and Ansible (copy + unarchive + symlink).
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readlink, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { hashFile } from '../../src/deploy/hash-stream.js';
import type { TestServer } from '../../test/support/sshd.js';
import type { DeployChildInput, DeployChildOutput } from '../deploy-child.js';
import type { Ansible } from './ansible.js';
import { serverConfigs, sshOptions, type Fleet } from './fleet.js';
import { run } from './proc.js';

export const ARTIFACT_MIB = 64;
export const DIRS = { ours: 'bench-ours', a: 'bench-a', ansible: 'bench-ansible' };

export interface Artifact {
  workspace: string;
  /** Relative to workspace. */
  relative: string;
  file: string;
  size: number;
  /** What the request names (every artifact is bound to its sha256). */
  sha256: string;
  /** Size of app.bin, the random payload inside. */
  payloadBytes: number;
}

/** `mib` MiB of random bytes (incompressible, like a real compressed payload) in a tar, gzip'd. */
export async function makeArtifact(dir: string, mib = ARTIFACT_MIB): Promise<Artifact> {
  const workspace = path.join(dir, 'workspace');
  const payload = path.join(dir, 'payload');
  await mkdir(path.join(workspace, 'build'), { recursive: true });
  await mkdir(path.join(payload, 'bin'), { recursive: true });
  const out = createWriteStream(path.join(payload, 'app.bin'));
  for (let i = 0; i < mib; i++) {
    if (!out.write(randomBytes(1 << 20))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  await writeFile(path.join(payload, 'index.html'), '<h1>bench</h1>\n');
  await writeFile(path.join(payload, 'bin', 'start'), '#!/bin/sh\nexec true\n', { mode: 0o755 });
  const relative = 'build/app.tar.gz';
  const file = path.join(workspace, relative);
  await run('sh', ['-c', 'tar -cf - -C "$1" . | gzip -1 > "$2"', 'sh', payload, file], {
    timeoutMs: 120_000,
  });
  const { sha256 } = await hashFile(file);
  return {
    workspace,
    relative,
    file,
    size: (await stat(file)).size,
    sha256,
    payloadBytes: mib * 2 ** 20,
  };
}

/** Numbers every run (release ids, temp files), unique across contender sets. */
let seq = 0;

export interface DeployRun {
  ms: number;
  /** The release directory name `current` must point to afterwards. */
  release: string;
  /** Ours only. */
  detail?: {
    prepareMs: number;
    rolloutMs: number;
    childWallMs: number;
    maxRssMiB: number;
    cpuS: number;
    steps: Record<string, number>;
  };
}

/** Every server switched: `current` -> releases/<release>, holding the whole payload. */
export async function assertDeployed(
  servers: TestServer[],
  dir: string,
  release: string,
  who: string,
  payloadBytes = ARTIFACT_MIB * 2 ** 20,
): Promise<void> {
  for (const s of servers) {
    const base = path.join(s.home, dir);
    const target = await readlink(path.join(base, 'current')).catch(() => '(none)');
    const size = await stat(path.join(base, 'releases', release, 'app.bin')).then(
      (st) => st.size,
      () => -1,
    );
    if (target.replace(/\/$/, '') !== `releases/${release}` || size !== payloadBytes) {
      throw new Error(
        `${who} on ${s.name}: current -> ${target}, app.bin ${size} bytes; expected releases/${release} with the payload`,
      );
    }
  }
}

export interface Contenders {
  ours(servers: TestServer[]): Promise<DeployRun>;
  a(servers: TestServer[]): Promise<DeployRun>;
  ansible?(servers: TestServer[]): Promise<DeployRun>;
}

export async function deployContenders(o: {
  fleet: Fleet;
  artifact: Artifact;
  dir: string;
  childScript: string;
  ansible?: Ansible;
}): Promise<Contenders> {
  const { fleet, artifact, dir } = o;
  // Baseline A's working directory exists beforehand (scp does not create it).
  await Promise.all(
    fleet.servers.map((s) =>
      run('install', ['-d', '-o', s.user, path.join(s.home, DIRS.a)], { timeoutMs: 10_000 }),
    ),
  );
  const ssh = sshOptions(fleet);

  const contenders: Contenders = {
    async ours(servers) {
      const n = ++seq;
      const inputFile = path.join(dir, `deploy-child-${n}.json`);
      const tempDir = path.join(dir, `deploy-child-${n}`);
      await mkdir(tempDir);
      const input: DeployChildInput = {
        privateKey: fleet.privateKey,
        servers: serverConfigs(servers),
        workspace: artifact.workspace,
        artifactPath: artifact.relative,
        artifactSha256: artifact.sha256,
        tempDir,
        deployPath: DIRS.ours,
        seq: n,
      };
      await writeFile(inputFile, JSON.stringify(input), { mode: 0o600 });
      const r = await run(process.execPath, [o.childScript, inputFile], { timeoutMs: 300_000 });
      const line = r.stdout.trim().split('\n').at(-1) ?? '';
      const out = JSON.parse(line) as DeployChildOutput;
      if (!out.ok)
        throw new Error(`our deploy failed: ${out.errors.join('; ')}\n${r.stderr.slice(-2000)}`);
      return {
        ms: out.engineMs,
        release: out.releaseId,
        detail: {
          prepareMs: out.prepareMs,
          rolloutMs: out.rolloutMs,
          childWallMs: r.ms,
          maxRssMiB: out.maxRssMiB,
          cpuS: out.cpuS,
          steps: out.steps,
        },
      };
    },

    async a(servers) {
      const release = `r${++seq}`;
      const upload = `upload-${release}.tar.gz`;
      const t0 = performance.now();
      const sha = (await run('sha256sum', [artifact.file], { timeoutMs: 60_000 })).stdout.split(
        ' ',
      )[0];
      const script =
        `cd ${DIRS.a} && printf '%s  %s\\n' ${sha} ${upload} | sha256sum -c --quiet - && ` +
        `mkdir -p releases/${release} && tar -xzf ${upload} -C releases/${release} && ` +
        `rm -f ${upload} && ln -sfn releases/${release} current.tmp && mv -T current.tmp current`;
      await Promise.all(
        servers.map(async (s) => {
          await run(
            'scp',
            [
              ...ssh,
              '-q',
              '-P',
              String(s.port),
              artifact.file,
              `${s.user}@${s.host}:${DIRS.a}/${upload}`,
            ],
            { timeoutMs: 300_000 },
          );
          await run('ssh', [...ssh, '-p', String(s.port), `${s.user}@${s.host}`, script], {
            timeoutMs: 300_000,
          });
        }),
      );
      return { ms: performance.now() - t0, release };
    },
  };
  const ansible = o.ansible;
  if (ansible) {
    contenders.ansible = async (servers) => {
      const release = `r${++seq}`;
      try {
        const r = await ansible.playbook('deploy', servers, { release, artifact: artifact.file });
        return { ms: r.ms, release };
      } finally {
        await ansible.closeMasters();
      }
    };
  }
  return contenders;
}
