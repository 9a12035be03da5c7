import { describe, expect, it } from 'vitest';
import { formatPlan } from '../../../src/request/format-plan.js';
import { loadRequest } from '../../../src/request/load-request.js';
import { buildPlan } from '../../../src/request/plan.js';
import type { DeployRequest } from '../../../src/request/types.js';
import { SHA, fixture, request, validConfig } from './helpers.js';

const config = validConfig();

function load(text: string): DeployRequest {
  const loaded = loadRequest(text, 'r.yml', config);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded.value;
}

describe('buildPlan', () => {
  it('follows the request order of servers and the configured stages and checks', () => {
    const plan = buildPlan(load(fixture('requests/valid.yml')), config);
    expect(plan).toMatchObject({
      application: 'web',
      release: '1.4.2',
      environment: 'staging',
      reason: 'Roll out the new checkout flow',
      artifact: { url: 'https://example.com/web-1.4.2.tar.gz', sha256: SHA },
      batches: [['web-2'], ['web-1']],
      stages: [
        { name: 'lead', reviewers: ['alice', 'acme/team-leads'], required: 1 },
        { name: 'ops', reviewers: ['acme/ops'], required: 2 },
      ],
      variables: { FEATURE_CHECKOUT: 'on' },
    });
    expect(plan.servers.map((s) => s.name)).toEqual(['web-2', 'web-1']);
    expect(plan.checks).toEqual([
      'disk free on /srv ≥ 512 MB',
      'memory available ≥ 256 MB',
      '`tar` on PATH',
      '`sha256sum` on PATH',
      'port 9090 free',
      'node 20+: `node --version` output matches /^v2[0-9]\\./',
    ]);
  });

  it('takes every server in config order, batch_size at a time, when the request names none', () => {
    const plan = buildPlan(load(request({ environment: 'production' })), config);
    expect(plan.servers.map((s) => s.name)).toEqual(['app-1', 'app-2', 'app-3']);
    expect(plan.batches).toEqual([['app-1', 'app-2'], ['app-3']]);
    expect(plan.checks).toEqual([]);
    expect(plan.variables).toEqual({});
  });

  it('refuses a request that was not validated against this config', () => {
    const request = { ...load(fixture('requests/valid.yml')), environment: 'qa' };
    expect(() => buildPlan(request, config)).toThrow(/unknown environment qa/);
  });
});

describe('formatPlan', () => {
  it('prints stages, servers, batches and checks as plain text', () => {
    const text = formatPlan(buildPlan(load(fixture('requests/valid.yml')), config), config);
    expect(text).toContain('Deploy web 1.4.2 to staging');
    expect(text).toContain('  1. lead: 1 approval from alice, acme/team-leads');
    expect(text).toContain('  2. ops: 2 approvals from acme/ops');
    expect(text).toContain('  web-2  deploy@web-2.internal.example.com:22 via web-1');
    expect(text).toContain('  1. web-2\n  2. web-1');
    expect(text).toContain('  - disk free on /srv ≥ 512 MB');
    expect(text).toContain('  FEATURE_CHECKOUT="on"');
  });

  it('brackets IPv6 hosts', () => {
    const text = formatPlan(
      buildPlan(load(request({ environment: 'production' })), config),
      config,
    );
    expect(text).toContain('deploy@[2001:db8::22]:22');
    expect(text).toContain('(none)');
  });
});
