// The request's plan in words (`deploy-request plan`), semantic checks called directly, and
// canonical JSON's refusals.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkConfig } from '../../../src/config/check-config.js';
import { loadConfig } from '../../../src/config/load-config.js';
import type { DeployRequestConfig } from '../../../src/config/types.js';
import { canonicalJson } from '../../../src/request/canonical.js';
import { checkRequest } from '../../../src/request/check-request.js';
import { formatPlan } from '../../../src/request/format-plan.js';
import { buildPlan } from '../../../src/request/plan.js';
import type { DeployRequest } from '../../../src/request/types.js';

const CONFIG_TEXT = readFileSync(
  new URL('../../fixtures/config/valid.yml', import.meta.url),
  'utf8',
);
function config(text = CONFIG_TEXT): DeployRequestConfig {
  const loaded = loadConfig(text, 'c.yml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded.value;
}

const request = (o: Partial<DeployRequest> = {}): DeployRequest => ({
  version: 1,
  application: 'web',
  environment: 'production',
  release: '2.0.0',
  artifact: { path: 'build/web.tgz', sha256: 'f'.repeat(64) },
  reason: 'first line\nsecond line',
  ...o,
});

describe('formatPlan', () => {
  it('production: any-order stages? no; batches of 2 with a tolerance; no variables; path artifact', () => {
    const c = config();
    const text = formatPlan(buildPlan(request(), c), c);
    expect(text).toContain('  reason       first line\n               second line');
    expect(text).toContain(
      `  artifact     workspace file build/web.tgz (sha256 ${'f'.repeat(64)})`,
    );
    expect(text).toContain(
      'Batches (2 servers each, up to 1 failed tolerated, rollback on failure):',
    );
    expect(text).toContain('  app-2  deploy@[2001:db8::22]:22');
    expect(text).toContain('Checks on every server:\n  (none)');
    expect(text).not.toContain('Variables:');
    expect(text).toMatch(
      /Deploys into apps\/web\/releases\/<id>, then switches apps\/web\/current\.\n$/,
    );
  });

  it('release assets with a sha256; stages in any order; no rollback', () => {
    const c = config(
      CONFIG_TEXT.replace(
        '      rollback_on_failure: true',
        '      rollback_on_failure: false',
      ).replace(
        '    approval:\n      stages:\n        - name: lead\n          reviewers: [alice, bob]',
        '    approval:\n      ordered: false\n      stages:\n        - name: lead\n          reviewers: [alice, bob]',
      ),
    );
    const staging = formatPlan(
      buildPlan(
        request({
          environment: 'staging',
          artifact: { release_asset: { tag: 'v2', name: 'w.tgz' }, sha256: 'a'.repeat(64) },
        }),
        c,
      ),
      c,
    );
    expect(staging).toContain(
      `  artifact     release asset w.tgz of v2 (sha256 ${'a'.repeat(64)})`,
    );
    expect(staging).toContain('no rollback');
    const production = formatPlan(buildPlan(request(), c), c);
    expect(production).toContain('Approval stages (any order):');
  });

  it('a plan for an environment the config does not have: no batch details, no deploy path', () => {
    const c = config();
    const plan = buildPlan(request(), c);
    const text = formatPlan({ ...plan, environment: 'gone' }, c);
    expect(text).toContain('\nBatches:\n  1. app-1, app-2');
    expect(text).not.toContain('Deploys into');
  });
});

describe('formatPlan, the whole text', () => {
  it('staging from the fixture, with a url artifact and variables', () => {
    const c = config();
    const plan = buildPlan(
      request({
        environment: 'staging',
        release: '1.4.2',
        artifact: { url: 'https://example.com/web.tgz', sha256: 'b'.repeat(64) },
        servers: ['web-2', 'web-1'],
        reason: 'Roll out',
        variables: { FEATURE_CHECKOUT: 'on' },
      }),
      c,
    );
    expect(formatPlan(plan, c)).toBe(
      [
        'Deploy web 1.4.2 to staging',
        '  reason       Roll out',
        `  artifact     https://example.com/web.tgz (sha256 ${'b'.repeat(64)})`,
        '',
        'Approval stages (in order):',
        '  1. lead: 1 approval from alice, acme/team-leads',
        '  2. ops: 2 approvals from acme/ops',
        '',
        'Servers (2):',
        '  web-2  deploy@web-2.internal.example.com:22 via web-1',
        '  web-1  deploy@203.0.113.10:22',
        '',
        'Batches (1 server each, no failed server tolerated, rollback on failure):',
        '  1. web-2',
        '  2. web-1',
        '',
        'Checks on every server:',
        '  - disk free on /srv ≥ 512 MB',
        '  - memory available ≥ 256 MB',
        '  - `tar` on PATH',
        '  - `sha256sum` on PATH',
        '  - port 9090 free',
        '  - node 20+: `node --version` output matches /^v2[0-9]\\./',
        '',
        'Variables:',
        '  FEATURE_CHECKOUT="on"',
        '',
        'Deploys into /srv/web/releases/<id>, then switches /srv/web/current.',
        '',
      ].join('\n'),
    );
  });
});

describe('buildPlan', () => {
  it('commands without expect are said to succeed; unknown environments or servers are bugs', () => {
    const c = config(
      CONFIG_TEXT.replace(
        'commands: [{ name: node 20+, run: \'node --version\', expect: "^v2[0-9]\\\\." }]',
        "commands: [{ name: node, run: 'node --version' }]",
      ),
    );
    expect(buildPlan(request({ environment: 'staging' }), c).checks).toContain(
      'node: `node --version` succeeds',
    );
    expect(() => buildPlan(request({ environment: 'nope' }), c)).toThrow(
      'buildPlan: unknown environment nope',
    );
    expect(() => buildPlan(request({ servers: ['app-9'] }), c)).toThrow(
      'buildPlan: unknown server app-9',
    );
  });
});

describe('checkRequest (after the schema)', () => {
  it('an artifact path escaping the workspace; a server listed twice', () => {
    const issues = checkRequest(
      request({ artifact: { path: '../x', sha256: 'f'.repeat(64) }, servers: ['app-1', 'app-1'] }),
      config(),
      'c.yml',
    );
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      [['artifact', 'path'], 'must not contain a `..` segment (it would leave the directory)'],
      [['servers', 1], '`app-1` is listed twice'],
    ]);
  });
});

