import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { DEFAULT_REQUEST_PATHS } from '../../../src/config/types.js';

const FILE = '.github/deploy-request.yml';
const valid = readFileSync(
  fileURLToPath(new URL('../../fixtures/config/valid.yml', import.meta.url)),
  'utf8',
);

const KEY = '"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"';

/** A one-environment config; `servers`, `approval` and `extra` are YAML at the environment's indentation. */
function config(parts: { servers?: string; approval?: string; extra?: string } = {}): string {
  const servers =
    parts.servers ??
    `      - { name: web-1, host: 203.0.113.10, user: deploy, host_key: ${KEY} }\n` +
      `      - { name: web-2, host: 203.0.113.11, user: deploy, host_key: ${KEY} }\n`;
  const approval =
    parts.approval ?? '      stages:\n        - { name: lead, reviewers: [alice], required: 1 }\n';
  return `version: 1\nenvironments:\n  staging:\n    servers:\n${servers}    approval:\n${approval}    deploy:\n      path: /srv/web\n${parts.extra ?? ''}`;
}

function problems(text: string) {
  const loaded = loadConfig(text, FILE);
  if (loaded.ok) throw new Error('expected problems, got a valid configuration');
  return loaded.problems;
}

describe('loadConfig accepts', () => {
  it('the valid fixture', () => {
    const loaded = loadConfig(valid, FILE);
    expect(loaded.ok ? Object.keys(loaded.value.environments) : loaded.problems).toEqual([
      'staging',
      'production',
    ]);
  });

  it('fills in every default', () => {
    const loaded = loadConfig(config(), FILE);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const { requests, allow_self_approval, environments } = loaded.value;
    expect(requests).toEqual({ paths: DEFAULT_REQUEST_PATHS });
    expect(allow_self_approval).toBe(false);
    const env = environments.staging;
    expect(env?.servers[0]?.port).toBe(22);
    expect(env?.approval.ordered).toBe(true);
    expect(env?.provision).toEqual({ directories: [], files: [], commands: [] });
    expect(env?.checks).toEqual({ binaries: [], ports_free: [], commands: [] });
    expect(env?.deploy).toEqual({
      path: '/srv/web',
      keep_releases: 5,
      parallel: 10,
      batch_size: 1,
      max_failed_servers: 0,
      request_variables: [],
      shared_links: [],
      before_activate: [],
      rollback_on_failure: true,
      transfer: 'push',
    });
    expect(env?.confirm).toEqual({ within_hours: 24, requesters: [] });
    expect(env?.lock).toEqual({ stale_after_minutes: 120 });
  });

  it('fills health_check defaults', () => {
    const loaded = loadConfig(config({ extra: '      health_check: { run: "true" }\n' }), FILE);
    expect(loaded.ok && loaded.value.environments.staging?.deploy.health_check).toEqual({
      run: 'true',
      retries: 10,
      interval_s: 3,
      timeout_s: 30,
    });
  });

  it('any `required` when a team is listed', () => {
    const loaded = loadConfig(
      config({
        approval:
          '      stages:\n        - { name: ops, reviewers: [alice, acme/ops], required: 5 }\n',
      }),
      FILE,
    );
    expect(loaded.ok ? 'ok' : loaded.problems).toBe('ok');
  });
});

const srv = (name: string, extra = '') =>
  `      - { name: ${name}, host: h.example.com, user: deploy, host_key: ${KEY}${extra} }\n`;

