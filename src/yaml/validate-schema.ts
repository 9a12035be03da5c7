// Checks a parsed YAML document against a JSON Schema (2020-12) with ajv, filling in defaults,
// and reports every violation as a located, human problem.
import { Ajv2020, type SchemaObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import type { Loaded } from '../problem.js';
import { Locator } from './locate.js';
import type { ParsedYaml } from './parse-yaml.js';
import { schemaIssues, type PatternHint } from './schema-messages.js';

// ajv-formats is CommonJS: under Node its default import is the module object (with `.default`),
// under a bundler it may be the plugin itself.
type FormatsPlugin = (ajv: Ajv2020) => Ajv2020;
const formats = formatsModule as unknown as FormatsPlugin & { default?: FormatsPlugin };
const addFormats: FormatsPlugin = formats.default ?? formats;

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

function validatorFor(schema: SchemaObject): ValidateFunction {
  const id = String(schema.$id);
  let validate = compiled.get(id);
  if (!validate) {
    // Compiled on first use and kept: compiling costs milliseconds, validating microseconds.
    ajv ??= addFormats(
      new Ajv2020({
        allErrors: true,
        useDefaults: true,
        verbose: true,
        strict: true,
        strictRequired: false,
      }),
    );
    validate = ajv.compile(schema);
    compiled.set(id, validate);
  }
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