describe('checkConfig', () => {
  const env = () => {
    const c = config();
    const staging = c.environments.staging!;
    return { c, staging };
  };

  it('duplicate server and stage names name the first use', () => {
    const { c, staging } = env();
    staging.servers = [staging.servers[0]!, { ...staging.servers[0]!, via: undefined }];
    staging.approval.stages = [staging.approval.stages[0]!, staging.approval.stages[0]!];
    expect(checkConfig(c).map((i) => [i.path.join('.'), i.anchor, i.message])).toEqual([
      [
        'environments.staging.servers.1.name',
        'value',
        'server `web-1` is already used by item 1; server names must be unique in an environment',
      ],
      [
        'environments.staging.approval.stages.1.name',
        'value',
        'stage `lead` is already used by item 1; stage names must be unique in an environment',
      ],
    ]);
  });

  it('via: itself, an unknown server, and a loop reported once with its path', () => {
    const { c, staging } = env();
    const base = staging.servers[0]!;
    staging.servers = [
      { ...base, name: 'a', via: 'a' },
      { ...base, name: 'b', via: 'nope' },
      { ...base, name: 'c', via: 'd' },
      { ...base, name: 'd', via: 'e' },
      { ...base, name: 'e', via: 'c' },
      { ...base, name: 'f', via: 'c' },
      { ...base, name: 'g', via: undefined },
      { ...base, name: 'h', via: 'g' },
    ];
    expect(checkConfig(c).map((i) => [i.path.join('.'), i.anchor, i.message])).toEqual([
      [
        'environments.staging.servers.0.via',
        'value',
        'a server cannot jump through itself; name another server of this environment',
      ],
      [
        'environments.staging.servers.1.via',
        'value',
        '`nope` is not a server of environment `staging`; known: a, b, c, d, e, f, g, h',
      ],
      [
        'environments.staging.servers.2.via',
        'value',
        '`via` servers form a loop: c → d → e → c; one of them must be reachable directly',
      ],
    ]);
  });

  it('an invalid expect pattern says why, without the "Invalid regular expression" prefix', () => {
    const { c, staging } = env();
    staging.checks.commands = [
      { name: 'ok', run: 'x' },
      { name: 'bad', run: 'x', expect: '(' },
    ];
    expect(checkConfig(c)).toEqual([
      {
        path: ['environments', 'staging', 'checks', 'commands', 1, 'expect'],
        anchor: 'value',
        message: 'not a valid regular expression: /(/: Unterminated group',
      },
    ]);
  });

  it('one listed reviewer for two approvals (singular); enough reviewers or a team: fine', () => {
    const { c, staging } = env();
    staging.approval.stages = [
      { name: 'one', reviewers: ['a'], required: 2 },
      { name: 'enough', reviewers: ['a', 'b'], required: 2 },
      { name: 'team', reviewers: ['a', 'acme/ops'], required: 3 },
    ];
    expect(checkConfig(c)).toEqual([
      {
        path: ['environments', 'staging', 'approval', 'stages', 0, 'required'],
        anchor: 'value',
        message:
          '2 approvals required but only 1 reviewer listed (a); list more reviewers, add a team (org/team) or lower `required`',
      },
    ]);
  });

  it('more approvals required than listed reviewers (plural)', () => {
    const c = config();
    c.environments.staging!.approval.stages = [
      { name: 'lead', reviewers: ['a', 'b'], required: 3 },
    ];
    expect(checkConfig(c).map((i) => i.message)).toContain(
      '3 approvals required but only 2 reviewers listed (a, b); list more reviewers, add a team (org/team) or lower `required`',
    );
  });
});

describe('canonicalJson', () => {
  it('refuses BigInt and cycles; drops undefined members like JSON', () => {
    expect(() => canonicalJson({ a: 1n })).toThrow('canonicalJson: BigInt is not JSON');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => canonicalJson(cycle)).toThrow('canonicalJson: circular structure');
    expect(canonicalJson({ b: undefined, a: [undefined, Infinity] })).toBe('{"a":[null,null]}');
    expect(canonicalJson(undefined)).toBe('null');
  });
});