// [what, config text, line, column, message fragment]
const INVALID: [string, string, number, number, string][] = [
  [
    'via naming no server',
    config({ servers: srv('web-1') + srv('web-2', ', via: bastion') }),
    6,
    158,
    '`environments.staging.servers[1].via`: `bastion` is not a server of environment `staging`; known: web-1, web-2',
  ],
  [
    'via loop',
    config({ servers: srv('web-1', ', via: web-2') + srv('web-2', ', via: web-1') }),
    5,
    158,
    '`via` servers form a loop: web-1 → web-2 → web-1',
  ],
  [
    'via itself',
    config({ servers: srv('web-1', ', via: web-1') }),
    5,
    158,
    'a server cannot jump through itself',
  ],
  [
    'duplicate server names',
    config({ servers: srv('web-1') + srv('web-1') }),
    6,
    17,
    '`environments.staging.servers[1].name`: server `web-1` is already used by item 1',
  ],
  [
    'required above the listed users',
    config({
      approval: '      stages:\n        - { name: lead, reviewers: [alice, bob], required: 3 }\n',
    }),
    9,
    60,
    '`environments.staging.approval.stages[0].required`: 3 approvals required but only 2 reviewers listed (alice, bob)',
  ],
  [
    'emergency approvals above the listed approvers',
    config({
      extra:
        "    emergency: { approvers: [otto], required: 2, review: { reviewers: ['acme/leads'] } }\n",
    }),
    12,
    47,
    '`environments.staging.emergency.required`: 2 emergency approvals required but only 1 approver listed (otto); list more approvers, add a team (org/team) or lower `required`',
  ],
  [
    'a stage named like the emergency stage',
    config({
      approval: '      stages:\n        - { name: emergency, reviewers: [alice], required: 1 }\n',
      extra: "    emergency: { approvers: ['acme/oncall'], review: { reviewers: [lead] } }\n",
    }),
    9,
    19,
    "the stage name `emergency` is the emergency approvers' stage when `emergency` is configured; rename this stage",
  ],
  [
    'no approval stage',
    config({ approval: '      stages: []\n' }),
    8,
    7,
    '`environments.staging.approval.stages`: must not be empty',
  ],
  [
    'duplicate stage names',
    config({
      approval:
        '      stages:\n        - { name: a, reviewers: [x], required: 1 }\n        - { name: a, reviewers: [y], required: 1 }\n',
    }),
    10,
    19,
    'stage `a` is already used by item 1',
  ],
  [
    'a team slug with two slashes',
    config({
      approval: '      stages:\n        - { name: a, reviewers: [acme/ops/x], required: 1 }\n',
    }),
    9,
    34,
    'must be a GitHub login (e.g. `alice`) or an org/team slug (e.g. `acme/ops`)',
  ],
  [
    'an unpinnable host key',
    config({
      servers:
        '      - { name: web-1, host: h.example.com, user: deploy, host_key: "ssh-dss AAAA" }\n',
    }),
    5,
    69,
    '`environments.staging.servers[0].host_key`: must be an OpenSSH public key line',
  ],
  [
    'a misspelt host_key',
    config({ servers: '      - { name: web-1, host: h.example.com, user: deploy, hostkey: x }\n' }),
    5,
    59,
    '`environments.staging.servers[0].hostkey`: unknown field (did you mean `host_key`?); allowed here: name, host, port, user, host_key, via',
  ],
  [
    'a missing host_key',
    config({ servers: '      - { name: web-1, host: h.example.com, user: deploy }\n' }),
    5,
    9,
    '`environments.staging.servers[0].host_key`: required field is missing; add e.g. `host_key: ssh-ed25519',
  ],
  [
    'a bad host',
    config({
      servers: `      - { name: web-1, host: "not a host", user: deploy, host_key: ${KEY} }\n`,
    }),
    5,
    30,
    'must be a host name, an IPv4 address or an IPv6 address',
  ],
  [
    'a port out of range',
    config({
      servers: `      - { name: web-1, host: h.example.com, port: 70000, user: deploy, host_key: ${KEY} }\n`,
    }),
    5,
    51,
    '`environments.staging.servers[0].port`: must be <= 65535, got 70000',
  ],
  [
    'an unquoted file mode',
    config({ extra: '    provision:\n      directories: [{ path: /srv/x, mode: 0750 }]\n' }),
    13,
    43,
    '`environments.staging.provision.directories[0].mode`: must be a string, got number (750); quote it: "0750"',
  ],
  [
    'an upper-case environment name',
    config().replace('  staging:', '  Staging:'),
    3,
    3,
    '`environments.Staging`: invalid name: must be lower-case letters',
  ],
  [
    'a ~ deploy path',
    config().replace('path: /srv/web', 'path: ~/web'),
    11,
    13,
    '`~` is not expanded',
  ],
  [
    'a lower-case request variable',
    config({ extra: '      request_variables: [feature]\n' }),
    12,
    27,
    '`environments.staging.deploy.request_variables[0]`: must be an upper-case variable name',
  ],
  [
    'an invalid expect regex',
    config({ extra: '    checks:\n      commands: [{ name: x, run: y, expect: "([" }]\n' }),
    13,
    45,
    '`environments.staging.checks.commands[0].expect`: not a valid regular expression',
  ],
  [
    'a missing deploy section',
    config().replace('    deploy:\n      path: /srv/web\n', ''),
    3,
    3,
    '`environments.staging.deploy`: required field is missing; add e.g. `deploy: {path: /srv/web}`',
  ],
  [
    'an unknown transfer mode',
    config({ extra: '      transfer: pul\n' }),
    12,
    17,
    '`environments.staging.deploy.transfer`: must be one of: `push`, `pull`',
  ],
  ['version 2', config().replace('version: 1', 'version: 2'), 1, 10, '`version`: must be `1`'],
  ['no environments', 'version: 1\nenvironments: {}\n', 2, 1, '`environments`: must not be empty'],
  [
    'an empty request path list',
    `requests: { paths: [] }\n${config()}`,
    1,
    13,
    '`requests.paths`: must not be empty',
  ],
];

describe('loadConfig refuses', () => {
  it.each(INVALID)('%s', (_name, text, line, column, message) => {
    const found = problems(text);
    const problem = found.find((p) => p.message.includes(message));
    expect(problem, JSON.stringify(found)).toEqual({
      file: FILE,
      line,
      column,
      message: expect.stringContaining(message),
    });
  });
});
