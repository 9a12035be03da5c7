// Writes the reference tables of README.md (between <!-- reference:start --> and
// <!-- reference:end -->) from schemas/*.json: every property path with its type, default and
// description. `--check` changes nothing and exits 1 when the section is stale (used by the tests).
//
//   node scripts/gen-readme-reference.mjs           # npm run docs
//   node scripts/gen-readme-reference.mjs --check
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as prettier from 'prettier';

export const START = '<!-- reference:start -->';
export const END = '<!-- reference:end -->';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The documents the reference is made of, in README order. */
export const DOCUMENTS = [
  {
    heading: 'Configuration: `.github/deploy-request.yml`',
    schema: 'schemas/deploy-request-config.schema.json',
  },
  {
    heading: 'Request: `deploy-requests/<anything>.yml`',
    schema: 'schemas/deploy-request.schema.json',
  },
];

/** Follows `$ref` (local `#/...` pointers only); the referring node's own keys win. */
function resolve(node, root) {
  let current = node;
  for (let hops = 0; current && typeof current.$ref === 'string'; hops++) {
    if (hops > 20) throw new Error(`$ref loop at ${node.$ref}`);
    const { $ref, ...own } = current;
    if (!$ref.startsWith('#/')) throw new Error(`only local $ref is supported, got ${$ref}`);
    const target = $ref
      .slice(2)
      .split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((at, key) => at?.[key], root);
    if (!target) throw new Error(`unresolved $ref ${$ref}`);
    current = { ...target, ...own };
  }
  return current;
}

/** A map's key placeholder: `<NAME>` for upper-case names (variables), `<name>` otherwise. */
function placeholder(node) {
  return node.propertyNames?.pattern?.startsWith('^[A-Z]') ? '<NAME>' : '<name>';
}

function isMap(node) {
  return typeof node.additionalProperties === 'object' && !node.properties;
}

function range(node) {
  const low = node.exclusiveMinimum !== undefined ? `> ${node.exclusiveMinimum}` : node.minimum;
  const high = node.maximum;
  if (typeof low === 'number' && high !== undefined) return `${low}–${high}`;
  if (typeof low === 'number') return `≥ ${low}`;
  if (typeof low === 'string') return low;
  if (high !== undefined) return `≤ ${high}`;
  return '';
}

/** A short type: `string (uri)`, `integer, 1–65535`, `string[]`, `map of string`, `1`. */
export function typeOf(raw, root) {
  const node = resolve(raw, root);
  if (node.const !== undefined) return literal(node.const);
  if (Array.isArray(node.enum)) return node.enum.map(literal).join(', ');
  const formats = [node.format, ...(node.anyOf ?? []).map((alt) => alt.format)].filter(Boolean);
  switch (node.type) {
    case 'array': {
      const items = node.items ? resolve(node.items, root) : {};
      const inner = items.type === 'object' || items.properties ? 'object' : typeOf(items, root);
      return /[ ,(]/.test(inner) ? `(${inner})[]` : `${inner}[]`;
    }
    case 'object':
      return isMap(node) ? `map of ${typeOf(node.additionalProperties, root)}` : 'object';
    case 'integer':
    case 'number': {
      const bounds = range(node);
      return bounds ? `${node.type}, ${bounds}` : node.type;
    }
    case 'string':
      return formats.length > 0 ? `string (${formats.join(', ')})` : 'string';
    default:
      return String(node.type ?? 'any');
  }
}

/** Every property path below `node`, depth first in schema order. */
export function propertyRows(schema) {
  const rows = [];
  const visit = (raw, prefix) => {
    const node = resolve(raw, schema);
    if (node.properties) {
      const required = new Set(node.required ?? []);
      for (const [key, child] of Object.entries(node.properties)) {
        const at = prefix ? `${prefix}.${key}` : key;
        rows.push(row(at, child, required.has(key), schema));
        descend(child, at);
      }
    } else if (isMap(node)) {
      const at = `${prefix}.${placeholder(node)}`;
      rows.push(row(at, node.additionalProperties, false, schema));
      descend(node.additionalProperties, at);
    }
  };
  const descend = (raw, at) => {
    const node = resolve(raw, schema);
    if (node.type === 'array' && node.items) {
      const items = resolve(node.items, schema);
      if (items.properties || isMap(items)) visit(items, `${at}[]`);
    } else if (node.properties || isMap(node)) {
      visit(node, at);
    }
  };
  visit(schema, '');
  return rows;
}

function row(at, raw, required, root) {
  const node = resolve(raw, root);
  let fallback = '';
  if (required) fallback = '**required**';
  else if (node.default !== undefined) fallback = literal(node.default);
  return {
    path: at,
    type: typeOf(raw, root),
    default: fallback,
    description: node.description ?? '',
  };
}

/** Outside code spans, Markdown would read `<id>` as HTML and `**` or `_x_` as emphasis. */
function escapeProse(text) {
  return text
    .replace(/[\\*<]/g, (c) => `\\${c}`)
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_');
}

/** A table cell: one line, prose escaped, pipes escaped (also inside code spans, as GFM wants). */
function cell(text) {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : escapeProse(part)))
    .join('')
    .replace(/\|/g, '\\|');
}

