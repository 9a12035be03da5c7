// Loads a deployment request file from a pull request: safe YAML, the JSON Schema, then the
// checks against the trusted configuration. Everything here treats the text as hostile.
import type { SchemaObject } from 'ajv/dist/2020.js';
import requestSchema from '../../schemas/deploy-request.schema.json' with { type: 'json' };
import { DEFAULT_CONFIG_PATH, type DeployRequestConfig } from '../config/types.js';
import type { Loaded } from '../problem.js';
import { Locator } from '../yaml/locate.js';
import { parseYaml } from '../yaml/parse-yaml.js';
import { PATTERN_HINTS } from '../yaml/pattern-hints.js';
import { validateSchema } from '../yaml/validate-schema.js';
import { checkRequest } from './check-request.js';
import type { DeployRequest } from './types.js';

export const REQUEST_SCHEMA: SchemaObject = requestSchema;

export interface LoadRequestOptions {
  /** How to name the configuration in messages (default `.github/deploy-request.yml`). */
  configFile?: string;
}

/** Pure: never throws, never reads files. `file` is only used in the problems it returns. */
export function loadRequest(
  text: string,
  file: string,
  config: DeployRequestConfig,
  options: LoadRequestOptions = {},
): Loaded<DeployRequest> {
  const parsed = parseYaml(text, file);
  if (!parsed.ok) return parsed;
  const valid = validateSchema<DeployRequest>(parsed.value, REQUEST_SCHEMA, file, PATTERN_HINTS);
  if (!valid.ok) return valid;
  const issues = checkRequest(valid.value, config, options.configFile ?? DEFAULT_CONFIG_PATH);
  if (issues.length > 0)
    return { ok: false, problems: new Locator(parsed.value, file).problems(issues) };
  return valid;
}
