import { describe, expect, it } from 'vitest';
import { loadRequest } from '../../../src/request/load-request.js';
import { SHA, fixture, request, validConfig } from './helpers.js';

const config = validConfig();
const FILE = 'deploy-requests/web.yml';

function problems(text: string) {
  const loaded = loadRequest(text, FILE, config);
  if (loaded.ok) throw new Error('expected problems, got a valid request');
  return loaded.problems;
}

describe('loadRequest accepts', () => {
  it('the valid fixture, unchanged', () => {
    const loaded = loadRequest(fixture('requests/valid.yml'), FILE, config);
    expect(loaded).toEqual({
      ok: true,
      value: {
        version: 1,
        application: 'web',
        environment: 'staging',
        release: '1.4.2',
        artifact: { url: 'https://example.com/web-1.4.2.tar.gz', sha256: SHA },
        servers: ['web-2', 'web-1'],
        reason: 'Roll out the new checkout flow',
        variables: { FEATURE_CHECKOUT: 'on' },
      },
    });
  });

  it.each([
    [
      'a release asset with its sha256',
      { artifact: `{ release_asset: { tag: v1.4.2, name: web.tgz }, sha256: ${SHA} }` },
    ],
    [
      'a workspace path with its sha256',
      { artifact: `{ path: build/web.tar.gz, sha256: ${SHA} }` },
    ],
    ['a quoted numeric release', { release: '"1.4"' }],
    ['a multi-line reason', { reason: '|\n  line one\n  line two' }],
    ['a production request without servers', { environment: 'production' }],
  ])('%s', (_name, overrides) => {
    const loaded = loadRequest(request(overrides), FILE, config);
    expect(loaded.ok ? 'ok' : loaded.problems).toBe('ok');
  });
});

// [what, overrides, line, column, message fragment]
const INVALID: [string, Record<string, string | null>, number, number, string][] = [
  [
    'misspelt field',
    { artifact: `\n  url: https://example.com/web.tar.gz\n  sha265: ${SHA}` },
    7,
    3,
    '`artifact.sha265`: unknown field (did you mean `sha256`?); allowed here: url, sha256, release_asset, path',
  ],
  [
    'unknown top-level field',
    { reasons: 'x' },
    9,
    1,
    '`reasons`: unknown field (did you mean `reason`?)',
  ],
  [
    'missing release',
    { release: null },
    1,
    1,
    '`release`: required field is missing; add e.g. `release: 1.4.2`',
  ],
  [
    'version as a string',
    { version: '"1"' },
    1,
    10,
    '`version`: must be a number, got string ("1")',
  ],
  ['version 2', { version: '2' }, 1, 10, '`version`: must be `1`'],
  [
    'release read as a number',
    { release: '1.4' },
    4,
    10,
    '`release`: must be a string, got number (1.4); quote it: "1.4"',
  ],
  [
    'upper-case sha256',
    { artifact: `\n  url: https://example.com/web.tar.gz\n  sha256: ${SHA.toUpperCase()}` },
    7,
    11,
    '`artifact.sha256`: must be 64 lowercase hex characters (the SHA-256 of the artifact, e.g. from `sha256sum`)',
  ],
  [
    'short sha256',
    { artifact: '\n  url: https://example.com/web.tar.gz\n  sha256: abc123' },
    7,
    11,
    'got 6 characters',
  ],
  [
    'plain http url',
    { artifact: `\n  url: http://example.com/web.tar.gz\n  sha256: ${SHA}` },
    6,
    8,
    '`artifact.url`: must be an https:// URL',
  ],
  [
    'url without sha256',
    { artifact: '\n  url: https://example.com/web.tar.gz' },
    5,
    1,
    '`artifact.sha256`: required field is missing; add e.g. `sha256: 9f86d0',
  ],
  [
    'release asset without sha256 (SPEC §4.12: every artifact is bound to its bytes)',
    { artifact: '\n  release_asset: { tag: v1.4.2, name: web.tgz }' },
    5,
    1,
    '`artifact.sha256`: required field is missing; add e.g. `sha256: 9f86d0',
  ],
  [
    'workspace path without sha256',
    { artifact: '{ path: build/web.tar.gz }' },
    5,
    1,
    '`artifact.sha256`: required field is missing; add e.g. `sha256: 9f86d0',
  ],
  [
    'two artifact sources',
    {
      artifact: `\n  url: https://example.com/web.tar.gz\n  sha256: ${SHA}\n  path: build/web.tgz`,
    },
    5,
    1,
    '`artifact`: give exactly one of `url`, `release_asset` or `path`; found `url` and `path`',
  ],
  ['no artifact source', { artifact: '{}' }, 5, 1, 'found none'],
  [
    'release asset without name',
    { artifact: `\n  release_asset: { tag: v1 }\n  sha256: ${SHA}` },
    6,
    3,
    '`artifact.release_asset.name`: required field is missing; add e.g. `name: web-1.4.2.tar.gz`',
  ],
  [
    'absolute artifact path',
    { artifact: `{ path: /etc/passwd, sha256: ${SHA} }` },
    5,
    19,
    'must be a relative path, got the absolute path `/etc/passwd`',
  ],
  [
    'path traversal',
    { artifact: `{ path: build/../../secrets.tgz, sha256: ${SHA} }` },
    5,
    19,
    'must not contain a `..` segment',
  ],
  [
    'backslashes',
    { artifact: `{ path: "build\\\\web.tgz", sha256: ${SHA} }` },
    5,
    19,
    'forward slashes',
  ],
  [
    'unknown environment',
    { environment: 'prod' },
    3,
    14,
    '`environment`: `prod` is not an environment of .github/deploy-request.yml; known: staging, production',
  ],
  [
    'unknown server',
    { servers: '[web-1, web-9]' },
    9,
    18,
    '`servers[1]`: `web-9` is not a server of environment `staging`; known: web-1, web-2',
  ],
  [
    'duplicate server',
    { servers: '\n  - web-1\n  - web-2\n  - web-1' },
    12,
    5,
    '`servers[2]`: `web-1` is listed twice (also at `servers[0]`)',
  ],
  ['empty server list', { servers: '[]' }, 9, 1, '`servers`: must not be empty'],
  [
    'variable not allowed',
    { variables: '\n  FEATURE_CHECKOUT: "on"\n  DEBUG: "1"' },
    11,
    3,
    '`variables.DEBUG`: variable `DEBUG` is not allowed; allowed for environment `staging`: FEATURE_CHECKOUT',
  ],
  [
    'variables on an environment that allows none',
    { environment: 'production', variables: '{ FEATURE_CHECKOUT: "on" }' },
    9,
    14,
    'environment `production` allows no request variables',
  ],
  [
    'lower-case variable name',
    { variables: '\n  feature: "on"' },
    10,
    3,
    '`variables.feature`: invalid name: must be an upper-case variable name',
  ],
  [
    'unquoted boolean variable',
    { variables: '{ FEATURE_CHECKOUT: true }' },
    9,
    32,
    'must be a string, got boolean (true); quote it: "true"',
  ],
  [
    'variable over 4 KiB',
    { variables: `{ FEATURE_CHECKOUT: "${'x'.repeat(5000)}" }` },
    9,
    32,
    'must be at most 4 KiB (4096 bytes), got 5000 bytes',
  ],
  [
    'variable with NUL',
    { variables: '{ FEATURE_CHECKOUT: "a\\0b" }' },
    9,
    32,
    'must not contain NUL characters',
  ],
  ['empty reason', { reason: '""' }, 8, 9, '`reason`: must not be empty'],
  [
    'reason left blank',
    { reason: '' },
    8,
    1,
    '`reason`: must be a string, got nothing (the value is empty)',
  ],
  ['release with a slash', { release: 'feature/x' }, 4, 10, '`release`: must be letters, digits'],
];

