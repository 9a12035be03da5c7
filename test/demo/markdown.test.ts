// The demo's Markdown-to-terminal renderer and the pieces of its conversation view.
import { describe, expect, it } from 'vitest';
import { renderMarkdown as toMarkdown, text } from '../../src/report/markdown.js';
import { changedParts, chunks } from '../../demo/conversation.js';
import { renderMarkdown } from '../../demo/markdown.js';
import type { Out } from '../../demo/output.js';
import { compactJson, DemoError, prerequisites } from '../../demo/run-demo.js';
import { displayWidth, makeStyle, narrowEmoji, stripAnsi, wantsColour } from '../../demo/style.js';

const plain = makeStyle(false);
const colour = makeStyle(true);
const render = (md: string, width = 80, style = plain) =>
  renderMarkdown(md, { width, style }).join('\n');

describe('renderMarkdown (terminal)', () => {
  it('hides HTML comments, shows headings as text (bold with colours)', () => {
    const md =
      '<!-- deploy-request:status -->\n<!-- data {"a":1} -->\n### ⏳ Deploy request\n\nBody.';
    expect(render(md)).toBe('⏳ Deploy request\n\nBody.');
    expect(render(md, 80, colour)).toContain('\x1b[1m');
  });

  it('draws tables as aligned boxes; a table without headers has no header row', () => {
    const md = toMarkdown([
      {
        kind: 'table',
        headers: ['Stage', 'Status'],
        rows: [
          [['1. lead'], ['✅ approved']],
          [['2. ops'], ['ℹ️ x|y']],
        ],
      },
      { kind: 'table', headers: ['', ''], rows: [[['Release'], [{ code: '1.4.2' }]]] },
    ]);
    const lines = render(md).split('\n');
    expect(lines).toEqual([
      '┌─────────┬─────────────┐',
      '│ Stage   │ Status      │',
      '├─────────┼─────────────┤',
      '│ 1. lead │ ✅ approved │',
      '│ 2. ops  │ ℹ x|y       │',
      '└─────────┴─────────────┘',
      '',
      '┌─────────┬───────┐',
      '│ Release │ 1.4.2 │',
      '└─────────┴───────┘',
    ]);
  });

  it('shrinks a table that is too wide and wraps its cells', () => {
    const long = 'word '.repeat(30).trim();
    const lines = render(`| a | b |\n| --- | --- |\n| x | ${long} |`, 40).split('\n');
    for (const line of lines) expect(displayWidth(line)).toBe(40);
    expect(lines.length).toBeGreaterThan(5);
  });

  it('code in a distinct colour; escapes undone; data @ mentions nobody; links show their text', () => {
    const md = toMarkdown([
      text(
        'Run ',
        { code: '/confirm abc' },
        ' as ',
        { mention: 'dev' },
        ' (FEATURE_CHECKOUT, a@b) ',
        {
          link: 'Run log',
          href: 'https://x/y',
        },
      ),
      { kind: 'code', lang: '', text: '/confirm 0123456789ab' },
    ]);
    expect(render(md)).toBe(
      'Run /confirm abc as @dev (FEATURE_CHECKOUT, a@b) Run log\n\n  /confirm 0123456789ab',
    );
    const coloured = render(md, 80, colour);
    expect(coloured).toContain('\x1b[36m/confirm abc\x1b[39m');
    expect(coloured).toContain('\x1b[36m/confirm 0123456789ab\x1b[39m');
    expect(coloured).not.toMatch(/\x1b\[[0-9;]*m@\x1b/);
  });

  it('wraps paragraphs to the width; lists hang; details show their summary', () => {
    const md = `${'lorem ipsum '.repeat(20)}\n\n- ${'item '.repeat(20)}\n\n<details><summary>Log</summary>\n\nhidden\n\n</details>`;
    const lines = render(md, 30).split('\n');
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(30);
    expect(lines.filter((l) => l.startsWith('• '))).toHaveLength(1);
    expect(lines).toContain('▸ Log');
  });

  it('no colour codes when colours are off', () => {
    expect(render('# T\n\n**b** `c` [l](u)\n\n| a |\n| - |\n| b |')).not.toMatch(/\x1b/);
  });
});

describe('display width and colours', () => {
  it('counts emoji as two cells and ANSI as none; text-default emoji lose their selector', () => {
    expect(displayWidth('✅ ok')).toBe(5);
    expect(displayWidth(colour.bold('abc'))).toBe(3);
    expect(narrowEmoji('ℹ️ ⏸️ ✅')).toBe('ℹ ⏸ ✅');
    expect(stripAnsi(colour.red('x'))).toBe('x');
  });

  it('colours only on a TTY, never with NO_COLOR, always with FORCE_COLOR', () => {
    expect(wantsColour({ isTTY: true }, {})).toBe(true);
    expect(wantsColour({ isTTY: false }, {})).toBe(false);
    expect(wantsColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColour({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(wantsColour({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
  });
});

describe('the conversation view', () => {
  const sticky = (title: string, approvals: string, next: string) =>
    `<!-- deploy-request:status -->\n### ${title}\n\n| | |\n| --- | --- |\n| Release | 1.4.2 |\n\n#### Approvals\n\n| Stage | By |\n| --- | --- |\n| lead | ${approvals} |\n\n**Next step:** ${next}\n`;

  it('an edited comment shows its title, what changed and the heading a changed table is under', () => {
    const before = sticky('⏳ awaiting approval', '—', 'lead approves');
    const after = sticky('✅ approved', '@alice', 'the servers are checked');
    expect(changedParts(before, after)).toBe(
      '### ✅ approved\n\n#### Approvals\n\n| Stage | By |\n| --- | --- |\n| lead | @alice |\n\n**Next step:** the servers are checked',
    );
    expect(changedParts(before, sticky('⏳ awaiting approval', '—', 'x'))).toBe(
      '### ⏳ awaiting approval\n\n**Next step:** x',
    );
  });

  it('splits blocks at blank lines, keeping fenced code whole', () => {
    expect(chunks('a\n\n```\nx\n\ny\n```\n\nb')).toEqual(['a', '```\nx\n\ny\n```', 'b']);
  });

  it('prints JSON with short arrays on one line', () => {
    expect(compactJson({ a: 1, approvers: ['alice', 'olga'] })).toBe(
      '{\n  "a": 1,\n  "approvers": ["alice", "olga"]\n}',
    );
  });
});

describe('prerequisites', () => {
  const out = (): Out & { lines: string[] } => {
    const lines: string[] = [];
    return { style: plain, width: 80, lines, line: (t = '') => void lines.push(t) };
  };

  it('not root: says why root is needed and what to install, installs nothing', async () => {
    let installed = false;
    const install = async () => {
      installed = true;
    };
    const error = await prerequisites(out(), { root: false, sshdPresent: false, install }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DemoError);
    const message = [(error as DemoError).message, ...(error as DemoError).details].join('\n');
    expect(message).toMatch(/needs root/);
    expect(message).toMatch(/sudo npm run demo/);
    expect(message).toMatch(/apt-get install -y openssh-server/);
    expect(installed).toBe(false);
  });

  it('root without sshd: installs it, and says so', async () => {
    const o = out();
    let installed = false;
    await prerequisites(o, {
      root: true,
      sshdPresent: false,
      install: async () => {
        installed = true;
      },
    });
    expect(installed).toBe(true);
    expect(o.lines.join('\n')).toMatch(/installing openssh-server/);
  });

  it('a failed install is a clear error', async () => {
    const failing = async () => {
      throw new Error('apt-get: no network');
    };
    await expect(
      prerequisites(out(), { root: true, sshdPresent: false, install: failing }),
    ).rejects.toMatchObject({
      message: 'No OpenSSH server to start.',
      details: ['apt-get: no network'],
    });
  });
});
