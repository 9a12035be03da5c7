// How a hold reads where people meet it outside the /lock replies: the confirmation comment
// (src/report/confirmation-view.ts uses holdBlocks) and a refused command's sentence.
import { describe, expect, it } from 'vitest';
import { holdBlocks, holdSentence } from '../../../src/report/hold-view.js';
import { renderInline, renderMarkdown } from '../../../src/report/markdown.js';
import type { Hold } from '../../../src/state/environment-hold.js';

const HOLD: Hold = {
  environment: 'staging',
  holder: 'olga',
  reason: 'incident *42* <b>',
  since: '2026-03-01T12:00:00.000Z',
  expiresAt: '2026-03-01T14:00:00.000Z',
};

describe('hold view', () => {
  it('the sentence: who, since, the reason as escaped text, until, and how to unlock', () => {
    expect(renderInline(holdSentence(HOLD, '!'))).toBe(
      'environment `staging` is held by @olga since 2026-03-01T12:00:00.000Z (reason: incident \\*42\\* \\<b\\>, until 2026-03-01T14:00:00.000Z); an operator can `!unlock staging`.',
    );
  });

  it('the confirmation comment says the prompt stays open and /confirm is refused until then', () => {
    const open: Hold = { ...HOLD, expiresAt: undefined };
    expect(renderMarkdown(holdBlocks(open, '/'))).toBe(
      '**🔒 Held:** environment `staging` is held by @olga since 2026-03-01T12:00:00.000Z (reason: incident \\*42\\* \\<b\\>, until unlocked); an operator can `/unlock staging`. Until then `/confirm` is refused; this prompt stays open.\n',
    );
  });
});
