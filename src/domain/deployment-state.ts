// The states of a GitHub Deployment (SPEC §5): `queued` at the prompt, `in_progress`, then
// `success`/`failure`, `inactive` on cancel or expiry. The prompt and the lock read them.

export type DeploymentState =
  'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';
