// Provisioning and checks from what the server answers (scripted sessions): every way an answer
// can be missing, odd or partial, and how it is reported.
import { describe, expect, it } from 'vitest';
import type { ChecksConfig, ProvisionConfig, ServerConfig } from '../../../src/config/types.js';
import { checkEnvironment } from '../../../src/environment/check-environment.js';
import { NO_ANSWER, parseCheckOutput } from '../../../src/environment/check-output.js';
import {
  buildCheckScript,
  CHECK_MARK,
  CHECK_TIMEOUT_S,
} from '../../../src/environment/check-script.js';
import { runChecks } from '../../../src/environment/checks.js';
import { provisionServer } from '../../../src/environment/provision.js';
import {
  buildProvisionScript,
  parseProvisionOutput,
  PROVISION_MARK,
} from '../../../src/environment/provision-script.js';
import { remotePath } from '../../../src/environment/remote-path.js';
import type { ExecResult, ServerSession } from '../../../src/ssh/types.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const line = (...parts: string[]) => [CHECK_MARK, ...parts].join(' ');
/** A partial provisioning config, as the functions tolerate (the schema fills in defaults). */
const prov = (o: Partial<ProvisionConfig>) => o as ProvisionConfig;
const server = { name: 'web-1', host: 'h', port: 22, user: 'u', host_key: 'k' } as ServerConfig;

function session(
  answer: Partial<ExecResult> | Error,
  o: { closed?: string[] } = {},
): ServerSession {
  return {
    server,
    async exec() {
      if (answer instanceof Error) throw answer;
      return { code: 0, signal: null, stdout: '', stderr: '', timedOut: false, ...answer };
    },
    async close() {
      o.closed?.push(server.name);
    },
  };
}

describe('parseCheckOutput', () => {
  const checks: ChecksConfig = {
    disk_free: { path: 'srv', min_mb: 10 },
    memory_available_mb: 100,
    binaries: ['tar', 'jq'],
    ports_free: [80, 9090],
    commands: [
      { name: 'slow', run: 'sleep 99' },
      { name: 'fails quietly', run: 'false' },
      { name: 'fails loudly', run: 'x' },
      { name: 'bad pattern', run: 'echo', expect: '(' },
      { name: 'silent match', run: 'true', expect: '^$' },
      { name: 'no expect', run: 'true' },
    ],
  };

  it('every kind of answer', () => {
    const stdout = [
      line('os', 'Linux'),
      line('os', 'ignored: the first line wins'),
      line('disk', '20480', './srv'),
      line('memory', ''),
      line('binary', '0', '/usr/bin/tar'),
      line('binary', '1', ''),
      line('listen', '0050', ''),
      line('command', '0', '124', '', ''),
      line('command', '1', '1', '', ''),
      line('command', '2', '2', b64('out'), b64(`${'e'.repeat(300)}`)),
      line('command', '3', '0', b64('x'), ''),
      line('command', '4', '0', '', ''),
      line('command', '5', '0', '', ''),
      'noise',
      `${CHECK_MARK}`,
    ].join('\n');
    const results = parseCheckOutput(stdout, checks);
    expect(results.map((r) => [r.name, r.actual, r.passed])).toEqual([
      ['os', 'Linux', true],
      ['arch', NO_ANSWER, true],
      ['disk free srv', '20 MB', true],
      ['memory available', 'unknown (no MemAvailable in /proc/meminfo)', false],
      ['binary tar', '/usr/bin/tar', true],
      ['binary jq', 'not found', false],
      ['port 80 free', 'in use: something listens on it', false],
      ['port 9090 free', 'free', true],
      ['slow', `timed out after ${CHECK_TIMEOUT_S} s`, false],
      ['fails quietly', 'exit 1', false],
      ['fails loudly', `exit 2: ${'e'.repeat(191)}…`, false],
      ['bad pattern', expect.stringMatching(/^invalid expect pattern: /), false],
      ['silent match', '(no output)', true],
      ['no expect', 'exit 0', true],
    ]);
  });

  it('nothing answered: every check says so', () => {
    const results = parseCheckOutput('', checks);
    expect(results.filter((r) => !r.info).every((r) => r.actual === NO_ANSWER && !r.passed)).toBe(
      true,
    );
  });

  it('disk: on the nearest existing parent; df without an answer', () => {
    const disk = (stdout: string) =>
      parseCheckOutput(stdout, { disk_free: { path: 'srv/app', min_mb: 1 } } as ChecksConfig).find(
        (r) => r.name.startsWith('disk'),
      )!;
    expect(disk(line('disk', '4096', '/srv/my data')).actual).toBe(
      '4 MB (on /srv/my data, the nearest existing parent)',
    );
    expect(disk(line('disk', '4096', 'srv/app')).actual).toBe('4 MB');
    expect(disk(line('disk', '', 'srv/app'))).toMatchObject({ actual: '0 MB', passed: false });
    expect(disk(line('disk', 'x', '/srv'))).toMatchObject({
      actual: 'unknown: df gave no answer for /srv',
      passed: false,
    });
  });

  it('a config without optional lists', () => {
    const results = parseCheckOutput(line('memory', '204800'), {
      memory_available_mb: 1,
    } as ChecksConfig);
    expect(results.map((r) => r.name)).toEqual(['os', 'arch', 'memory available']);
    expect(buildCheckScript({} as ChecksConfig)).toContain(CHECK_MARK);
  });
});

