// Turns ajv's errors into one human sentence per place, saying how to fix it. Combinator errors
// (oneOf/anyOf) become one message instead of ajv's cascade of per-branch errors.
import type { ErrorObject, SchemaObject } from 'ajv/dist/2020.js';
import { dump } from 'js-yaml';
import { codeSpan } from './code-span.js';
import type { Issue } from './locate.js';
import { formatPath, isRecord, pointerToSegments, valueAt, type PathSegment } from './path.js';
import { closest } from './suggest.js';

/** Extra words for a `pattern` failure, keyed by the pattern's source text. */
export type PatternHint = string | ((value: unknown) => string);

export interface MessageContext {
  data: unknown;
  /** The root schema, to follow local `$ref`s when looking up examples. */
  root: SchemaObject;
  hints: Readonly<Record<string, PatternHint>>;
  raw(path: readonly PathSegment[]): string | undefined;
}

const FORMAT_NAMES: Record<string, string> = {
  hostname: 'a host name',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  uri: 'a URL',
};

function code(value: unknown): string {
  return `\`${typeof value === 'string' ? value : yamlInline(value)}\``;
}

function yamlInline(value: unknown): string {
  try {
    return dump(value, { flowLevel: 0, lineWidth: -1 }).trim();
  } catch {
    return JSON.stringify(value);
  }
}

function list(items: readonly string[], last = 'or'): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function expected(type: unknown): string {
  const names: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    integer: 'a number',
    boolean: 'true or false',
    object: 'a mapping (`key: value` lines)',
    array: 'a list',
    null: 'empty',
  };
  const types = Array.isArray(type) ? type : [type];
  return list(types.map((t) => names[String(t)] ?? String(t)));
}

function actual(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (the value is empty)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} (${preview(value)})`;
}

function resolve(schema: unknown, root: SchemaObject): SchemaObject | undefined {
  if (!isRecord(schema)) return undefined;
  const ref = schema.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/') || Array.isArray(schema.examples))
    return schema;
  const target = ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), root);
  return isRecord(target) ? { ...target, ...schema } : schema;
}

function addExample(name: string, parentSchema: unknown, root: SchemaObject): string {
  const properties = isRecord(parentSchema) ? parentSchema.properties : undefined;
  const property = resolve(isRecord(properties) ? properties[name] : undefined, root);
  const example = Array.isArray(property?.examples) ? property.examples[0] : undefined;
  return example === undefined ? `add \`${name}\`` : `add e.g. \`${name}: ${yamlInline(example)}\``;
}

function typeMessage(e: ErrorObject, value: unknown, raw: string | undefined): string {
  const want = e.params.type;
  if (want === 'integer' && typeof value === 'number')
    return `must be a whole number, got ${value}`;
  let message = `must be ${expected(want)}, got ${actual(value)}`;
  if (want === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
    message += `; quote it: "${raw ?? String(value)}"`;
  }
  return message;
}

