// Where a request stands at the end of a run: the `phase` output (SPEC §5), also shown in the
// status comment.

export type Phase =
  | 'ignored'
  | 'invalid'
  | 'awaiting-approval'
  | 'approved'
  | 'checks-failed'
  | 'awaiting-confirmation'
  | 'refused'
  | 'deployed'
  | 'deploy-failed'
  | 'cancelled';
