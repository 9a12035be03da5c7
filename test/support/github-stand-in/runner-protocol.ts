// The runner's side of the Actions protocol: the command files (GITHUB_OUTPUT, GITHUB_STATE,
// GITHUB_ENV) and the `::command::` lines an action prints (annotations, masks).

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
  endColumn?: number;
  title?: string;
}

/** Parses the `name=value` / `name<<DELIMITER … DELIMITER` file format of GITHUB_OUTPUT and friends. */
export function parseCommandFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delim] = heredoc as unknown as [string, string, string];
      const value: string[] = [];
      while (++i < lines.length && lines[i] !== delim) value.push(lines[i] as string);
      if (i >= lines.length)
        throw new Error(`run-action: unterminated ${name}<<${delim} in command file`);
      out[name] = value.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

const unescapeData = (s: string): string =>
  s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProp = (s: string): string =>
  unescapeData(s.replace(/%3A/g, ':').replace(/%2C/g, ','));

export function parseWorkflowCommands(stdout: string): {
  annotations: Annotation[];
  masks: string[];
} {
  const annotations: Annotation[] = [];
  const masks: string[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) continue;
    const [, cmd, props = '', data = ''] = m as unknown as [
      string,
      string,
      string | undefined,
      string | undefined,
    ];
    if (cmd === 'add-mask') masks.push(unescapeData(data));
    if (cmd !== 'error' && cmd !== 'warning' && cmd !== 'notice') continue;
    const a: Annotation = { level: cmd, message: unescapeData(data) };
    for (const kv of props.split(',').filter(Boolean)) {
      const eq = kv.indexOf('=');
      const [k, v] = [kv.slice(0, eq), unescapeProp(kv.slice(eq + 1))];
      if (k === 'file' || k === 'title') a[k] = v;
      else if (k === 'line' || k === 'endLine' || k === 'col' || k === 'endColumn')
        a[k] = Number(v);
    }
    annotations.push(a);
  }
  return { annotations, masks };
}

/**
 * Every line the runner would process as a workflow command, read as the runner reads output:
 * lines split at \n, \r or \r\n; `::name` after .NET's Trim(), or `##[name` anywhere (legacy).
 */
export function runnerCommandLines(output: string): string[] {
  return output
    .split(/\r\n|\r|\n/)
    .filter((line) => /^[\s\u0085]*::/.test(line) || line.includes('##['));
}
