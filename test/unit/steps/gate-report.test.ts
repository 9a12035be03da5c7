import { describe, expect, it } from 'vitest';
import { refusedReviewersNote } from '../../../src/steps/gate-report.js';

describe('refusedReviewersNote', () => {
  it('names users and teams GitHub would not ask, and says where to fix it', () => {
    const note = refusedReviewersNote(
      { users: ['eve'], teams: ['ops'], message: '422' },
      '.github/deploy-request.yml',
      'trunk',
    );
    expect(note).toBe(
      'GitHub refused to request a review from `eve`, `team ops`: GitHub asks only collaborators of this repository. Add them under Settings → Collaborators and teams (read access is enough), or fix the approval stages in `.github/deploy-request.yml` on `trunk`. Their approvals still count when they review.',
    );
  });
});
