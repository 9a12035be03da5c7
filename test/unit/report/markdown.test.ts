// The Markdown module: user text can never change a comment's structure (tables, code spans,
// mentions, HTML), and each block renders as GitHub expects.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeText,
  plainText,
  prose,
  renderInline,
  renderMarkdown,
  text,
  type Block,
} from '../../../src/report/markdown.js';

describe('renderMarkdown blocks', () => {
  it('headings escape their text; blocks are separated by a blank line and end with a newline', () => {
    expect(
      renderMarkdown([
        { kind: 'heading', level: 2, text: '# not *bold*' },
        { kind: 'heading', level: 4, text: 'x' },
      ]),
    ).toBe('## \\# not \\*bold\\*\n\n#### x\n');
  });

  it('text() builds a paragraph of inline parts', () => {
    expect(renderMarkdown([text('a ', { strong: 'b_c' })])).toBe('a **b\\_c**\n');
  });

  it('tables: header separator, escaped cells, pipes in code cells escaped, empty cells kept', () => {
    const block: Block = {
      kind: 'table',
      headers: ['A|B', ''],
      rows: [
        [[{ code: 'x | y' }], ['a|b']],
        [[], ['']],
      ],
    };
    expect(renderMarkdown([block])).toBe(
      '| A\\|B |   |\n| --- | --- |\n| `x \\| y` | a\\|b |\n|   |   |\n',
    );
  });

  it('lists render one item per line', () => {
    expect(renderMarkdown([{ kind: 'list', items: [['one'], ['two ', { code: '2' }]] }])).toBe(
      '- one\n- two `2`\n',
    );
  });

  it('code blocks use a fence longer than any backtick run inside', () => {
    expect(renderMarkdown([{ kind: 'code', lang: 'sh', text: 'echo hi' }])).toBe(
      '```sh\necho hi\n```\n',
    );
    expect(renderMarkdown([{ kind: 'code', lang: '', text: 'a ```` b' }])).toBe(
      '`````\na ```` b\n`````\n',
    );
    expect(renderMarkdown([{ kind: 'code', lang: '', text: 'a `` b' }])).toBe('```\na `` b\n```\n');
  });

  it('details: the summary is HTML-escaped, inner blocks are rendered', () => {
    expect(
      renderMarkdown([
        {
          kind: 'details',
          summary: '<b>"x" & y</b>',
          blocks: [text('in'), { kind: 'list', items: [['i']] }],
        },
      ]),
    ).toBe(
      '<details><summary>&#60;b&#62;&#34;x&#34; &#38; y&#60;/b&#62;</summary>\n\nin\n\n- i\n\n</details>\n',
    );
  });
});

describe('renderInline', () => {
  it('code spans: backticks inside get a longer fence, padded when at an edge; newlines become spaces', () => {
    expect(renderInline([{ code: 'plain' }])).toBe('`plain`');
    expect(renderInline(['[', { code: '' }, ']'])).toBe('\\[\\]');
    expect(renderInline([{ code: 'a`b' }])).toBe('``a`b``');
    expect(renderInline([{ code: '`edge' }])).toBe('`` `edge ``');
    expect(renderInline([{ code: 'edge``' }])).toBe('``` edge`` ```');
    expect(renderInline([{ code: 'two\nlines\r\nhere' }])).toBe('`two lines here`');
  });

  it('mentions keep only login characters; links escape their text and encode ( ) and spaces', () => {
    expect(renderInline([{ mention: 'al ice<script>' }])).toBe('@alicescript');
    expect(renderInline([{ mention: 'acme/ops' }])).toBe('@acme/ops');
    expect(renderInline([{ mention: 'dependabot[bot]' }])).toBe('@dependabot[bot]');
    expect(renderInline([{ link: 'a_b', href: 'https://x.test/a (1)' }])).toBe(
      '[a\\_b](https://x.test/a%20%281%29)',
    );
  });

  it('plain text: Markdown and HTML characters escaped, @ cannot mention, newlines flattened', () => {
    expect(escapeText('a*b_c`d[e]f<g>h#i|j~k\\l')).toBe(
      'a\\*b\\_c\\`d\\[e\\]f\\<g\\>h\\#i\\|j\\~k\\\\l',
    );
    expect(escapeText('ping @alice\nnow')).toBe('ping @\u200balice now');
  });

  it('property: escaped text never opens a structure (no unescaped special character, no mention)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const out = escapeText(s);
        expect(out).not.toMatch(/\n/);
        expect(out).not.toMatch(/@(?!\u200b)/);
        // Every special character is preceded by an odd number of backslashes.
        for (const m of out.matchAll(/(\\*)([`*_[\]<>#|~])/g)) {
          expect(m[1]!.length % 2).toBe(1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property: a code span shows any one-line text exactly, fenced by a run found nowhere inside', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !/[\r\n]/.test(s)),
        (s) => {
          const out = renderInline([{ code: s }]);
          const fence = /^`+/.exec(out)![0];
          expect(out.endsWith(fence)).toBe(true);
          let inner = out.slice(fence.length, out.length - fence.length);
          // CommonMark strips one space on each side when both are there (our padding).
          if (inner.length > 2 && inner.startsWith(' ') && inner.endsWith(' ') && inner !== s)
            inner = inner.slice(1, -1);
          expect(inner).toBe(s);
          expect(inner.match(/`+/g)?.every((run) => run.length !== fence.length) ?? true).toBe(
            true,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('prose: backtick spans in our messages become code spans', () => {
  it.each([
    ['did you mean `sha256`?', 'did you mean `sha256`?'],
    ['`/confirm` from `bob` only', '`/confirm` from `bob` only'],
    ['no backticks, *stars* and @someone', 'no backticks, \\*stars\\* and @\u200bsomeone'],
    ['one ` unpaired', 'one \\` unpaired'],
    ['`a` then ` unpaired', '`a` then \\` unpaired'],
    ['a span with `@alice` and `|`', 'a span with `@alice` and `|`'],
    ['``', ''],
  ])('%j renders as %j', (message, markdown) => {
    expect(renderInline(prose(message))).toBe(markdown);
  });
});

describe('plainText: the same parts as one plain line (the log, the outcome message)', () => {
  it('keeps code in backticks and mentions with @, drops emphasis and link targets', () => {
    expect(
      plainText([
        'held by ',
        { mention: 'olga' },
        ': ',
        { strong: 'now' },
        ' ',
        { code: '/unlock x' },
        ' (',
        { link: 'run', href: 'https://example.com' },
        ')',
      ]),
    ).toBe('held by @olga: now `/unlock x` (run)');
  });
});
