// House rules for both schemas: identified, documented, closed, and every pattern explained.
import { describe, expect, it } from 'vitest';
import configSchema from '../../../schemas/deploy-request-config.schema.json' with { type: 'json' };
import requestSchema from '../../../schemas/deploy-request.schema.json' with { type: 'json' };
import { PATTERN_HINTS } from '../../../src/yaml/pattern-hints.js';

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every subschema with its JSON Pointer. */
function* subschemas(node: unknown, pointer = '#'): Generator<[string, Node]> {
  if (!isNode(node)) return;
  yield [pointer, node];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'examples' || key === 'default' || key === 'const') continue;
    if (key === 'properties' || key === '$defs' || key === 'dependentRequired') {
      for (const [name, child] of Object.entries(value as Node))
        yield* subschemas(child, `${pointer}/${key}/${name}`);
    } else if (Array.isArray(value)) {
      for (const [i, child] of value.entries()) yield* subschemas(child, `${pointer}/${key}/${i}`);
    } else yield* subschemas(value, `${pointer}/${key}`);
  }
}

describe.each([
  ['deploy-request.schema.json', requestSchema as Node],
  ['deploy-request-config.schema.json', configSchema as Node],
])('%s', (file, schema) => {
  const all = [...subschemas(schema)];

  it('is a 2020-12 schema with $id and title', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(`https://github.com/deploy-request/deploy-request/schemas/${file}`);
    expect(schema.title).toEqual(expect.any(String));
  });

  it('describes every property', () => {
    const undocumented = all
      .filter(([pointer]) => /\/properties\/[^/]+$/.test(pointer))
      .filter(([, node]) => typeof node.description !== 'string')
      .map(([pointer]) => pointer);
    expect(undocumented).toEqual([]);
  });

  it('closes every object: additionalProperties false, or a typed map with propertyNames', () => {
    const open = all
      .filter(([, node]) => node.type === 'object')
      .filter(
        ([, node]) =>
          !(
            node.additionalProperties === false ||
            (isNode(node.additionalProperties) && isNode(node.propertyNames))
          ),
      )
      .map(([pointer]) => pointer);
    expect(open).toEqual([]);
  });

  it('explains every pattern, and every pattern compiles as ajv compiles it', () => {
    const patterns = all
      .map(([, node]) => node.pattern)
      .filter((p): p is string => typeof p === 'string');
    expect(patterns.length).toBeGreaterThan(0);
    for (const pattern of patterns) {
      expect(PATTERN_HINTS, pattern).toHaveProperty([pattern]);
      expect(() => new RegExp(pattern, 'u')).not.toThrow();
    }
  });
});

describe('patterns', () => {
  const defs = (configSchema as Node).$defs as Record<string, Node>;
  const props = (n: Node) => n.properties as Record<string, Node>;
  const re = (n: Node | undefined) => new RegExp(String(n?.pattern), 'u');

  it.each([
    [
      'sha256',
      re(props(props(requestSchema as Node).artifact as Node).sha256),
      ['a'.repeat(64)],
      ['A'.repeat(64), 'a'.repeat(63)],
    ],
    [
      'host_key',
      re(props(defs.server as Node).host_key),
      ['ssh-ed25519 AAAA', 'ecdsa-sha2-nistp384 AB+/= host', 'ssh-rsa AAAA x'],
      ['ssh-dss AAAA', 'ssh-ed25519', 'AAAA'],
    ],
    ['mode', re(defs.mode), ['750', '0750', '0644', '1777'], ['0800', '75', 'rwx']],
    ['name', re(defs.name), ['web-1', 'eu.prod', '0'], ['Web', '-x', '', 'a b']],
    [
      'variable',
      re({ pattern: '^[A-Z][A-Z0-9_]*$' }),
      ['FEATURE_CHECKOUT', 'A1'],
      ['feature', '_X', '1A'],
    ],
    [
      'reviewer',
      re((props(defs.stage as Node).reviewers as Node).items as Node),
      ['alice', 'acme/ops', 'acme/team-leads'],
      ['acme/ops/x', '@alice', ''],
    ],
    [
      'artifact path',
      re(props(props(requestSchema as Node).artifact as Node).path),
      ['build/web.tgz', 'a..b/c'],
      ['/abs', '../x', 'a/../b', 'a\\b', '~/x'],
    ],
  ])('%s', (_name, pattern, good, bad) => {
    for (const value of good) expect(pattern.test(value), value).toBe(true);
    for (const value of bad) expect(pattern.test(value), value).toBe(false);
  });
});