function oneOfMessage(schema: unknown, value: unknown): string {
  const branches = Array.isArray(schema) ? schema : [];
  const names = branches.map((b: unknown) =>
    isRecord(b) && Array.isArray(b.required) && b.required.length === 1
      ? String(b.required[0])
      : '',
  );
  if (names.length === 0 || names.includes(''))
    return 'must match exactly one of the allowed forms';
  const present = names.filter((n) => isRecord(value) && Object.hasOwn(value, n));
  const found =
    present.length === 0 ? 'found none' : `found ${present.map((n) => `\`${n}\``).join(' and ')}`;
  return `give exactly one of ${list(names.map((n) => `\`${n}\``))}; ${found}`;
}

function anyOfMessage(schema: unknown): string {
  const branches = Array.isArray(schema) ? schema : [];
  const formats = branches.map((b: unknown) =>
    isRecord(b) ? FORMAT_NAMES[String(b.format)] : undefined,
  );
  if (formats.length > 0 && formats.every((f) => f !== undefined))
    return `must be ${list(formats as string[])}`;
  return 'must match one of the allowed forms';
}

function patternMessage(pattern: string, value: unknown, ctx: MessageContext): string {
  const hint = ctx.hints[pattern];
  if (typeof hint === 'function') return hint(value);
  return hint ?? `must match the pattern ${pattern}`;
}

function describe(e: ErrorObject, path: PathSegment[], ctx: MessageContext): Issue | undefined {
  const value = valueAt(ctx.data, path);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String(p.additionalProperty);
      const props =
        isRecord(e.parentSchema) && isRecord(e.parentSchema.properties)
          ? e.parentSchema.properties
          : {};
      const allowed = Object.keys(props);
      const guess = closest(name, allowed);
      const hint = guess ? ` (did you mean \`${guess}\`?)` : '';
      return {
        path: [...path, name],
        anchor: 'key',
        message: `unknown field${hint}; allowed here: ${allowed.join(', ')}`,
      };
    }
    case 'required': {
      const name = String(p.missingProperty);
      const add = addExample(name, e.parentSchema, ctx.root);
      return {
        path: [...path, name],
        anchor: 'parent',
        message: `required field is missing; ${add}`,
      };
    }
    case 'dependentRequired': {
      const name = String(p.missingProperty);
      const add = addExample(name, e.parentSchema, ctx.root);
      return {
        path: [...path, name],
        anchor: 'parent',
        message: `required when \`${String(p.property)}\` is given; ${add}`,
      };
    }
    case 'propertyNames': {
      const name = String(p.propertyName);
      const pattern = isRecord(e.schema) ? e.schema.pattern : undefined;
      const why =
        typeof pattern === 'string' ? patternMessage(pattern, name, ctx) : 'is not an allowed name';
      return { path: [...path, name], anchor: 'key', message: `invalid name: ${why}` };
    }
    case 'type':
      return { path, anchor: 'value', message: typeMessage(e, value, ctx.raw(path)) };
    case 'const':
      return {
        path,
        anchor: 'value',
        message: `must be ${code(p.allowedValue)}, got ${actual(value)}`,
      };
    case 'enum':
      return {
        path,
        anchor: 'value',
        message: `must be one of: ${(p.allowedValues as unknown[]).map(code).join(', ')}`,
      };
    case 'oneOf':
      return { path, anchor: 'value', message: oneOfMessage(e.schema, value) };
    case 'anyOf':
      return { path, anchor: 'value', message: anyOfMessage(e.schema) };
    case 'pattern':
      return { path, anchor: 'value', message: patternMessage(String(p.pattern), value, ctx) };
    case 'format':
      return {
        path,
        anchor: 'value',
        message: `must be ${FORMAT_NAMES[String(p.format)] ?? `a valid ${String(p.format)}`}`,
      };
    case 'uniqueItems': {
      const [first, again] = [
        Math.min(Number(p.i), Number(p.j)),
        Math.max(Number(p.i), Number(p.j)),
      ];
      const item = valueAt(ctx.data, [...path, again]);
      const what = typeof item === 'string' ? codeSpan(item) : 'this item';
      const also = formatPath([...path, first]);
      return {
        path: [...path, again],
        anchor: 'value',
        message: `${what} is listed twice (also at ${codeSpan(also)})`,
      };
    }
    case 'minItems':
    case 'minLength':
    case 'minProperties':
      if (p.limit === 1) return { path, anchor: 'value', message: 'must not be empty' };
      return {
        path,
        anchor: 'value',
        message: `must have at least ${String(p.limit)} ${e.keyword === 'minLength' ? 'characters' : 'entries'}`,
      };
    case 'maxItems':
    case 'maxLength': {
      const size = typeof value === 'string' || Array.isArray(value) ? value.length : '?';
      const unit = e.keyword === 'maxLength' ? 'characters' : 'entries';
      return {
        path,
        anchor: 'value',
        message: `must have at most ${String(p.limit)} ${unit}, got ${size}`,
      };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        path,
        anchor: 'value',
        message: `must be ${String(p.comparison)} ${String(p.limit)}, got ${preview(value)}`,
      };
    default:
      return { path, anchor: 'value', message: e.message ?? 'is not valid here' };
  }
}

// Lower runs first; the first issue at a path is the one shown.
const PRIORITY: Record<string, number> = { type: 0, oneOf: 1, anyOf: 1, const: 2, enum: 2 };

/** One issue per ajv error that deserves a message, most telling first. */
export function schemaIssues(errors: readonly ErrorObject[], ctx: MessageContext): Issue[] {
  const combinators = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  const inside = (e: ErrorObject) =>
    combinators.some(
      (c) =>
        c !== e &&
        e.schemaPath.startsWith(`${c.schemaPath}/`) &&
        e.instancePath.startsWith(c.instancePath),
    );
  const issues: { issue: Issue; rank: number }[] = [];
  for (const e of errors) {
    if (inside(e) || e.schemaPath.includes('/propertyNames/')) continue;
    const issue = describe(e, pointerToSegments(e.instancePath, ctx.data), ctx);
    if (issue) issues.push({ issue, rank: PRIORITY[e.keyword] ?? 3 });
  }
  return issues.sort((a, b) => a.rank - b.rank).map((x) => x.issue);
}
