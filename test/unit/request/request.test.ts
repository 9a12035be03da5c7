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
  artifact: { path: 'build/web.tgz' },
  reason: 'first line\nsecond line',
  ...o,
});

describe('formatPlan', () => {
  it('production: any-order stages? no; batches of 2 with a tolerance; no variables; path artifact', () => {
    const c = config();
    const text = formatPlan(buildPlan(request(), c), c);
    expect(text).toContain('  reason       first line\n               second line');
    expect(text).toContain(
      '  artifact     workspace file build/web.tgz (no sha256: computed when fetched)',
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
      request({ artifact: { path: '../x' }, servers: ['app-1', 'app-1'] }),
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
