// A pull-request review as the approval rules see it (plain data; the GitHub adapter maps it).

export interface Review {
  id: number;
  user: string;
  userIsBot: boolean;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
  /** The head SHA the review was given on (SPEC §8): an approval counts only on the current one. */
  commitId: string;
  submittedAt: string;
}
