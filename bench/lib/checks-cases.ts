// The preset-condition contenders: our checkEnvironment (connect + one exec per server), a plain
// script (one `ssh` per server running every check as one shell script) and Ansible
// (gather_facts + command + assert).
import type { ChecksConfig } from '../../src/config/types.js';
import { checkEnvironment } from '../../src/environment/check-environment.js';
import { createSshConnector } from '../../src/ssh/connector.js';
import type { TestServer } from '../../test/support/sshd.js';
import type { Ansible } from './ansible.js';
import { serverConfigs, sshOptions, type Fleet } from './fleet.js';
import { run } from './proc.js';

/** A typical checks block: disk, memory, 3 binaries, 2 ports, 1 command with expect. */
export const CHECKS: ChecksConfig = {
  disk_free: { path: '.', min_mb: 1 },
  memory_available_mb: 16,
  binaries: ['tar', 'sh', 'sha256sum'],
  ports_free: [9090, 9091],
  commands: [{ name: 'kernel', run: 'uname -s', expect: '^Linux$' }],
};

/** The same conditions as one POSIX sh script (9090 = 0x2382, 9091 = 0x2383). */
export const PLAIN_SCRIPT = [
  'set -e',
  'kb=$(df -Pk . | awk \'NR == 2 { print $4 }\'); [ "$kb" -ge 1024 ]',
  'mem=$(awk \'/^MemAvailable:/ { print $2 }\' /proc/meminfo); [ "$mem" -ge 16384 ]',
  'command -v tar >/dev/null; command -v sh >/dev/null; command -v sha256sum >/dev/null',
  '! awk \'$4 == "0A" { split($2, a, ":"); print a[2] }\' /proc/net/tcp /proc/net/tcp6 | grep -qE \'^(2382|2383)$\'',
  "uname -s | grep -qE '^Linux$'",
  'echo all-passed',
].join('\n');

export interface CheckContenders {
  ours(servers: TestServer[]): Promise<number>;
  script(servers: TestServer[]): Promise<number>;
  ansible?(servers: TestServer[]): Promise<number>;
}

export function checkContenders(fleet: Fleet, ansible?: Ansible): CheckContenders {
  const ssh = sshOptions(fleet);
  const contenders: CheckContenders = {
    async ours(servers) {
      const t0 = performance.now();
      const results = await checkEnvironment({
        servers: serverConfigs(servers),
        provision: { directories: [], files: [], commands: [] },
        checks: CHECKS,
        parallel: servers.length,
        connector: createSshConnector({ privateKey: fleet.privateKey, servers: [] }),
        log: { group: () => undefined, info: () => undefined },
      });
      const ms = performance.now() - t0;
      const failed = results.filter((r) => !r.passed);
      if (failed.length) {
        const why = failed.map(
          (r) => `${r.server}: ${r.error ?? JSON.stringify(r.checks.filter((c) => !c.passed))}`,
        );
        throw new Error(`our checks failed: ${why.join('; ')}`);
      }
      return ms;
    },
    async script(servers) {
      const t0 = performance.now();
      await Promise.all(
        servers.map(async (s) => {
          const r = await run(
            'ssh',
            [...ssh, '-p', String(s.port), `${s.user}@${s.host}`, PLAIN_SCRIPT],
            {
              timeoutMs: 60_000,
            },
          );
          if (!r.stdout.includes('all-passed'))
            throw new Error(`plain checks on ${s.name}: ${r.stdout}`);
        }),
      );
      return performance.now() - t0;
    },
  };
  if (ansible) {
    contenders.ansible = async (servers) => {
      try {
        return (await ansible.playbook('checks', servers, {})).ms;
      } finally {
        await ansible.closeMasters();
      }
    };
  }
  return contenders;
}
