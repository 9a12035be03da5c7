// Checks a parsed YAML document against a JSON Schema (2020-12) with ajv, filling in defaults,
// and reports every violation as a located, human problem.
import type { SchemaObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { Loaded } from '../problem.js';
import { Locator } from './locate.js';
import type { ParsedYaml } from './parse-yaml.js';
import { schemaIssues, type PatternHint } from './schema-messages.js';
// Compiled ahead of time (scripts/gen-validators.mjs): compiling at run time cost 150-180 ms.
import { validatorsById } from './schema-validators.generated.js';

function validatorFor(schema: SchemaObject): ValidateFunction {
  const validate = validatorsById[String(schema.$id)];
  if (!validate) throw new Error(`no compiled validator for schema ${String(schema.$id)}`);
  return validate;
}

/**
 * Validates `parsed.value` in place (defaults are written into it) and returns it typed as T,
 * or one problem per offending place.
 */
export function validateSchema<T>(
  parsed: ParsedYaml,
  schema: SchemaObject,
  file: string,
  hints: Readonly<Record<string, PatternHint>>,
): Loaded<T> {
  const validate = validatorFor(schema);
  if (validate(parsed.value)) return { ok: true, value: parsed.value as T };
  const locator = new Locator(parsed, file);
  const issues = schemaIssues(validate.errors ?? [], {
    data: parsed.value,
    root: schema,
    hints,
    raw: (path) => locator.raw(path),
  });
  return { ok: false, problems: locator.problems(issues) };
}