describe('loadRequest refuses', () => {
  it.each(INVALID)('%s', (_name, overrides, line, column, message) => {
    const found = problems(request(overrides));
    const problem = found.find((p) => p.message.includes(message));
    expect(problem, JSON.stringify(found)).toEqual({
      file: FILE,
      line,
      column,
      message: expect.stringContaining(message),
    });
    const places = found.map((p) => `${p.line}:${p.column}:${p.message.split(': ')[0]}`);
    expect(new Set(places).size).toBe(places.length);
  });

  it('reports one clear message for a bad artifact, not a cascade', () => {
    const found = problems(
      request({ artifact: '{ url: "https://x.example/a", path: b, release_asset: { tag: 1 } }' }),
    );
    expect(found.filter((p) => p.message.startsWith('`artifact`:'))).toHaveLength(1);
  });

  it('reports every problem, one per place, sorted by line', () => {
    const text =
      'version: "1"\napplication: web\nenvironment: staging\nrelease: 1.4\nartifact: {}\nreason: x\nextra: 1\n';
    const found = problems(text);
    expect(found.map((p) => [p.line, p.message.split(':')[0]])).toEqual([
      [1, '`version`'],
      [4, '`release`'],
      [5, '`artifact`'],
      [5, '`artifact.sha256`'],
      [7, '`extra`'],
    ]);
  });

  it('lists at most 100 problems, the last one saying how many more there are', () => {
    const text = request() + Array.from({ length: 500 }, (_, i) => `extra${i}: 1`).join('\n');
    const found = problems(text);
    expect(found).toHaveLength(100);
    expect(found[99]).toMatchObject({
      line: 108,
      column: 1,
      message: '401 more problems from here on are not shown; fix the ones above first',
    });
  });

  it('quotes odd field names so they cannot break Markdown', () => {
    const found = problems(request({ '"a`b\\n@team"': '1' }));
    expect(found).toEqual([
      {
        file: FILE,
        line: 9,
        column: 1,
        message: expect.stringMatching(/^`\["a'b\\n@team"\]`: unknown field;/),
      },
    ]);
  });

  it('names a custom configuration file in messages', () => {
    const loaded = loadRequest(request({ environment: 'qa' }), FILE, config, {
      configFile: 'ci/deploy.yml',
    });
    expect(loaded.ok ? [] : loaded.problems[0]?.message).toContain(
      'is not an environment of ci/deploy.yml',
    );
  });

  it('points at the key of an unknown field and at the parent of a missing one', () => {
    const text = request({
      artifact: `\n  release_asset:\n    tag: v1\n    nmae: web.tgz\n  sha256: ${SHA}`,
    });
    expect(problems(text).map((p) => `${p.line}:${p.column} ${p.message.slice(0, 40)}`)).toEqual([
      '6:3 `artifact.release_asset.name`: required ',
      '8:5 `artifact.release_asset.nmae`: unknown f',
    ]);
  });
});
