// Whether an earlier emergency deployment is still unreviewed, on the in-memory fake: an open
// review issue past its time is; a closed one only when a reviewer closed it; one whose closer
// GitHub does not name counts as unreviewed; issues not yet due cost no read of their closer.
import { describe, expect, it } from 'vitest';
import type { EmergencyConfig } from '../../../src/config/types.js';
import { REVIEW_LABEL, reviewRecordLine } from '../../../src/state/emergency-review.js';
import { unreviewedEmergency } from '../../../src/steps/emergency-reviews.js';
import { testDeployKey, trustOf } from '../../support/signed-state.js';
import { fakeContextFor, fakeRepoWith } from '../support/fake-run-context.js';

const NOW = new Date('2026-03-02T12:00:00.000Z');
const POLICY = {
  approvers: ['otto'],
  required: 1,
  may_skip: [],
  review: { reviewers: ['acme/team-leads'], within_hours: 24 },
} as EmergencyConfig;

async function withReview(at: string) {
  const fake = fakeRepoWith();
  const trust = trustOf(fake.gh, testDeployKey());
  const { number } = await fake.port.createIssue({
    title: 'review',
    body: reviewRecordLine(trust.signer, { environment: 'staging', pr: 1, at }),
    labels: [REVIEW_LABEL],
  });
  return { fake, trust, number };
}

describe('unreviewedEmergency', () => {
  it('not yet due: nothing, and no closer read', async () => {
    const { fake, trust } = await withReview('2026-03-02T11:00:00.000Z');
    const ctx = fakeContextFor(fake, { now: NOW });
    expect(await unreviewedEmergency(ctx, trust, 'staging', POLICY)).toBeUndefined();
    expect(fake.count('issueClosedBy')).toBe(0);
  });

  it('due and open: unreviewed', async () => {
    const { fake, trust, number } = await withReview('2026-03-01T00:00:00.000Z');
    const ctx = fakeContextFor(fake, { now: NOW });
    expect(await unreviewedEmergency(ctx, trust, 'staging', POLICY)).toEqual({
      review: { issue: number, at: '2026-03-01T00:00:00.000Z', closed: false },
    });
  });

  it('closed by a team member of review.reviewers: reviewed; by someone else: not, naming them', async () => {
    const { fake, trust, number } = await withReview('2026-03-01T00:00:00.000Z');
    const ctx = fakeContextFor(fake, { now: NOW });
    fake.gh.closeIssue(number, 'olga');
    expect(await unreviewedEmergency(ctx, trust, 'staging', POLICY)).toMatchObject({
      closedBy: 'olga',
    });
    fake.gh.reopenIssue(number);
    fake.gh.closeIssue(number, 'tina');
    expect(await unreviewedEmergency(ctx, trust, 'staging', POLICY)).toBeUndefined();
  });

  it('closed, but GitHub does not say by whom: unreviewed', async () => {
    const { fake, trust, number } = await withReview('2026-03-01T00:00:00.000Z');
    fake.gh.closeIssue(number, 'tina');
    const ctx = fakeContextFor(fake, { now: NOW, github: { issueClosedBy: async () => null } });
    expect(await unreviewedEmergency(ctx, trust, 'staging', POLICY)).toEqual({
      review: { issue: number, at: '2026-03-01T00:00:00.000Z', closed: true },
    });
  });
});
