// The schemas' validators are compiled ahead of time (scripts/gen-validators.mjs) into src/: this
// fails when they are stale, and shows they behave as ajv compiling the schema at run time does.
import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { validatorsById } from '../../src/yaml/schema-validators.generated.js';
import { ROOT, readRepoFile, repoPath } from './support.js';

const run = promisify(execFile);
type FormatsPlugin = (ajv: Ajv2020) => Ajv2020;
const formats = formatsModule as unknown as FormatsPlugin & { default?: FormatsPlugin };
const addFormats = formats.default ?? formats;

describe('compiled schema validators (npm run build)', () => {
  it('are up to date with schemas/*.json (the generator in check mode)', async () => {
    const result = await run(process.execPath, ['scripts/gen-validators.mjs', '--check'], {
      cwd: ROOT,
    }).then(
      () => ({ code: 0, output: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, output: error.stderr }),
    );
    expect(result).toEqual({ code: 0, output: '' });
  });

  it.each(['deploy-request-config.schema.json', 'deploy-request.schema.json'])(
    '%s: the same verdict, errors and filled-in defaults as a run-time compile',
    async (name) => {
      const schema = JSON.parse(await readRepoFile(`schemas/${name}`)) as { $id: string };
      const compiled = validatorsById[schema.$id]!;
      const { AJV_OPTIONS } = (await import(
        pathToFileURL(repoPath('scripts/gen-validators.mjs')).href
      )) as { AJV_OPTIONS: object };
      const ajv = addFormats(new Ajv2020(AJV_OPTIONS));
      const fresh = ajv.compile(schema);
      const samples: unknown[] = [
        {},
        { version: 1 },
        { version: 1, environments: {} },
        { version: 1, environments: { prod: { servers: [{ name: 'a', host: '-bad-' }] } } },
        { environment: 'prod', artifact: { url: 'not a url' }, sha256: 'xyz' },
        {
          environment: 'prod',
          artifact: { url: 'https://x.example/a.tgz' },
          sha256: 'a'.repeat(64),
        },
      ];
      for (const sample of samples) {
        const a = structuredClone(sample);
        const b = structuredClone(sample);
        expect(compiled(a)).toBe(fresh(b));
        expect(compiled.errors ?? null).toEqual(fresh.errors ?? null);
        expect(a).toEqual(b);
      }
    },
  );
});
