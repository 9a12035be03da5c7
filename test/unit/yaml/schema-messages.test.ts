// ajv errors → one sentence per place. Each keyword's message, from the errors ajv gives (built
// here as ajv builds them), so every wording a user can see is pinned.
import type { ErrorObject } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { schemaIssues, type MessageContext } from '../../../src/yaml/schema-messages.js';

function err(keyword: string, o: Partial<ErrorObject> = {}): ErrorObject {
  return { keyword, instancePath: '', schemaPath: `#/${keyword}`, params: {}, ...o };
}

function ctx(data: unknown, o: Partial<MessageContext> = {}): MessageContext {
  return {
    data,
    root: {
      $defs: { sha: { type: 'string', examples: ['9f86d081'] } },
    },
    hints: {
      '^a$': 'must be a',
      '^f$': (value) => `hint for ${String(value)}`,
    },
    raw: () => undefined,
    ...o,
  };
}

const one = (e: ErrorObject, c: MessageContext) => {
  const issues = schemaIssues([e], c);
  expect(issues).toHaveLength(1);
  return issues[0]!;
};

describe('schemaIssues messages', () => {
  it('additionalProperties: a guess when close; the allowed names; none when no properties', () => {
    const e = err('additionalProperties', {
      params: { additionalProperty: 'relase' },
      parentSchema: { properties: { release: {}, reason: {} } },
    });
    expect(one(e, ctx({ relase: 1 }))).toEqual({
      path: ['relase'],
      anchor: 'key',
      message: 'unknown field (did you mean `release`?); allowed here: release, reason',
    });
    const bare = err('additionalProperties', {
      params: { additionalProperty: 'x' },
      parentSchema: {},
    });
    expect(one(bare, ctx({ x: 1 })).message).toBe('unknown field; allowed here: ');
  });

  it('required and dependentRequired: an example from the property or its $ref', () => {
    const parentSchema = {
      properties: {
        sha256: { $ref: '#/$defs/sha' },
        url: { type: 'string', examples: ['https://x'] },
        own: { $ref: '#/$defs/sha', examples: [{ a: 1 }] },
        dangling: { $ref: '#/$defs/nope' },
        remote: { $ref: 'https://elsewhere#/x' },
      },
    };
    const required = (name: string) =>
      one(err('required', { params: { missingProperty: name }, parentSchema }), ctx({})).message;
    expect(required('sha256')).toBe('required field is missing; add e.g. `sha256: 9f86d081`');
    expect(required('url')).toBe('required field is missing; add e.g. `url: https://x`');
    expect(required('own')).toBe('required field is missing; add e.g. `own: {a: 1}`');
    expect(required('dangling')).toBe('required field is missing; add `dangling`');
    expect(required('remote')).toBe('required field is missing; add `remote`');
    expect(required('other')).toBe('required field is missing; add `other`');
    expect(
      one(
        err('required', { params: { missingProperty: 'x' }, parentSchema: true as never }),
        ctx({}),
      ).message,
    ).toBe('required field is missing; add `x`');
    const dep = one(
      err('dependentRequired', {
        params: { property: 'url', missingProperty: 'sha256' },
        parentSchema,
      }),
      ctx({ url: 'u' }),
    );
    expect(dep).toEqual({
      path: ['sha256'],
      anchor: 'parent',
      message: 'required when `url` is given; add e.g. `sha256: 9f86d081`',
    });
  });

  it('propertyNames: a hint for the pattern, or a plain sentence', () => {
    const e = err('propertyNames', { params: { propertyName: 'Bad' }, schema: { pattern: '^a$' } });
    expect(one(e, ctx({ Bad: 1 }))).toEqual({
      path: ['Bad'],
      anchor: 'key',
      message: 'invalid name: must be a',
    });
    const plain = err('propertyNames', { params: { propertyName: 'x' }, schema: { maxLength: 1 } });
    expect(one(plain, ctx({})).message).toBe('invalid name: is not an allowed name');
  });

  it('errors inside propertyNames or inside a failing oneOf are not repeated', () => {
    const issues = schemaIssues(
      [
        err('pattern', { schemaPath: '#/propertyNames/pattern', params: { pattern: '^a$' } }),
        err('oneOf', {
          instancePath: '/artifact',
          schemaPath: '#/properties/artifact/oneOf',
          schema: [],
        }),
        err('required', {
          instancePath: '/artifact',
          schemaPath: '#/properties/artifact/oneOf/0/required',
          params: { missingProperty: 'url' },
        }),
      ],
      ctx({ artifact: {} }),
    );
    expect(issues.map((i) => i.message)).toEqual(['must match exactly one of the allowed forms']);
  });

  it('type: expected vs actual, whole numbers, quoting hints with the raw text', () => {
    const type = (want: unknown, value: unknown, raw?: string) =>
      one(
        err('type', { instancePath: '/v', params: { type: want } }),
        ctx({ v: value }, { raw: () => raw }),
      ).message;
    expect(type('integer', 1.5)).toBe('must be a whole number, got 1.5');
    expect(type('string', 1.4, '1.40')).toBe(
      'must be a string, got number (1.4); quote it: "1.40"',
    );
    expect(type('string', true)).toBe('must be a string, got boolean (true); quote it: "true"');
    expect(type('string', null)).toBe('must be a string, got nothing (the value is empty)');
    expect(type(['string', 'array'], {})).toBe('must be a string or a list, got a mapping');
    expect(type('object', [])).toBe('must be a mapping (`key: value` lines), got a list');
    expect(type(['boolean', 'null', 'number', 'weird'], 'x'.repeat(70))).toBe(
      `must be true or false, empty, a number or weird, got string ("${'x'.repeat(56)}...)`,
    );
    expect(type('integer', 'x')).toBe('must be a number, got string ("x")');
  });

  it('const and enum show the allowed values as code', () => {
    expect(one(err('const', { params: { allowedValue: 1 } }), ctx(2)).message).toBe(
      'must be `1`, got number (2)',
    );
    expect(
      one(err('enum', { params: { allowedValues: ['a', { b: [1] }] } }), ctx('c')).message,
    ).toBe('must be one of: `a`, `{b: [1]}`');
  });

  it('a value YAML cannot write is shown as JSON', () => {
    expect(one(err('const', { params: { allowedValue: () => 1 } }), ctx(2)).message).toMatch(
      /^must be `undefined`, got number \(2\)$/,
    );
  });

  it('oneOf: names the forms and which were found', () => {
    const forms = [{ required: ['url'] }, { required: ['path'] }, { required: ['release_asset'] }];
    const oneOf = (value: unknown, schema: unknown = forms) =>
      one(err('oneOf', { schema }), ctx(value)).message;
    expect(oneOf({})).toBe('give exactly one of `url`, `path` or `release_asset`; found none');
    expect(oneOf({ url: 1, path: 2 })).toBe(
      'give exactly one of `url`, `path` or `release_asset`; found `url` and `path`',
    );
    expect(oneOf('x')).toBe('give exactly one of `url`, `path` or `release_asset`; found none');
    expect(oneOf({}, [{ required: ['a', 'b'] }])).toBe(
      'must match exactly one of the allowed forms',
    );
    expect(oneOf({}, 'not a list')).toBe('must match exactly one of the allowed forms');
  });

  it('anyOf: formats in words, else a generic sentence', () => {
    const anyOf = (schema: unknown) => one(err('anyOf', { schema }), ctx('x')).message;
    expect(anyOf([{ format: 'hostname' }, { format: 'ipv4' }, { format: 'ipv6' }])).toBe(
      'must be a host name, an IPv4 address or an IPv6 address',
    );
    expect(anyOf([{ format: 'uri' }])).toBe('must be a URL');
    expect(anyOf([{ format: 'date' }])).toBe('must match one of the allowed forms');
    expect(anyOf([1])).toBe('must match one of the allowed forms');
    expect(anyOf([])).toBe('must match one of the allowed forms');
    expect(anyOf(undefined)).toBe('must match one of the allowed forms');
  });

  it('pattern: a string hint, a function hint, or the pattern itself', () => {
    const pattern = (p: string) =>
      one(err('pattern', { params: { pattern: p } }), ctx('v')).message;
    expect(pattern('^a$')).toBe('must be a');
    expect(pattern('^f$')).toBe('hint for v');
    expect(pattern('^z$')).toBe('must match the pattern ^z$');
  });

  it('format: known formats in words, others by name', () => {
    expect(one(err('format', { params: { format: 'uri' } }), ctx('x')).message).toBe(
      'must be a URL',
    );
    expect(one(err('format', { params: { format: 'email' } }), ctx('x')).message).toBe(
      'must be a valid email',
    );
  });

  it('uniqueItems: names the repeated item and where it was first', () => {
    const data = { servers: ['web-1', 'web-2', 'web-1'] };
    expect(
      one(err('uniqueItems', { instancePath: '/servers', params: { i: 2, j: 0 } }), ctx(data)),
    ).toEqual({
      path: ['servers', 2],
      anchor: 'value',
      message: '`web-1` is listed twice (also at `servers[0]`)',
    });
    const objects = { list: [{ a: 1 }, { a: 1 }] };
    expect(
      one(err('uniqueItems', { instancePath: '/list', params: { i: 1, j: 0 } }), ctx(objects))
        .message,
    ).toBe('this item is listed twice (also at `list[0]`)');
  });

  it('sizes: empty, at least, at most', () => {
    const size = (keyword: string, limit: number, value: unknown) =>
      one(err(keyword, { params: { limit } }), ctx(value)).message;
    expect(size('minItems', 1, [])).toBe('must not be empty');
    expect(size('minLength', 3, 'ab')).toBe('must have at least 3 characters');
    expect(size('minProperties', 2, {})).toBe('must have at least 2 entries');
    expect(size('maxLength', 3, 'abcd')).toBe('must have at most 3 characters, got 4');
    expect(size('maxItems', 1, [1, 2])).toBe('must have at most 1 entries, got 2');
    expect(size('maxItems', 1, {})).toBe('must have at most 1 entries, got ?');
  });

  it('bounds: the comparison and the value', () => {
    for (const keyword of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']) {
      expect(one(err(keyword, { params: { comparison: '>=', limit: 1 } }), ctx(0)).message).toBe(
        'must be >= 1, got 0',
      );
    }
  });

  it('other keywords: ajv’s message, or a generic one', () => {
    expect(one(err('not', { message: 'must NOT be valid' }), ctx(1)).message).toBe(
      'must NOT be valid',
    );
    expect(one(err('not'), ctx(1)).message).toBe('is not valid here');
  });

  it('the most telling issue comes first: type, then combinators, then const/enum, then the rest', () => {
    const issues = schemaIssues(
      [
        err('minimum', { params: { comparison: '>=', limit: 1 } }),
        err('enum', { params: { allowedValues: [1] } }),
        err('anyOf', { schema: [] }),
        err('type', { params: { type: 'integer' } }),
      ],
      ctx(0.5),
    );
    expect(issues.map((i) => i.message)).toEqual([
      'must be a whole number, got 0.5',
      'must match one of the allowed forms',
      'must be one of: `1`',
      'must be >= 1, got 0.5',
    ]);
  });
});
