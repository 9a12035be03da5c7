// SPEC §4 invariant 7, whatever the login shell: the SSH command is always exactly `sh -s` and
// every script and value follows on stdin, so a user whose login shell is fish (which reads
// quotes and backslashes differently) or a shell that refuses anything but `-c 'sh -s'` gets the
// same provisioning, checks and deployment, with request values arriving byte for byte.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { FISH_PATH, LOGIN_SHELL_CALLS, strictLoginShell } from '../support/login-shells.js';
import { currentOf, promptedFlow, releases, resetHome, useSshServers } from './support.js';

const fleet = useSshServers(2, { loginShells: [FISH_PATH, strictLoginShell()] });
beforeEach(() => fleet().servers.forEach(resetHome));

/** Backslashes, quotes, $(…) and newlines: each breaks a script that fish or csh parses. */
const VALUES: Record<string, string> = {
  BACKSLASH: 'a\\b\\\\c\\\'d\\"e\\',
  QUOTES: `it's "double" 'single' \\' end`,
  SUBST: '$(touch "$HOME/pwned-subst") `touch "$HOME/pwned-tick"`',
  NEWLINES: 'one\\\ntwo\'\n"three"; touch "$HOME/pwned-newline"\n',
};
const NAMES = Object.keys(VALUES);
const variablesYaml = `variables:\n${NAMES.map((n) => `  ${n}: ${JSON.stringify(VALUES[n])}`).join('\n')}\n`;
const writeEach = (prefix: string) =>
  NAMES.map((n) => `printf '%s' "$${n}" > "$HOME/${prefix}-${n}"`).join('; ');

describe('invariant 7: the login shell only ever sees `sh -s`', () => {
  it('fish and a strict `sh -s`-only login shell: provision, check and deploy hostile values byte for byte', async () => {
    const { servers, clientKey } = fleet();
    const p = await promptedFlow(servers, clientKey.privateKey, {
      variables: variablesYaml,
      deploy: {
        request_variables: NAMES,
        before_activate: [writeEach('before')],
        activate: writeEach('activate'),
      },
    });
    const result = await p.say('dev', `/confirm ${p.digest}`);
    expect(result.outputs.phase, result.stdout).toBe('deployed');
    for (const server of servers) {
      expect(existsSync(join(server.home, 'app/shared/.provisioned')), server.name).toBe(true);
      expect(releases(server)).toHaveLength(1);
      expect(currentOf(server)).toBe(`releases/${releases(server)[0]}`);
      for (const name of NAMES) {
        for (const prefix of ['before', 'activate']) {
          const arrived = readFileSync(join(server.home, `${prefix}-${name}`), 'utf8');
          expect(arrived, `${server.name} ${prefix} ${name}`).toBe(VALUES[name]);
        }
      }
      for (const marker of ['pwned-subst', 'pwned-tick', 'pwned-newline']) {
        expect(existsSync(join(server.home, marker)), `${server.name} ${marker}`).toBe(false);
      }
    }
    // Every session the strict shell started was given exactly `-c 'sh -s'`, nothing else
    // (sshd's own run of the harness's ~/.ssh/rc aside).
    const calls = readFileSync(join(servers[1]!.home, LOGIN_SHELL_CALLS), 'utf8')
      .split('\n')
      .filter((line) => line && !line.endsWith('/.ssh/rc|'));
    expect(calls.length).toBeGreaterThanOrEqual(3); // provision + checks, prepare, activate
    expect(new Set(calls)).toEqual(new Set(['-c|sh -s|']));
  });
});
