// Makes sure an OpenSSH server binary (and fish, a non-POSIX login shell some tests log in with,
// and shellcheck, which checks the scripts we send to servers) exists before the suite starts. Root installs them from the system packages; anyone else gets
// told exactly what to install.
import { execFile } from 'node:child_process';
import { access, mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const SSHD_PATH = '/usr/sbin/sshd';
export const FISH_PATH = '/usr/bin/fish';

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function aptInstall(pkg = 'openssh-server'): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    run('apt-get', ['install', '-y', '--no-install-recommends', pkg], {
      env,
      maxBuffer: 16 * 1024 * 1024,
    });
  try {
    await install();
  } catch {
    // Package lists may be missing or stale on a fresh machine: refresh once, then retry.
    await run('apt-get', ['update'], { env, maxBuffer: 16 * 1024 * 1024 });
    await install();
  }
}

export async function ensureSshd(): Promise<void> {
  if (!(await exists(SSHD_PATH))) {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!isRoot) {
      throw new Error(
        `${SSHD_PATH} is missing. The SSH tests start real OpenSSH servers: install the ` +
          `"openssh-server" package (Debian/Ubuntu: sudo apt-get install -y openssh-server), ` +
          `or run the tests as root so they install it themselves.`,
      );
    }
    try {
      await aptInstall();
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new Error(`Installing openssh-server with apt-get failed: ${detail}`);
    }
    if (!(await exists(SSHD_PATH))) {
      throw new Error(`apt-get installed openssh-server but ${SSHD_PATH} is still missing.`);
    }
  }
  // sshd refuses to start without its privilege-separation directory.
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  await ensureTool(FISH_PATH, 'fish', 'the login-shell tests log in as a user whose shell is fish');
  await ensureTool('/usr/bin/shellcheck', 'shellcheck', 'it checks the scripts sent to servers');
}

async function ensureTool(path: string, pkg: string, why: string): Promise<void> {
  if (await exists(path)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hint = `${path} is missing: ${why} (Debian/Ubuntu: sudo apt-get install -y ${pkg})`;
  if (!isRoot) throw new Error(hint);
  await aptInstall(pkg).catch((error: Error) => {
    throw new Error(`${hint}; apt-get failed: ${error.message}`);
  });
}
