// Runs once before the suite: makes sure what the tests need is on this machine.
// (sshd is installed from Debian's packages when missing and we are root; see ensure-sshd.ts.)
export default async function setup(): Promise<void> {
  const { ensureSshd } = await import('./ensure-sshd.js').catch(() => ({ ensureSshd: undefined }));
  if (ensureSshd) await ensureSshd();
}
