// The port's comments: created, updated, listed with bots recognised, reacted to; refusals name
// the permission.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GitHubPort } from '../../../src/github/port.js';
import type { GitHubStandIn } from '../../support/github-stand-in/index.js';
import { refused, startPortSetup, type PortFor } from './port-setup.js';

let gh: GitHubStandIn;
let port: GitHubPort;
let portFor: PortFor;

beforeEach(async () => {
  ({ gh, port, portFor } = await startPortSetup());
});
afterEach(() => gh.close());

describe('comments and reactions', () => {
  it('create, update, list (bots recognised), react', async () => {
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
    gh.comment(number, 'dev', 'hello');
    const mine = await port.createComment(number, 'status');
    expect(mine).toMatchObject({ user: 'github-actions[bot]', userIsBot: true, body: 'status' });
    await port.updateComment(mine.id, 'status 2');
    await port.addReaction(mine.id, 'rocket');
    const list = await port.listComments(number);
    expect(list.map((c) => [c.user, c.userIsBot, c.body])).toEqual([
      ['dev', false, 'hello'],
      ['github-actions[bot]', true, 'status 2'],
    ]);
    expect(gh.reactions(mine.id)).toEqual([{ user: 'github-actions[bot]', content: 'rocket' }]);
  });

  it('a comment of a deleted user, without a body', async () => {
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
    gh.inject({
      method: 'GET',
      path: `/issues/${number}/comments`,
      status: 200,
      body: [{ id: 5, user: null, created_at: 'c', updated_at: 'u' }],
    });
    expect(await port.listComments(number)).toEqual([
      { id: 5, user: 'ghost', userIsBot: false, body: '', createdAt: 'c', updatedAt: 'u' },
    ]);
  });

  it('a read-only token: comment and update refused with the permission; other errors as they are', async () => {
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'x.txt': 'x' } });
    const id = gh.comment(number, 'dev', 'x');
    const readOnly = portFor(gh.tokens.readOnly);
    await expect(readOnly.createComment(number, 'x')).rejects.toThrow(
      /GitHub refused to comment on the pull request \(403: Resource not accessible by integration.*\)/,
    );
    await expect(readOnly.updateComment(id, 'x')).rejects.toThrow(/update a comment/);
    gh.inject({ method: 'POST', path: `/issues/${number}/comments`, ...refused(422) });
    await expect(port.createComment(number, 'x')).rejects.toMatchObject({ status: 422 });
    gh.inject({ method: 'POST', path: `/issues/${number}/comments`, status: 403, body: {} });
    await expect(port.createComment(number, 'x')).rejects.toThrow(/\(403: .*\)/);
  });
});
