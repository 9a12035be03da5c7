// The commit-status names are a public contract: users require them in branch protection, so a
// rename here breaks their repositories. Changing one is a breaking release, not a refactor.
import { describe, expect, it } from 'vitest';
import * as contexts from '../../../src/domain/status-contexts.js';

describe('status contexts', () => {
  it('are exactly the four names SPEC §5 and the README promise', () => {
    expect({ ...contexts }).toEqual({
      VALIDATE_CONTEXT: 'deploy-request/validate',
      APPROVAL_CONTEXT: 'deploy-request/approval',
      ENVIRONMENT_CONTEXT: 'deploy-request/environment',
      DEPLOY_CONTEXT: 'deploy-request/deploy',
    });
  });
});
