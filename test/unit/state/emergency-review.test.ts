// The follow-up review records of break-glass deployments: only an issue written by the bot whose
// hidden record verifies under the trusted key counts (invariant 11); anything else is logged and
// ignored, so a forged issue can neither block /emergency nor stand in for a review.
import { describe, expect, it } from 'vitest';
import {
  readEmergencyReviews,
  readReviewRecord,
  REVIEW_LABEL,
  reviewRecordLine,
} from '../../../src/state/emergency-review.js';
import { createFakeGitHub } from '../../support/fake-github/index.js';
import { OTHER_SIGNER, SIGNER, trust } from './records.js';

const RECORD = { environment: 'production', pr: 7, at: '2026-03-01T03:00:00.000Z' };
const data = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const MAC = 'A'.repeat(22);

describe('reviewRecordLine / readReviewRecord', () => {
  it('a hidden line that reads back under the same key', () => {
    const line = reviewRecordLine(SIGNER, RECORD);
    expect(line).toMatch(/^<!-- deploy-request:review [A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22} -->$/);
    expect(readReviewRecord(SIGNER, `text\n${line}\n`)).toEqual(RECORD);
  });

  it.each([
    ['no line', 'just an issue'],
    [
      'not JSON',
      `<!-- deploy-request:review ${Buffer.from('{no').toString('base64url')}.${MAC} -->`,
    ],
    [
      'fields of the wrong type',
      `<!-- deploy-request:review ${data({ ...RECORD, pr: '7' })}.${MAC} -->`,
    ],
    ['another key', reviewRecordLine(OTHER_SIGNER, RECORD)],
  ])('nothing: %s', (_name, body) => {
    expect(readReviewRecord(SIGNER, body)).toBeUndefined();
  });
});

describe('readEmergencyReviews', () => {
  it("the bot's verified issues of this environment, open or closed; the rest logged and ignored", async () => {
    const fake = createFakeGitHub({ files: { 'README.md': '# app\n' } });
    const warnings: string[] = [];
    const open = await fake.port.createIssue({
      title: 'r',
      body: reviewRecordLine(SIGNER, RECORD),
      labels: [REVIEW_LABEL],
    });
    const closed = await fake.port.createIssue({
      title: 'r',
      body: reviewRecordLine(SIGNER, { ...RECORD, at: '2026-02-01T00:00:00.000Z' }),
      labels: [REVIEW_LABEL],
    });
    fake.gh.closeIssue(closed.number, 'lead');
    await fake.port.createIssue({
      title: 'r',
      body: reviewRecordLine(SIGNER, { ...RECORD, environment: 'staging' }),
      labels: [REVIEW_LABEL],
    });
    const forged = await fake.port.createIssue({
      title: 'r',
      body: reviewRecordLine(OTHER_SIGNER, RECORD),
      labels: [REVIEW_LABEL],
    });
    // A person's issue with a genuine record copied into it does not count either.
    const copied = fake.gh.openIssue({
      title: 'r',
      body: reviewRecordLine(SIGNER, RECORD),
      labels: [REVIEW_LABEL],
      author: 'mallory',
    });
    const reviews = await readEmergencyReviews(fake.port, trust(warnings), 'production');
    expect(reviews).toEqual(
      expect.arrayContaining([
        { issue: open.number, at: RECORD.at, closed: false },
        { issue: closed.number, at: '2026-02-01T00:00:00.000Z', closed: true },
      ]),
    );
    expect(reviews).toHaveLength(2);
    expect(warnings.join('\n')).toContain(
      `Ignored issue #${forged.number} labelled ${REVIEW_LABEL}`,
    );
    expect(warnings.join('\n')).toContain(`Ignored issue #${copied} labelled ${REVIEW_LABEL}`);
  });
});
