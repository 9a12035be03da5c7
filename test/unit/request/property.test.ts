// Whatever text a pull request contains, the loaders answer (never throw) and answer fast.
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { loadRequest } from '../../../src/request/load-request.js';
import { fixture, validConfig } from './helpers.js';

const config = validConfig();
const validRequest = fixture('requests/valid.yml');
const validConfigText = fixture('config/valid.yml');
// Compile both validators before timing anything.
loadRequest(validRequest, 'warm.yml', config);

/** Milliseconds one call takes; a slow call is timed once more, so a GC pause or a busy machine
 * (the suite runs with coverage, in parallel) is not mistaken for a slow input. */
function timed<T>(run: () => T): { result: T; ms: number } {
  let start = performance.now();
  let result = run();
  let ms = performance.now() - start;
  if (ms >= 100) {
    start = performance.now();
    result = run();
    ms = performance.now() - start;
  }
  return { result, ms };
}

function answersQuickly(text: string): void {
  for (const run of [() => loadRequest(text, 'r.yml', config), () => loadConfig(text, 'c.yml')]) {
    const { result, ms } = timed<ReturnType<typeof run>>(run);
    expect(ms).toBeLessThan(100);
    if (!result.ok) {
      for (const p of result.problems) {
        expect(p.line).toBeGreaterThanOrEqual(1);
        expect(p.column).toBeGreaterThanOrEqual(1);
        expect(p.message).not.toBe('');
      }
    }
  }
}

const yamlToken = fc.constantFrom(
  ':',
  ': ',
  '- ',
  '\n',
  '  ',
  '{',
  '}',
  '[',
  ']',
  ',',
  '"',
  "'",
  '&a ',
  '*a',
  '!!str ',
  '!x ',
  '|',
  '>',
  '#',
  '---\n',
  '...',
  '? ',
  'version',
  'artifact',
  'servers',
  'url',
  '1',
  'true',
  '~',
  '<<',
  '%YAML 1.2\n',
  '\t',
  '\0',
);
const jsonish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(
      fc.oneof(
        fc.string(),
        fc.constantFrom('version', 'artifact', 'servers', 'url', 'path', 'sha256'),
      ),
      tie('value'),
      { maxKeys: 6 },
    ),
  ),
})).value;

describe('loaders never throw and answer within 100 ms', () => {
  it('for arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), answersQuickly), {
      numRuns: 300,
    });
  });

  it('for strings made of YAML punctuation', () => {
    fc.assert(
      fc.property(
        fc.array(yamlToken, { maxLength: 60 }).map((t) => t.join('')),
        answersQuickly,
      ),
      { numRuns: 300 },
    );
  });

  it('for arbitrary JSON-ish values dumped to YAML', () => {
    fc.assert(
      fc.property(jsonish, (value) => answersQuickly(dump(value, { skipInvalid: true }))),
      { numRuns: 300 },
    );
  });

  it('for the valid fixtures with a random splice', () => {
    const spliced = (base: string) =>
      fc
        .tuple(fc.nat(base.length), fc.nat(20), fc.string({ maxLength: 20 }))
        .map(([at, cut, insert]) => base.slice(0, at) + insert + base.slice(at + cut));
    fc.assert(
      fc.property(fc.oneof(spliced(validRequest), spliced(validConfigText)), answersQuickly),
      { numRuns: 300 },
    );
  });

  it('for valid requests with arbitrary field values', () => {
    const request = fc.record(
      {
        version: jsonish,
        application: jsonish,
        environment: fc.oneof(fc.constantFrom('staging', 'production'), fc.string()),
        release: jsonish,
        artifact: fc.oneof(
          jsonish,
          fc.record({ path: fc.string() }),
          fc.record({ url: fc.webUrl(), sha256: fc.string() }),
        ),
        servers: fc.array(fc.oneof(fc.constantFrom('web-1', 'web-2'), fc.string()), {
          maxLength: 4,
        }),
        reason: jsonish,
        variables: fc.dictionary(fc.string(), fc.string()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(request, (value) => answersQuickly(dump(value, { skipInvalid: true }))),
      { numRuns: 300 },
    );
  });
});
