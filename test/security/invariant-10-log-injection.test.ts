// SPEC §4 invariant 10 (bad input fails cleanly), for the job log: a request file whose name
// holds line breaks and `::command::` text, and a server whose output does the same, reach the
// log readable but inert: the runner finds no workflow command in it but the action's own.
import { beforeEach, describe, expect, it } from 'vitest';
import { runnerCommandLines } from '../support/github-stand-in/runner-protocol.js';
import { gate, openFlow, resetHome, useSshServers, type RunResult } from './support.js';

const fleet = useSshServers(1);
beforeEach(() => fleet().servers.forEach(resetHome));

const FORGED_NAME =
  'deploy-requests/web\n::error title=forged::forged by the file name\r::add-mask::deploy\n##[warning]legacy by the file name.yml';
const SERVER_OUTPUT =
  "printf 'out\\n::error::forged by the server\\n  ::stop-commands::x\\n##[warning]legacy by the server\\n'; exit 3";

/**
 * The commands the runner would act on in this run's output that the action did not mean: a
 * legacy `##[` line, or a `::` line carrying the forged text. (The action's own `::error::`
 * reply may quote the server's output, escaped, inside its data.)
 */
function forgedCommands(result: RunResult): string[] {
  return runnerCommandLines(`${result.stdout}\n${result.stderr}`).filter(
    (line) =>
      !/^::[a-z-]+( [^:]*)?::/.test(line) ||
      /^\s*::(error title=forged::|error::forged|add-mask::deploy$|stop-commands::)/.test(line),
  );
}

describe('invariant 10: nothing we log becomes a workflow command', () => {
  it('a request file name with line breaks and `::…::` is logged readable, and starts no command', async () => {
    const { servers, clientKey } = fleet();
    // A second request file: the refusal names both, and the log line quotes the message.
    const p = await openFlow(servers, clientKey.privateKey, {
      extraFiles: { [FORGED_NAME]: 'version: 1\n' },
    });
    const result = await gate(p.gh, p.number);
    expect(result.stdout).toContain('forged by the file name');
    expect(forgedCommands(result)).toEqual([]);
    expect(result.masks).toEqual(expect.not.arrayContaining(['deploy']));
    expect(result.stdout).toContain('> ::error title=forged::forged by the file name');
    expect(result.stdout).toContain('## [warning]legacy by the file name.yml');
  });

  it("a server's output with `::…::` lines is logged readable, and starts no command", async () => {
    const { servers, clientKey } = fleet();
    const p = await openFlow(servers, clientKey.privateKey, {
      checks: { commands: [{ name: 'probe', run: SERVER_OUTPUT, expect: '^never$' }] },
    });
    const result = await p.dispatch();
    expect(result.outputs.phase).toBe('checks-failed');
    expect(result.stdout).toContain('forged by the server');
    expect(forgedCommands(result)).toEqual([]);
    expect(result.stdout).toContain('::stop-commands::x ## [warning]legacy by the server');
  });
});