describe('runChecks', () => {
  const checks: ChecksConfig = { binaries: ['tar'], ports_free: [], commands: [] };

  it('a script that stopped: missing answers say why (exit code, or signal)', async () => {
    const stopped = await runChecks(session({ code: 2, stderr: 'sh: syntax error\n' }), checks);
    expect(stopped.find((r) => r.name === 'binary tar')?.actual).toBe(
      `${NO_ANSWER}: the check script stopped (exit 2): sh: syntax error`,
    );
    const killed = await runChecks(session({ code: null, signal: 'KILL' }), checks);
    expect(killed.find((r) => r.name === 'binary tar')?.actual).toBe(
      `${NO_ANSWER}: the check script stopped (exit KILL): `,
    );
    const timedOut = await runChecks(
      session({ code: null, timedOut: true, stdout: line('binary', '0', '/bin/tar') }),
      checks,
    );
    expect(timedOut.map((r) => r.actual)).toEqual([
      `${NO_ANSWER}: the check script timed out`,
      `${NO_ANSWER}: the check script timed out`,
      '/bin/tar',
    ]);
  });
});

describe('provisioning', () => {
  it('nothing to do: no round trip; only refused items: none either', async () => {
    expect(await provisionServer(session(new Error('must not run')), prov({}))).toEqual([]);
    const refused = await provisionServer(
      session(new Error('must not run')),
      prov({
        directories: [{ path: 'a', mode: '999' }],
        files: [{ path: 'b', content: 'x', mode: 'rw' }],
      }),
    );
    expect(refused).toEqual([
      { kind: 'directory', target: 'a', status: 'failed', detail: 'invalid mode "999"' },
      { kind: 'file', target: 'b', status: 'failed', detail: 'invalid mode "rw"' },
    ]);
  });

  it('an item whose line cannot be built (a NUL in the command) is refused, the others run', () => {
    const { items, script } = buildProvisionScript(
      prov({
        commands: [
          { name: 'bad', run: 'echo \0' },
          { name: 'ok', run: 'true' },
        ],
      }),
    );
    expect(items[0]!.refused).toBe('shellQuote: value contains a NUL character');
    expect(script).toContain("_dr_kind_1='cmd'\n_dr_arg1_1='true'\n");
    expect(script).not.toContain('_dr_kind_0=');
  });

  it('a stopped or timed-out script: items without an answer say so', async () => {
    const provision = prov({
      commands: [
        { name: 'a', run: 'true' },
        { name: 'b', run: 'true' },
      ],
    });
    const stopped = await provisionServer(
      session({ code: 1, stdout: `${PROVISION_MARK} 0 unchanged\n`, stderr: 'boom' }),
      provision,
    );
    expect(stopped.map((r) => [r.status, r.detail])).toEqual([
      ['unchanged', undefined],
      ['failed', 'not reached: the provisioning script stopped (exit 1): boom'],
    ]);
    const killed = await provisionServer(session({ code: null, signal: 'TERM' }), provision);
    expect(killed[0]!.detail).toBe('not reached: the provisioning script stopped (exit TERM): ');
    const timedOut = await provisionServer(session({ code: null, timedOut: true }), provision);
    expect(timedOut[0]!.detail).toBe('not reached: provisioning timed out');
  });

  it('output lines: unknown statuses, bad or repeated indexes are ignored; details decoded', () => {
    const items = buildProvisionScript(
      prov({
        commands: [
          { name: 'a', run: 'x' },
          { name: 'b', run: 'y' },
        ],
      }),
    ).items;
    const out = [
      `${PROVISION_MARK} 0 changed`,
      '@@+ ran it ',
      '@@+ @@provision 1 unchanged',
      `${PROVISION_MARK} 0 failed`,
      '@@+ not attached to anything',
      `${PROVISION_MARK} x created`,
      `${PROVISION_MARK} 1 exploded`,
      `${PROVISION_MARK} 1`,
    ].join('\n');
    expect(parseProvisionOutput(out, items, 'missing')).toEqual([
      {
        kind: 'command',
        target: 'a',
        status: 'changed',
        detail: 'ran it \n@@provision 1 unchanged',
      },
      { kind: 'command', target: 'b', status: 'failed', detail: 'missing' },
    ]);
  });

  it('paths: home itself is ".", absolute paths stay', () => {
    expect(remotePath('~')).toBe('.');
    expect(remotePath('~/')).toBe('.');
    expect(remotePath('/srv')).toBe('/srv');
    expect(remotePath('-rf')).toBe('./-rf');
  });
});

describe('checkEnvironment', () => {
  it('an exec that throws is the server’s error; the session is closed; non-Errors too', async () => {
    const closed: string[] = [];
    const results = await checkEnvironment({
      servers: [server, { ...server, name: 'web-2' }],
      provision: prov({}),
      checks: { binaries: [], ports_free: [], commands: [] } as ChecksConfig,
      parallel: 2,
      connector: {
        connect: async (s) => {
          const broken = session(new Error('channel refused'), { closed });
          if (s.name === 'web-2')
            return {
              ...broken,
              server: s,
              exec: async () => {
                throw 'plain';
              },
            };
          return broken;
        },
      },
      log: { group: () => undefined, info: () => undefined },
    });
    expect(results.map((r) => [r.server, r.reachable, r.passed, r.error])).toEqual([
      ['web-1', true, false, 'channel refused'],
      ['web-2', true, false, 'plain'],
    ]);
    expect(closed).toEqual(['web-1', 'web-1']);
  });
});