/** A generated cell (path, type, default): only pipes need escaping. */
function pipes(text) {
  return text.replace(/\|/g, '\\|');
}

/** A JSON value as a code span, with a space after commas: `["a", "b"]`. */
function literal(value) {
  const json = Array.isArray(value)
    ? `[${value.map((v) => JSON.stringify(v)).join(', ')}]`
    : JSON.stringify(value);
  return `\`${json}\``;
}

function table(rows) {
  const lines = ['| Property | Type | Default | Description |', '| --- | --- | --- | --- |'];
  for (const r of rows) {
    lines.push(
      `| ${['`' + r.path + '`', r.type, r.default].map(pipes).join(' | ')} | ${cell(r.description)} |`,
    );
  }
  return lines.join('\n');
}

/** The section between the markers (markers excluded), formatted with the repo's Prettier config. */
export async function renderReference(root = ROOT) {
  const parts = [
    '<!-- Generated from schemas/*.json by `npm run docs`: edit the schemas, not this section. -->',
  ];
  for (const doc of DOCUMENTS) {
    const schema = JSON.parse(readFileSync(path.join(root, doc.schema), 'utf8'));
    parts.push(
      `### ${doc.heading}`,
      `${cell(schema.description ?? '')} Schema: [\`${doc.schema}\`](${doc.schema}).`,
      table(propertyRows(schema)),
    );
  }
  const options = (await prettier.resolveConfig(path.join(root, 'README.md'))) ?? {};
  const formatted = await prettier.format(parts.join('\n\n'), { ...options, parser: 'markdown' });
  return `\n\n${formatted}\n`;
}

/** Splits README text around the markers; null when they are missing or out of order. */
export function splitReadme(text) {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) return null;
  return {
    before: text.slice(0, start + START.length),
    section: text.slice(start + START.length, end),
    after: text.slice(end),
  };
}

/** Returns { ok, message }: writes README.md, or only compares it with `check`. */
export async function run({ check = false, root = ROOT } = {}) {
  const file = path.join(root, 'README.md');
  const text = readFileSync(file, 'utf8');
  const parts = splitReadme(text);
  if (!parts) {
    return {
      ok: false,
      message: `README.md has no ${START} … ${END} section to fill in.`,
    };
  }
  const section = await renderReference(root);
  if (parts.section === section) return { ok: true, message: 'README.md reference is up to date.' };
  if (check) {
    return {
      ok: false,
      message:
        'README.md reference section is stale: it differs from schemas/*.json. Run "npm run docs" and commit README.md.',
    };
  }
  writeFileSync(file, `${parts.before}${section}${parts.after}`);
  return { ok: true, message: 'README.md reference updated from schemas/*.json.' };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const result = await run({ check: process.argv.includes('--check') });
  (result.ok ? console.log : console.error)(result.message);
  process.exitCode = result.ok ? 0 : 1;
}
