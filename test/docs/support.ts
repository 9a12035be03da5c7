// Helpers for the documentation tests: GitHub's own workflow parser, the README's YAML blocks,
// and plain YAML reading for structural checks.
import { build } from 'esbuild';
import { load } from 'js-yaml';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function repoPath(...parts: string[]): string {
  return path.join(ROOT, ...parts);
}

export async function readRepoFile(relative: string): Promise<string> {
  return readFile(repoPath(relative), 'utf8');
}

type WorkflowParser = typeof import('@actions/workflow-parser');
let parser: Promise<WorkflowParser> | undefined;

/**
 * @actions/workflow-parser imports its schema JSON without an import attribute, which Node's
 * loader refuses; bundling it once with esbuild (which inlines the JSON) sidesteps that.
 */
export function loadWorkflowParser(): Promise<WorkflowParser> {
  parser ??= (async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'dr-workflow-parser-'));
    const outfile = path.join(dir, 'workflow-parser.mjs');
    try {
      await build({
        stdin: {
          contents:
            "export { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } from '@actions/workflow-parser';",
          resolveDir: ROOT,
          loader: 'js',
        },
        bundle: true,
        format: 'esm',
        platform: 'node',
        outfile,
        logLevel: 'silent',
      });
      return (await import(pathToFileURL(outfile).href)) as WorkflowParser;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  return parser;
}

/** Every error GitHub's parser reports for a workflow file (empty when it is valid). */
export async function workflowErrors(name: string, content: string): Promise<string[]> {
  const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } =
    await loadWorkflowParser();
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((error) => error.message);
  if (parsed.value === undefined) return errors.length > 0 ? errors : [`${name}: nothing parsed`];
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  const converted = (template.errors ?? []).map((error) => error.Message);
  return [...new Set([...errors, ...converted])];
}

/** Plain YAML for structural checks of trusted files (workflows, dependabot). */
export function readYaml(text: string): Record<string, unknown> {
  return load(text) as Record<string, unknown>;
}

export type BlockKind = 'workflow' | 'config' | 'request' | 'excerpt' | 'unknown';

export interface YamlBlock {
  /** 1-based line of the block's first content line in README.md. */
  line: number;
  text: string;
  kind: BlockKind;
}

/** Decided by content, as the README promises: jobs → workflow, environments → config, application → request. */
export function classify(text: string): BlockKind {
  const first = text.split('\n', 1)[0]!.trim();
  if (/^#\s*\(excerpt\)/i.test(first)) return 'excerpt';
  if (/^jobs:/m.test(text)) return 'workflow';
  if (/^environments:/m.test(text)) return 'config';
  if (/^application:/m.test(text)) return 'request';
  return 'unknown';
}

/** The fenced ```yaml (or ```yml) blocks of a Markdown text. */
export function yamlBlocks(markdown: string): YamlBlock[] {
  const blocks: YamlBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(yaml|yml)\s*$/i.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && lines[j]!.trim() !== fence; j++) body.push(lines[j]!);
    const text = `${body.join('\n')}\n`;
    blocks.push({ line: i + 2, text, kind: classify(text) });
    i = j;
  }
  return blocks;
}

/** The `$schema=` target of a yaml-language-server modeline, if the text has one. */
export function modelineSchema(text: string): string | undefined {
  return /^#\s*yaml-language-server:\s*\$schema=(\S+)/m.exec(text)?.[1];
}
