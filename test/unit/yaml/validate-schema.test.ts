// Schema validation end to end on a request: every violation reported (not just the first), with
// the schema's own words (allowed fields, examples) and defaults filled in.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { loadRequest } from '../../../src/request/load-request.js';

const CONFIG = readFileSync(new URL('../../fixtures/config/valid.yml', import.meta.url), 'utf8');
const loaded = loadConfig(CONFIG, 'c.yml');
if (!loaded.ok) throw new Error('fixture');
const config = loaded.value;

describe('validateSchema through loadRequest', () => {
  it('reports every violation, each with the schema’s allowed names or example', () => {
    const text = [
      'version: 1',
      'application: web',
      'environment: staging',
      'release: 1.4',
      'artifact:',
      '  url: https://example.com/a.tgz',
      'reasn: typo',
      '',
    ].join('\n');
    const r = loadRequest(text, 'r.yml', config);
    expect(r.ok).toBe(false);
    const problems = !r.ok ? r.problems.map((p) => `${p.line}:${p.column} ${p.message}`) : [];
    expect(problems).toHaveLength(4);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^1:1 `reason`: required field is missing; add e\.g\. `reason: /),
        '4:10 `release`: must be a string, got number (1.4); quote it: "1.4"',
        expect.stringMatching(
          /^5:1 `artifact\.sha256`: required field is missing; add e\.g\. `sha256: [0-9a-f]{64}`$/,
        ),
        expect.stringMatching(
          /^7:1 `reasn`: unknown field \(did you mean `reason`\?\); allowed here: version, application, /,
        ),
      ]),
    );
  });

  it('fills in defaults of the config schema', () => {
    expect(config.environments.production!.deploy.keep_releases).toBeGreaterThan(0);
    expect(config.environments.production!.approval.ordered).toBe(true);
  });
});
