// Loads the trusted configuration text (fetched from the base branch by the caller): safe YAML,
// then the JSON Schema (which fills in defaults), then the rules a schema cannot express.
import type { SchemaObject } from 'ajv/dist/2020.js';
import configSchema from '../../schemas/deploy-request-config.schema.json' with { type: 'json' };
import type { Loaded } from '../problem.js';
import { Locator } from '../yaml/locate.js';
import { parseYaml } from '../yaml/parse-yaml.js';
import { PATTERN_HINTS } from '../yaml/pattern-hints.js';
import { validateSchema } from '../yaml/validate-schema.js';
import { checkConfig } from './check-config.js';
import type { DeployRequestConfig } from './types.js';

export const CONFIG_SCHEMA: SchemaObject = configSchema;

/** Pure: never throws, never reads files. `file` is only used in the problems it returns. */
export function loadConfig(text: string, file: string): Loaded<DeployRequestConfig> {
  const parsed = parseYaml(text, file);
  if (!parsed.ok) return parsed;
  const valid = validateSchema<DeployRequestConfig>(
    parsed.value,
    CONFIG_SCHEMA,
    file,
    PATTERN_HINTS,
  );
  if (!valid.ok) return valid;
  const issues = checkConfig(valid.value);
  if (issues.length > 0)
    return { ok: false, problems: new Locator(parsed.value, file).problems(issues) };
  return valid;
}
