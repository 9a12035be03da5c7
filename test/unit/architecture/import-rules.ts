// The layers of src/ and which may import which: the domain imports
// nothing else; the pure core (approval, confirm, report, request, config, yaml) never reaches the
// edge (GitHub, SSH, the event handlers); the adapters never reach the handlers. A plain module
// (no test hooks), so the rules can be checked on an in-memory sample too.
import path from 'node:path';
import ts from 'typescript';

/** A folder under src/ and the folders it must not import; `only` lists the folders it may. */
export interface ImportRule {
  folder: string;
  forbidden?: readonly string[];
  only?: readonly string[];
}

const EDGE = ['github', 'ssh', 'action', 'edge', 'steps'];

export const RULES: readonly ImportRule[] = [
  { folder: 'domain', only: ['domain'] },
  ...['approval', 'confirm', 'report', 'request', 'config', 'yaml', 'rollback'].map((folder) => ({
    folder,
    forbidden: EDGE,
  })),
  { folder: 'github', forbidden: ['action', 'edge', 'steps'] },
  { folder: 'ssh', forbidden: ['action', 'edge', 'steps'] },
];

/** Every module a file imports or re-exports (static, type-only and dynamic). */
export function importsOf(text: string): string[] {
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map((f) => f.fileName);
}

/**
 * The folder under src/ an import of `file` (a path relative to src/, with `/`) lands in: '' for
 * a file directly in src/, `package:<name>` for a bare specifier (a package or node: builtin).
 */
export function folderOf(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return `package:${specifier}`;
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
  if (target.startsWith('..')) return `outside:${target}`;
  const parts = target.split('/');
  return parts.length > 1 ? parts[0]! : '';
}

/** "src/<file> → <specifier> (<why>)" for every import that breaks a rule; files relative to src/. */
export function violations(
  files: ReadonlyMap<string, string>,
  rules: readonly ImportRule[] = RULES,
): string[] {
  const out: string[] = [];
  for (const [file, text] of files) {
    const rule = rules.find((r) => file.startsWith(`${r.folder}/`));
    if (!rule) continue;
    for (const specifier of importsOf(text)) {
      const folder = folderOf(file, specifier);
      const broken = rule.only
        ? !rule.only.includes(folder)
        : (rule.forbidden ?? []).includes(folder);
      if (!broken) continue;
      const why = rule.only
        ? `${rule.folder}/ imports only from ${rule.only.map((f) => `${f}/`).join(', ')}`
        : `${rule.folder}/ must not import ${folder}/`;
      out.push(`src/${file} → ${specifier} (${why})`);
    }
  }
  return out.sort();
}
