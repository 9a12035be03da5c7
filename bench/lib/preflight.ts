// What the bench needs on this machine: root (the sshd harness creates users), OpenSSH server and
// client, tar/gzip/sha256sum, and ansible-core (installed with apt when missing and root).
import os from 'node:os';
import { ensureSshd } from '../../test/support/ensure-sshd.js';
import { run, which } from './proc.js';

export interface Tools {
  ansiblePlaybook?: string;
  /** Why Ansible cases are skipped, when they are. */
  ansibleMissing?: string;
  versions: Record<string, string>;
}

const APT_ENV = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };

async function aptInstall(pkg: string, log: (line: string) => void): Promise<void> {
  const install = () =>
    run('apt-get', ['install', '-y', '--no-install-recommends', pkg], {
      env: APT_ENV,
      timeoutMs: 300_000,
    });
  try {
    await install();
  } catch {
    log(`apt-get install ${pkg} failed; refreshing the package lists once (apt-get update)…`);
    await run('apt-get', ['update'], { env: APT_ENV, timeoutMs: 300_000 });
    await install();
  }
}

async function version(command: string, args: string[], pattern: RegExp): Promise<string> {
  const r = await run(command, args, { timeoutMs: 30_000, allowFail: true }).catch(() => undefined);
  const text = `${r?.stdout ?? ''}\n${r?.stderr ?? ''}`;
  return pattern.exec(text)?.[1] ?? 'unknown';
}

/** `ansible`: look for (and if needed install) ansible-playbook; false when no case uses it. */
export async function preflight(log: (line: string) => void, ansible = true): Promise<Tools> {
  if (process.platform !== 'linux') throw new Error('The bench runs on Linux only.');
  if (process.getuid?.() !== 0) {
    throw new Error(
      'The bench starts real sshd servers, one Linux user each (dr-test-<n>): run it as root ' +
        '(sudo npm run bench, or in a container).',
    );
  }
  await ensureSshd();
  const missing: string[] = [];
  for (const tool of ['ssh', 'scp', 'tar', 'gzip', 'sha256sum', 'sync']) {
    if (!(await which(tool))) missing.push(tool);
  }
  if (missing.length) {
    throw new Error(
      `Missing on this machine: ${missing.join(', ')}. Install them (Debian/Ubuntu: ` +
        `apt-get install -y openssh-client tar gzip coreutils) and run the bench again.`,
    );
  }
  const tools: Tools = { versions: {} };
  tools.ansiblePlaybook = ansible ? await which('ansible-playbook') : undefined;
  if (!ansible) tools.ansibleMissing = 'no case uses it';
  else if (!tools.ansiblePlaybook) {
    if (await which('apt-get')) {
      log('ansible-playbook is missing: installing ansible-core with apt-get (once)…');
      try {
        await aptInstall('ansible-core', log);
        tools.ansiblePlaybook = await which('ansible-playbook');
      } catch (error) {
        tools.ansibleMissing = `apt-get install ansible-core failed: ${(error as Error).message.split('\n')[0]}`;
      }
    } else {
      tools.ansibleMissing =
        'ansible-playbook is missing and apt-get is not available: install ansible-core ' +
        '(e.g. pipx install ansible-core) to get the Ansible comparisons';
    }
  }
  if (tools.ansibleMissing) log(`Ansible cases are skipped: ${tools.ansibleMissing}`);
  tools.versions = {
    node: process.version,
    openssh: await version('ssh', ['-V'], /(OpenSSH_\S+)/),
    ...(tools.ansiblePlaybook
      ? { ansible: await version(tools.ansiblePlaybook, ['--version'], /core ([\d.]+)/) }
      : {}),
    kernel: os.release(),
    cpu: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown'}`,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
  };
  return tools;
}
