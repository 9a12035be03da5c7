// The demo's terminal view of the pull request: comments as the action posted them (lightly
// styled Markdown), what an edited comment shows, colours, and the prerequisites it explains.
import { describe, expect, it } from 'vitest';
import { renderMarkdown, text } from '../../src/report/markdown.js';
import { commentLines } from '../../demo/comment-text.js';
import { changedParts, chunks } from '../../demo/conversation.js';
import type { Out } from '../../demo/output.js';
import { DemoError } from '../../demo/act.js';
import { compactJson, prerequisites } from '../../demo/run-demo.js';
import { makeStyle, wantsColour } from '../../demo/style.js';

const plain = makeStyle(false);
const colour = makeStyle(true);
const show = (md: string, style = plain) => commentLines(md, style).join('\n');

describe('a comment in the terminal', () => {
  it('hides HTML comments; headings lose their #s and are bold with colours', () => {
    const md =
      '<!-- deploy-request:status -->\n<!-- data {"a":1} -->\n### ⏳ Deploy request\n\nBody.';
    expect(show(md)).toBe('⏳ Deploy request\n\nBody.');
    expect(show(md, colour)).toContain('\x1b[1m⏳ Deploy request\x1b[22m');
  });

  it('code as it is (cyan with colours), escapes undone outside code, links as their text', () => {
    const md = renderMarkdown([
      text(
        'Run ',
        { code: '/confirm abc' },
        ' as ',
        { mention: 'dev' },
        ' (FEATURE_CHECKOUT, a@b, *x*) ',
        { strong: 'now' },
        ' ',
        { link: 'Run log', href: 'https://x/y' },
      ),
      { kind: 'code', lang: '', text: '/confirm 0123456789ab' },
    ]);
    expect(show(md)).toBe(
      'Run /confirm abc as @dev (FEATURE_CHECKOUT, a@b, *x*) now Run log\n\n  /confirm 0123456789ab',
    );
    const coloured = show(md, colour);
    expect(coloured).toContain('\x1b[36m/confirm abc\x1b[39m');
    expect(coloured).toContain('\x1b[36m/confirm 0123456789ab\x1b[39m');
    expect(coloured).toContain('\x1b[1mnow\x1b[22m');
  });

  it('tables stay Markdown tables; details show their summary', () => {
    const md = renderMarkdown([
      { kind: 'table', headers: ['Stage', 'Status'], rows: [[['1. lead'], ['✅ approved']]] },
      { kind: 'details', summary: 'Log', blocks: [text('hidden')] },
    ]);
    expect(commentLines(md, plain)).toEqual([
      '| Stage | Status |',
      '| --- | --- |',
      '| 1. lead | ✅ approved |',
      '',
      '▸ Log',
      '',
      'hidden',
      '',
    ]);
  });

  it('no colour codes when colours are off', () => {
    expect(show('# T\n\n**b** `c` [l](u)\n\n| a |\n| - |\n| b |')).not.toMatch(/\x1b/);
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
