// How switchServer tells what it cannot see on a healthy server: a lost connection, a script cut
// off, a failed switch back, an entry that could not be marked bad, and inputs refused before
// anything runs (canned script output on a stand-in session).
import { describe, expect, it } from 'vitest';
import { switchServer, type SwitchInput } from '../../../src/deploy/switch-release.js';
import type { ExecResult, ServerSession } from '../../../src/ssh/types.js';
import { deployConfig } from '../../support/fixtures.js';

const A = '20261125T210001Z-aaaaaaaaaaaa';
const B = '20261125T210002Z-bbbbbbbbbbbb';
const input: SwitchInput = {
  deploy: deployConfig({ activate: './bin/restart' }),
  digest: 'ab'.repeat(16),
  targetId: A,
  expectedCurrent: B,
  abandonedMeta: '{"bad":true}',
  env: {},
};

function session(result: Partial<ExecResult> | Error): ServerSession & { scripts: string[] } {
  const scripts: string[] = [];
  return {
    server: { name: 'web-1', host: 'h', port: 22, user: 'u', host_key: 'k' },
    scripts,
    exec: (script: string) => {
      scripts.push(script);
      if (result instanceof Error) return Promise.reject(result);
      return Promise.resolve({
        code: 0,
        signal: null,
        stdout: '',
        stderr: '',
        timedOut: false,
        ...result,
      });
    },
    close: () => Promise.resolve(),
  };
}

describe('switchServer, as reported', () => {
  it('a lost connection: the switch cannot be ruled out, so a revert must look', async () => {
    const result = await switchServer(session(new Error('channel closed')), input);
    expect(result).toMatchObject({ ok: false, switched: true, switchedBack: false });
    expect(result.error).toBe(
      `rollback: channel closed; current may already point to releases/${A}`,
    );
  });

  it('cut off before it said it switched: may have switched', async () => {
    const stdout = '@@lock taken\n@@step switch 1764064800\n';
    const result = await switchServer(session({ code: null, stdout }), input);
    expect(result).toMatchObject({ ok: false, switched: true });
    expect(result.error).toBe(
      'switch: the script ended without an exit status (the connection or the server went away); ' +
        `current may already point to releases/${A}`,
    );
  });

  it('switching back failed: current stays on the target, and says so', async () => {
    const stdout = '@@switched\n@@health failed 3 7\n@@failed rollback-switch\n';
    const result = await switchServer(session({ code: 1, stdout }), input);
    expect(result).toMatchObject({
      ok: false,
      switched: true,
      switchedBack: false,
      health: 'failed',
    });
    expect(result.error).toBe(
      `the health check failed 3 attempt(s) on ${A} (last exit code 7); switching back failed: current stays on ${A}`,
    );
  });

  it('switched and healthy, but the entry could not be marked bad: the rollback stands, the log says so', async () => {
    const lines: string[] = [];
    const stdout = '@@lock taken\n@@switched\n@@failed metadata\n@@done\n';
    const result = await switchServer(session({ stdout }), {
      ...input,
      log: { info: (l) => lines.push(l) },
    });
    expect(result).toMatchObject({ ok: true, switched: true, markedBad: false });
    expect(lines).toContain(
      `could not mark releases/${B} bad (its .deploy-request.json is not writable)`,
    );
    expect(lines).toContain('lock: taken');
  });

  it('refuses inputs that could leave releases/ or mean nothing, before any script runs', async () => {
    const cases: Array<[Partial<SwitchInput>, string]> = [
      [{ targetId: '../x' }, 'release id "../x" is malformed'],
      [{ targetId: 'a b' }, 'release id "a b" is malformed'],
      [{ expectedCurrent: '' }, 'the plan names no expected release for this server'],
      [{ expectedCurrent: '..' }, 'expected release ".." is malformed'],
      [{ expectedCurrent: A }, `current already points to ${A}: there is nothing to switch`],
      [{ digest: 'XYZ' }, 'the digest must be lowercase hex'],
      [{ abandonedMeta: '{\n}' }, 'the abandoned entry must be one line'],
      [{ env: { 'A-B': '1' } }, 'variable name "A-B" is not allowed'],
    ];
    for (const [change, problem] of cases) {
      const stand = session({});
      const result = await switchServer(stand, { ...input, ...change });
      expect(result).toMatchObject({ ok: false, switched: false, error: `input: ${problem}` });
      expect(stand.scripts).toEqual([]);
    }
  });
});
