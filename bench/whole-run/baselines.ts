// The whole run's baselines, besides baseline A (bench/lib/deploy-cases.ts): what the dispatch run
// does (provision one directory, then the 5 checks) as one `ssh host sh -s` per server, all at once.
import type { TestServer } from '../../test/support/sshd.js';
import { PLAIN_SCRIPT } from '../lib/checks-cases.js';
import { sshOptions, type Fleet } from '../lib/fleet.js';
import { run } from '../lib/proc.js';

export function provisionAndCheckScript(deployPath: string): string {
  return `mkdir -p ${deployPath}/shared && chmod 0750 ${deployPath}/shared\n${PLAIN_SCRIPT}\n`;
}

/** Wall time of one `ssh <server> sh -s` per server, the script on stdin. */
export async function dispatchBaseline(
  fleet: Fleet,
  servers: TestServer[],
  deployPath: string,
): Promise<number> {
  const ssh = sshOptions(fleet);
  const script = provisionAndCheckScript(deployPath);
  const t0 = performance.now();
  await Promise.all(
    servers.map(async (s) => {
      const r = await run('ssh', [...ssh, '-p', String(s.port), `${s.user}@${s.host}`, 'sh -s'], {
        timeoutMs: 60_000,
        input: script,
      });
      if (!r.stdout.includes('all-passed')) throw new Error(`sh -s on ${s.name}: ${r.stdout}`);
    }),
  );
  return performance.now() - t0;
}
