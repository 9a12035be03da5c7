// author_association, which /status trusts to tell people with a stake in the repository from
// anyone who can comment. GitHub's issue comment (REST and the issue_comment webhook's `comment`)
// carries it as "How the author is associated with the repository", one of COLLABORATOR,
// CONTRIBUTOR, FIRST_TIMER, FIRST_TIME_CONTRIBUTOR, MANNEQUIN, MEMBER, NONE, OWNER
// (github/rest-api-description, components/schemas/author-association;
// https://docs.github.com/en/graphql/reference/enums#commentauthorassociation: OWNER "the owner
// of the repository", MEMBER "a member of the organization that owns the repository",
// COLLABORATOR "invited to collaborate on the repository", NONE "no association").
import { describe, expect, test } from 'vitest';
import { issueCommentEvent } from '../support/events.js';
import { repo, standIn } from './helpers.js';

describe('author_association', () => {
  test('owner, organisation member, collaborator, anyone else: the webhook and REST agree', async () => {
    const { gh, octokit } = await standIn({
      files: { 'README.md': 'r\n' },
      teams: { ops: ['olga'] },
      collaborators: ['carol'],
    });
    const { number } = gh.openPull({ author: 'carol', headFiles: { 'a.txt': 'a\n' } });
    const expected: Record<string, string> = {
      acme: 'OWNER',
      olga: 'MEMBER',
      carol: 'COLLABORATOR',
      mallory: 'NONE',
    };
    for (const [user, association] of Object.entries(expected)) {
      const id = gh.comment(number, user, '/status');
      expect(issueCommentEvent(gh, 'created', id).comment.author_association, user).toBe(
        association,
      );
      const { data } = await octokit().rest.issues.getComment({ ...repo, comment_id: id });
      expect(data.author_association, user).toBe(association);
    }
  });

  test('without a collaborator list every user has access: COLLABORATOR; bots: NONE', async () => {
    const { gh } = await standIn({ files: { 'README.md': 'r\n' } });
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'a.txt': 'a\n' } });
    const dev = gh.comment(number, 'dev', 'hi');
    expect(issueCommentEvent(gh, 'created', dev).comment.author_association).toBe('COLLABORATOR');
    const bot = gh.comment(number, 'github-actions[bot]', 'hi');
    expect(issueCommentEvent(gh, 'created', bot).comment.author_association).toBe('NONE');
  });
});
