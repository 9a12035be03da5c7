// The gate's early hand-over on a claimed break-glass switch, on the in-memory fake: only for an
// environment with a policy, a claim for this pull request and environment, and the claim's
// emergency approvals met at the head (the requester's own never counts).
import { describe, expect, it } from 'vitest';
import type { DeployRequestConfig, EnvironmentConfig } from '../../../src/config/types.js';
import type { GitHubPort } from '../../../src/github/port.js';
import { emergencyMessage, emergencyRefName } from '../../../src/state/emergency-record.js';
import { claimedEmergencyApproved } from '../../../src/steps/emergency-gate.js';
import { createStateSigner } from '../../../src/state/state-signer.js';
import { createFakeGitHub } from '../../support/fake-github/index.js';

const SIGNER = createStateSigner(Buffer.from('any key: the gate does not verify'), 'acme/app');
const CONFIG = { allow_self_approval: true } as DeployRequestConfig;
const policy = {
  approvers: ['otto'],
  required: 1,
  may_skip: ['stages' as const],
  review: { reviewers: ['lead'], within_hours: 24 },
};
const ENV = {
  approval: { stages: [{ name: 'ops', reviewers: ['olga'], required: 1 }], ordered: true },
  emergency: policy,
} as unknown as EnvironmentConfig;

async function claim(github: GitHubPort, pr: number, environment: string) {
  const tree = (await github.getCommit((await github.getRefSha('heads/main'))!))!.treeSha;
  const at = '2026-03-01T03:00:00.000Z';
  const message = emergencyMessage(SIGNER, { pr, environment, reason: 'r', by: 'dev', at });
  await github.createRef(emergencyRefName(pr), await github.createCommit(message, tree));
}

function setUp() {
  const fake = createFakeGitHub({ files: { 'README.md': '# app\n' } });
  const { number } = fake.gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
  return { fake, github: fake.port, number };
}

describe('claimedEmergencyApproved', () => {
  it('the claim for this environment with the on-call approval: true', async () => {
    const { fake, github, number } = setUp();
    await claim(github, number, 'staging');
    fake.gh.review(number, 'otto', 'APPROVED');
    const pull = await github.getPull(number);
    expect(await claimedEmergencyApproved(github, pull, CONFIG, ENV, 'staging')).toBe(true);
  });

  it.each([
    ['no policy', { ...ENV, emergency: undefined }, 'staging', 'staging', true],
    ['no claim', ENV, undefined, 'staging', true],
    ['a claim for another environment', ENV, 'production', 'staging', true],
    ['no on-call approval yet', ENV, 'staging', 'staging', false],
  ] as const)('%s: false', async (_n, env, claimed, name, approve) => {
    const { fake, github, number } = setUp();
    if (claimed) await claim(github, number, claimed);
    if (approve) fake.gh.review(number, 'otto', 'APPROVED');
    const pull = await github.getPull(number);
    fake.clearCalls();
    expect(
      await claimedEmergencyApproved(github, pull, CONFIG, env as EnvironmentConfig, name),
    ).toBe(false);
    if (!env.emergency) expect(fake.count('getRefSha')).toBe(0);
  });
});
