// Writes GitHub must not apply twice (comment, Deployment, lock ref, dispatch): after a 502 the
// port looks for the write before sending it again, and never retries blindly.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubUnavailableError, type GitHubPort } from '../../../src/github/port.js';
import type { GitHubStandIn } from '../../support/github-stand-in/index.js';
import { refused, startPortSetup, type PortFor } from './port-setup.js';

let gh: GitHubStandIn;
let port: GitHubPort;
let portFor: PortFor;

beforeEach(async () => {
  ({ gh, port, portFor } = await startPortSetup());
});
afterEach(() => gh.close());

describe('writes GitHub must not apply twice: a 502 is checked, never blindly retried', () => {
  const BAD_GATEWAY = { status: 502, body: { message: 'Server Error' } };
  /** GitHub did the write, then answered 502. */
  const appliedThen502 = { ...BAD_GATEWAY, afterApply: true };
  const answers = (method: string, path: RegExp | string) =>
    gh.calls({ method, path }).map((c) => c.status);

  describe('comment', () => {
    it('made, then 502: the comment is found by its body and author and returned; one exists', async () => {
      const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
      gh.inject({ method: 'POST', path: `/issues/${number}/comments`, ...appliedThen502 });
      const made = await port.createComment(number, 'prompt');
      const [only, ...more] = gh.comments(number);
      expect(more).toEqual([]);
      expect(made).toMatchObject({ id: only!.id, user: 'github-actions[bot]', body: 'prompt' });
      expect(answers('POST', `/issues/${number}/comments`)).toEqual([502]);
      // GITHUB_TOKEN cannot read /user: its comments are the bot's.
      expect(answers('GET', '/user')).toEqual([403]);
    });

    it('502 without the write: sent once more, one comment', async () => {
      const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
      gh.inject({ method: 'POST', path: `/issues/${number}/comments`, ...BAD_GATEWAY });
      const made = await port.createComment(number, 'prompt');
      expect(gh.comments(number).map((c) => [c.id, c.body])).toEqual([[made.id, 'prompt']]);
      expect(answers('POST', `/issues/${number}/comments`)).toEqual([502, 201]);
    });

    it('the same text from an earlier run, or by someone else, is not taken for ours', async () => {
      const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
      const earlier = await port.createComment(number, 'help');
      gh.clock.advance(3_600_000);
      const pasted = gh.comment(number, 'dev', 'help');
      gh.inject({ method: 'POST', path: `/issues/${number}/comments`, ...BAD_GATEWAY });
      const made = await port.createComment(number, 'help');
      expect([earlier.id, pasted]).not.toContain(made.id);
      expect(gh.comments(number).map((c) => c.user)).toEqual([
        'github-actions[bot]',
        'dev',
        'github-actions[bot]',
      ]);
    });

    it("a user's token: the comment is the one by that user", async () => {
      gh.addToken('pat-deployer', { login: 'deployer', write: true });
      const deployer = portFor('pat-deployer');
      const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
      await port.createComment(number, 'note'); // the bot's, not the token's user's
      gh.inject({ method: 'POST', path: `/issues/${number}/comments`, ...appliedThen502 });
      const made = await deployer.createComment(number, 'note');
      expect(made.user).toBe('deployer');
      expect(gh.comments(number).map((c) => c.user)).toEqual(['github-actions[bot]', 'deployer']);
      expect(answers('GET', '/user')).toEqual([200]);
    });

    it('GitHub failing again, or an error while looking, is thrown; other errors are not retried', async () => {
      const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
      gh.inject({ method: 'POST', path: `/issues/${number}/comments`, times: 2, ...BAD_GATEWAY });
      const error = await port.createComment(number, 'x').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitHubUnavailableError);
      expect(answers('POST', `/issues/${number}/comments`)).toEqual([502, 502]);

      gh.inject({ method: 'POST', path: `/issues/${number}/comments`, ...BAD_GATEWAY });
      gh.inject({ method: 'GET', path: '/user', ...refused(400) });
      await expect(port.createComment(number, 'x')).rejects.toMatchObject({ status: 400 });

      gh.clearCalls();
      gh.inject({ method: 'POST', path: `/issues/${number}/comments`, ...refused(422) });
      await expect(port.createComment(number, 'x')).rejects.toMatchObject({ status: 422 });
      expect(gh.count()).toBe(1);
      expect(gh.comments(number)).toEqual([]);
    });

    it("without a date in GitHub's answer, the runner's clock tells when the run began", async () => {
      const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
      gh.clock.advance(60_000); // GitHub's clock a minute ahead: its comment is of this run
      gh.inject({
        method: 'POST',
        path: `/issues/${number}/comments`,
        ...appliedThen502,
        headers: { date: 'not a date' },
      });
      const made = await port.createComment(number, 'prompt');
      expect(gh.comments(number).map((c) => c.id)).toEqual([made.id]);
    });
  });

  describe('Deployment', () => {
    const prompt = (payload: Record<string, unknown>) => ({
      ref: gh.branch('main')!,
      environment: 'staging',
      payload,
      description: 'web 1.4.2',
    });

    it('made, then 502: the Deployment with this payload is found and returned; one exists', async () => {
      gh.inject({ method: 'POST', path: '/deployments', ...appliedThen502 });
      const made = await port.createDeployment(prompt({ pr: 7, digest: 'd', note: undefined }));
      const [only, ...more] = gh.deployments('staging');
      expect(more).toEqual([]);
      expect(made).toMatchObject({ id: only!.id, payload: { pr: 7, digest: 'd' } });
      expect(answers('POST', '/deployments')).toEqual([502]);
    });

    it('502 without the write: sent once more, one Deployment', async () => {
      gh.inject({ method: 'POST', path: '/deployments', ...BAD_GATEWAY });
      const made = await port.createDeployment(prompt({ pr: 7, digest: 'd' }));
      expect(gh.deployments().map((d) => d.id)).toEqual([made.id]);
      expect(answers('POST', '/deployments')).toEqual([502, 201]);
    });

    it('another plan, or the same plan from an earlier run, is not taken for ours', async () => {
      const earlier = await port.createDeployment(prompt({ pr: 7, digest: 'd' }));
      gh.clock.advance(3_600_000);
      const other = await port.createDeployment(prompt({ pr: 7, digest: 'e' }));
      gh.inject({ method: 'POST', path: '/deployments', ...BAD_GATEWAY });
      const made = await port.createDeployment(prompt({ pr: 7, digest: 'd' }));
      expect([earlier.id, other.id]).not.toContain(made.id);
      expect(gh.deployments()).toHaveLength(3);
    });
  });

  describe('lock ref', () => {
    it('made, then 502: the ref points at our SHA, so it is ours; one exists', async () => {
      const sha = gh.branch('main')!;
      gh.inject({ method: 'POST', path: '/git/refs', ...appliedThen502 });
      expect(await port.createRef('heads/deploy-request/lock/staging', sha)).toBe(true);
      expect(await port.getRefSha('heads/deploy-request/lock/staging')).toBe(sha);
      expect(answers('POST', '/git/refs')).toEqual([502]);
    });

    it('502 without the write: sent once more and made', async () => {
      const sha = gh.branch('main')!;
      gh.inject({ method: 'POST', path: '/git/refs', ...BAD_GATEWAY });
      expect(await port.createRef('heads/deploy-request/lock/staging', sha)).toBe(true);
      expect(answers('POST', '/git/refs')).toEqual([502, 201]);
    });

    it('502 and the ref points elsewhere: someone else holds it, the retry says so', async () => {
      const sha = gh.branch('main')!;
      const theirs = gh.commitOn('main', { 'y.txt': 'y' });
      await port.createRef('heads/deploy-request/lock/staging', theirs);
      gh.inject({ method: 'POST', path: '/git/refs', ...BAD_GATEWAY });
      expect(await port.createRef('heads/deploy-request/lock/staging', sha)).toBe(false);
      expect(answers('POST', '/git/refs')).toEqual([201, 502, 422]);
      expect(await port.getRefSha('heads/deploy-request/lock/staging')).toBe(theirs);
    });
  });

  describe('workflow dispatch (nothing to read back: one more try at most)', () => {
    it('502 without the dispatch: sent once more, one dispatch', async () => {
      gh.inject({ method: 'POST', path: /\/dispatches$/, ...BAD_GATEWAY });
      await port.dispatchWorkflow('deploy.yml', 'main', { 'pull-request': '7' });
      expect(gh.dispatches()).toHaveLength(1);
      expect(answers('POST', /\/dispatches$/)).toEqual([502, 204]);
    });

    it('dispatched, then 502: a second dispatch (the trusted run is idempotent); two 502s are thrown', async () => {
      gh.inject({ method: 'POST', path: /\/dispatches$/, ...appliedThen502 });
      await port.dispatchWorkflow('deploy.yml', 'main', {});
      expect(gh.dispatches()).toHaveLength(2);
      gh.inject({ method: 'POST', path: /\/dispatches$/, times: 3, ...BAD_GATEWAY });
      await expect(port.dispatchWorkflow('deploy.yml', 'main', {})).rejects.toBeInstanceOf(
        GitHubUnavailableError,
      );
      expect(answers('POST', /\/dispatches$/)).toEqual([502, 204, 502, 502]);
      expect(gh.dispatches()).toHaveLength(2);
    });
  });
});
