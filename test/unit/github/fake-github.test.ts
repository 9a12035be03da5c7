// The fake's own mechanics, beyond the contract it shares with the real port: every call is
// recorded (for call-count assertions), and failures can be injected per call, answered as the
// real port would throw GitHub's answer.
import { describe, expect, it } from 'vitest';
import { GitHubRequestError, GitHubUnavailableError } from '../../../src/github/errors.js';
import { createFakeGitHub } from '../../support/fake-github/index.js';

describe('the in-memory fake of the GitHub port', () => {
  it('records every call with its arguments, in order, failed ones too; ports with other tokens share the log', async () => {
    const fake = createFakeGitHub();
    const { number } = fake.gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
    await fake.port.createComment(number, 'a');
    await fake.port.getPull(number);
    await expect(fake.port.getPull(99)).rejects.toThrow();
    await fake.portWith({ token: fake.gh.tokens.readOnly }).listComments(number);
    expect(fake.calls()).toEqual([
      { call: 'createComment', args: [number, 'a'] },
      { call: 'getPull', args: [number] },
      { call: 'getPull', args: [99] },
      { call: 'listComments', args: [number] },
    ]);
    expect(fake.count('getPull')).toBe(2);
    expect(fake.calls('createComment')).toEqual([{ call: 'createComment', args: [number, 'a'] }]);
    fake.clearCalls();
    expect(fake.count()).toBe(0);
  });

  it('an injected answer fails the next calls of that method as the real port throws it, then calls work again', async () => {
    const fake = createFakeGitHub();
    const { number } = fake.gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
    fake.inject({ call: 'createComment', status: 400, body: { message: 'bad' }, times: 2 });
    for (let i = 0; i < 2; i++) {
      const error = await fake.port.createComment(number, 'a').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitHubRequestError);
      expect(error).toMatchObject({ status: 400, message: 'bad', githubMessage: 'bad' });
    }
    await fake.port.createComment(number, 'a');
    expect(fake.gh.comments(number)).toHaveLength(1);
  });

  it('a 5xx is GitHubUnavailableError; afterApply does the write before failing (GitHub answering 502 after it)', async () => {
    const fake = createFakeGitHub();
    const { number } = fake.gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
    fake.inject({ call: 'createComment', status: 502, afterApply: true });
    const error = await fake.port.createComment(number, 'a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubUnavailableError);
    expect(error).toMatchObject({ status: 502 });
    expect((error as Error).message).toMatch(
      /^GitHub answered 502 \(Injected fault\) to createComment; /,
    );
    expect(fake.gh.comments(number).map((c) => c.body)).toEqual(['a']);
    fake.inject({ call: 'createComment', status: 502 });
    await expect(fake.port.createComment(number, 'b')).rejects.toBeInstanceOf(
      GitHubUnavailableError,
    );
    expect(fake.gh.comments(number)).toHaveLength(1);
  });
});
