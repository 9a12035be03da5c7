// Shared by the request tests: the valid fixtures, loaded once.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../../src/config/load-config.js';
import type { DeployRequestConfig } from '../../../src/config/types.js';

export function fixture(path: string): string {
  return readFileSync(fileURLToPath(new URL(`../../fixtures/${path}`, import.meta.url)), 'utf8');
}

export function validConfig(): DeployRequestConfig {
  const loaded = loadConfig(fixture('config/valid.yml'), '.github/deploy-request.yml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded.value;
}

export const SHA = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

/** A valid request with `lines` (YAML, top-level) replacing or adding fields. */
export function request(overrides: Record<string, string | null> = {}): string {
  const fields: Record<string, string | null> = {
    version: '1',
    application: 'web',
    environment: 'staging',
    release: '1.4.2',
    artifact: `\n  url: https://example.com/web.tar.gz\n  sha256: ${SHA}`,
    reason: 'Roll out the new checkout flow',
    ...overrides,
  };
  return Object.entries(fields)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}:${v?.startsWith('\n') ? '' : ' '}${v}`)
    .join('\n')
    .concat('\n');
}
