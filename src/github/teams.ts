// Organisation team members, read with the `members-token` when given: the workflow's
// GITHUB_TOKEN cannot read teams (SPEC §3), so a refusal says which token to pass.
import type { GitHubClient } from './client.js';
import { attempt, GitHubAccessError, GitHubForbiddenError, GitHubNotFoundError } from './errors.js';
import type { GitHubPort } from './port.js';

export type TeamsPort = Pick<GitHubPort, 'listTeamMembers'>;

export function teamsPort(client: GitHubClient): TeamsPort {
  return {
    async listTeamMembers(org, teamSlug) {
      try {
        const members = await attempt('listTeamMembers', () =>
          client.paginate(client.rest.teams.listMembersInOrg, {
            org,
            team_slug: teamSlug,
            per_page: 100,
          }),
        );
        return members.map((m) => m.login);
      } catch (error) {
        const refused = error instanceof GitHubForbiddenError && error.status === 403;
        if (refused || error instanceof GitHubNotFoundError) {
          throw new GitHubAccessError(
            `Cannot read the members of team ${org}/${teamSlug} (${error.status}). The workflow's GITHUB_TOKEN cannot read organisation teams: pass a token with \`read:org\` (classic) or organisation "Members: read" (fine-grained / GitHub App) as the \`members-token\` input, and check the team slug.`,
          );
        }
        throw error;
      }
    },
  };
}
