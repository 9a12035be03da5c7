// The commit statuses deploy-request sets (SPEC §5). A public contract: users name these in
// branch protection rules, so a rename breaks their repositories.

export const VALIDATE_CONTEXT = 'deploy-request/validate';
export const APPROVAL_CONTEXT = 'deploy-request/approval';
export const ENVIRONMENT_CONTEXT = 'deploy-request/environment';
export const DEPLOY_CONTEXT = 'deploy-request/deploy';
