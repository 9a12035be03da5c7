// GitHubPort over the real REST client. Maps GitHub's shapes to the port's plain data, turns
// permission refusals into messages that name the permission to grant, and makes the writes GitHub
// must not apply twice (comment, Deployment, lock ref, dispatch) safe to retry (write-once.ts).
import { isDeepStrictEqual } from 'node:util';
import type { GitHubClient } from './client.js';
import { dispatchRefusal } from './dispatch-refusal.js';
import { CALL_NEEDS, refusedMessage, type TokenCall } from './permissions.js';
import { findReleaseAsset } from './release-asset.js';
import { createWriteOnce, NO_RETRY } from './write-once.js';
import {
  FileTooLargeError,
  GitHubAccessError,
  type CommitStatus,
  type Deployment,
  type DeploymentState,
  type GitHubPort,
  type IssueComment,
  type PullFile,
  type PullRequestInfo,
  type RepoRef,
  type Review,
} from './port.js';

interface HttpError {
  status?: number;
  message?: string;
}

function statusOf(error: unknown): number | undefined {
  return (error as HttpError)?.status;
}

/** A 403 from GitHub on a port call, as a GitHubAccessError naming the permission to grant. */
function refusal(call: string, error: unknown): unknown {
  if (statusOf(error) !== 403 || !(call in CALL_NEEDS)) return error;
  return new GitHubAccessError(refusedMessage(call as TokenCall, (error as HttpError).message));
}

/** Every call of the port, with its 403s named by permissions.ts. */
function guarded(port: GitHubPort): GitHubPort {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(port) as [
    string,
    (...a: unknown[]) => Promise<unknown>,
  ][]) {
    out[name] = async (...args: unknown[]) => {
      try {
        return await fn(...args);
      } catch (error) {
        throw refusal(name, error);
      }
    };
  }
  return out as unknown as GitHubPort;
}

export interface PortOptions {
  /** How long to give GitHub after a 5xx on a write before looking whether it happened. */
  settleMs?: number;
}

export function createGitHubPort(
  client: GitHubClient,
  repoRef: RepoRef,
  membersClient?: GitHubClient,
  { settleMs = 1000 }: PortOptions = {},
): GitHubPort {
  const { owner, repo } = repoRef;
  const base = { owner, repo };
  const isBot = (user: { type?: string; login?: string } | null | undefined): boolean =>
    user?.type === 'Bot' || Boolean(user?.login?.endsWith('[bot]'));

  const writeOnce = createWriteOnce(settleMs);

  /** The token's login; null for an installation token (GITHUB_TOKEN), which cannot read /user. */
  async function tokenLogin(): Promise<string | null> {
    try {
      return (await client.rest.users.getAuthenticated()).data.login;
    } catch (error) {
      if (statusOf(error) === 403) return null;
      throw error;
    }
  }

  async function listComments(number: number): Promise<IssueComment[]> {
    const comments = await client.paginate(client.rest.issues.listComments, {
      ...base,
      issue_number: number,
      per_page: 100,
    });
    return comments.map(toComment);
  }

  async function getFile(path: string, ref: string): Promise<{ text: string; sha: string } | null> {
    try {
      const { data } = await client.rest.repos.getContent({ ...base, path, ref });
      if (Array.isArray(data) || data.type !== 'file') return null;
      // Over 1 MiB GitHub sends no content (encoding "none"): never mistake that for empty.
      if ('encoding' in data && data.encoding === 'none' && data.size > 0)
        throw new FileTooLargeError(path, data.size);
      const content = 'content' in data ? data.content : '';
      return { text: Buffer.from(content, 'base64').toString('utf8'), sha: data.sha };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  async function getRefSha(ref: string): Promise<string | null> {
    try {
      const { data } = await client.rest.git.getRef({ ...base, ref });
      return data.object.sha;
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  return guarded({
    async getDefaultBranch() {
      const { data } = await client.rest.repos.get(base);
      return data.default_branch;
    },

    async getFileText(path, ref) {
      return (await getFile(path, ref))?.text ?? null;
    },

    getFile,

    async getPull(number): Promise<PullRequestInfo> {
      const { data } = await client.rest.pulls.get({ ...base, pull_number: number });
      return {
        number: data.number,
        state: data.state as 'open' | 'closed',
        merged: Boolean(data.merged),
        draft: Boolean(data.draft),
        author: data.user.login,
        authorIsBot: isBot(data.user),
        headSha: data.head.sha,
        headRepoFullName: data.head.repo?.full_name ?? null,
        baseSha: data.base.sha,
        baseRef: data.base.ref,
        htmlUrl: data.html_url,
        requestedUsers: (data.requested_reviewers ?? []).map((u) => u.login),
        requestedTeams: (data.requested_teams ?? []).map((t) => t.slug),
      };
    },

    async listPullFiles(number): Promise<PullFile[]> {
      const files = await client.paginate(client.rest.pulls.listFiles, {
        ...base,
        pull_number: number,
        per_page: 100,
      });
      return files.map((f) => ({
        filename: f.filename,
        status: f.status,
        previousFilename: f.previous_filename,
      }));
    },

    async listReviews(number): Promise<Review[]> {
      const reviews = await client.paginate(client.rest.pulls.listReviews, {
        ...base,
        pull_number: number,
        per_page: 100,
      });
      return reviews.map((r) => ({
        id: r.id,
        user: r.user?.login ?? 'ghost',
        userIsBot: isBot(r.user),
        state: r.state as Review['state'],
        commitId: r.commit_id ?? '',
        submittedAt: r.submitted_at ?? '',
      }));
    },

    listComments,

    async createComment(number, body) {
      return writeOnce(
        async () => {
          const { data } = await client.rest.issues.createComment({
            ...base,
            issue_number: number,
            body,
            request: NO_RETRY,
          });
          return toComment(data);
        },
        // Ours: this body, by this token's user (an installation token's user is a bot), newest.
        async (since) => {
          const login = await tokenLogin();
          return (await listComments(number))
            .filter((c) => c.body === body && Date.parse(c.createdAt) >= since)
            .filter((c) => (login === null ? c.userIsBot : c.user === login))
            .pop();
        },
      );
    },

    async updateComment(commentId, body) {
      await client.rest.issues.updateComment({ ...base, comment_id: commentId, body });
    },

    async addReaction(commentId, content) {
      await client.rest.reactions.createForIssueComment({
        ...base,
        comment_id: commentId,
        content,
      });
    },

    async setStatus(sha, status) {
      await client.rest.repos.createCommitStatus({
        ...base,
        sha,
        context: status.context,
        state: status.state,
        // GitHub refuses descriptions over 140 characters with 422.
        description: truncate(status.description, 140),
        target_url: status.targetUrl,
      });
    },

    async listStatuses(sha): Promise<CommitStatus[]> {
      const { data } = await client.rest.repos.getCombinedStatusForRef({
        ...base,
        ref: sha,
        per_page: 100,
      });
      return data.statuses.map((s) => ({
        context: s.context,
        state: s.state as CommitStatus['state'],
        description: s.description ?? '',
        targetUrl: s.target_url ?? undefined,
      }));
    },

    async requestReviewers(number, users, teams) {
      if (users.length === 0 && teams.length === 0) return;
      await client.rest.pulls.requestReviewers({
        ...base,
        pull_number: number,
        reviewers: users,
        team_reviewers: teams,
      });
    },

    async listTeamMembers(org, teamSlug) {
      const teamsClient = membersClient ?? client;
      try {
        const members = await teamsClient.paginate(teamsClient.rest.teams.listMembersInOrg, {
          org,
          team_slug: teamSlug,
          per_page: 100,
        });
        return members.map((m) => m.login);
      } catch (error) {
        const status = statusOf(error);
        if (status === 403 || status === 404) {
          throw new GitHubAccessError(
            `Cannot read the members of team ${org}/${teamSlug} (${status}). The workflow's GITHUB_TOKEN cannot read organisation teams: pass a token with \`read:org\` (classic) or organisation "Members: read" (fine-grained / GitHub App) as the \`members-token\` input, and check the team slug.`,
          );
        }
        throw error;
      }
    },

    async dispatchWorkflow(workflowFile, ref, inputs) {
      const workflowId = workflowFile.split('/').pop() ?? workflowFile;
      // A dispatch leaves nothing to read back (its run shows up later, if at all), so after a 5xx
      // it is sent once more, blindly, and never more than that. Losing the hand-over would leave
      // an approved request stuck until someone re-runs the job; a second one is harmless: the
      // trusted run is idempotent (it checks again and reuses the open prompt, no second
      // Deployment or comment) and the environment lock serialises deployments.
      try {
        await writeOnce(
          async () => {
            await client.rest.actions.createWorkflowDispatch({
              ...base,
              workflow_id: workflowId,
              ref,
              inputs,
              request: NO_RETRY,
            });
          },
          async () => undefined,
        );
      } catch (error) {
        throw dispatchRefusal(error, workflowFile, ref) ?? error;
      }
    },

    async createDeployment({ ref, environment, payload, description }): Promise<Deployment> {
      return writeOnce(
        async () => {
          const { data } = await client.rest.repos.createDeployment({
            ...base,
            ref,
            environment,
            payload,
            description,
            auto_merge: false,
            // Omitted, GitHub answers 409 while any status on the commit is not success.
            required_contexts: [],
            transient_environment: false,
            request: NO_RETRY,
          });
          if (!('id' in data))
            throw new Error(`GitHub did not create the deployment: ${data.message ?? ''}`);
          return toDeployment(data);
        },
        // Ours: same ref, environment and payload (the PR, the digest, …), newest first.
        async (since) => {
          const sent: unknown = JSON.parse(JSON.stringify(payload));
          const listed = await client.paginate(client.rest.repos.listDeployments, {
            ...base,
            ref,
            environment,
            per_page: 100,
          });
          return listed
            .map(toDeployment)
            .find((d) => isDeepStrictEqual(d.payload, sent) && Date.parse(d.createdAt) >= since);
        },
      );
    },

    async listDeployments(environment, sha) {
      const deployments = await client.paginate(client.rest.repos.listDeployments, {
        ...base,
        environment,
        sha,
        per_page: 100,
      });
      return deployments.map(toDeployment);
    },

    async createDeploymentStatus(deploymentId, state, input = {}) {
      await client.rest.repos.createDeploymentStatus({
        ...base,
        deployment_id: deploymentId,
        state,
        description: input.description ? truncate(input.description, 140) : undefined,
        log_url: input.logUrl,
        environment_url: input.environmentUrl,
        auto_inactive: false,
      });
    },

    async latestDeploymentStatus(deploymentId) {
      const { data } = await client.rest.repos.listDeploymentStatuses({
        ...base,
        deployment_id: deploymentId,
        per_page: 1,
      });
      const newest = data[0];
      return newest
        ? { state: newest.state as DeploymentState, createdAt: newest.created_at }
        : null;
    },

    async listDeploymentStatuses(deploymentId) {
      const statuses = await client.paginate(client.rest.repos.listDeploymentStatuses, {
        ...base,
        deployment_id: deploymentId,
        per_page: 100,
      });
      return statuses.map((s) => ({
        state: s.state as DeploymentState,
        description: s.description ?? '',
        createdAt: s.created_at,
      }));
    },

    async createRef(ref, sha) {
      try {
        return await writeOnce(
          async () => {
            await client.rest.git.createRef({
              ...base,
              ref: `refs/${ref}`,
              sha,
              request: NO_RETRY,
            });
            return true;
          },
          // A ref has no author or time: pointing at our SHA, it is the one we just created.
          async () => ((await getRefSha(ref)) === sha ? true : undefined),
        );
      } catch (error) {
        // Exists already (also when our retry after a 5xx finds someone else's).
        if (statusOf(error) === 422) return false;
        throw error;
      }
    },

    getRefSha,

    async deleteRef(ref) {
      try {
        await client.rest.git.deleteRef({ ...base, ref });
      } catch (error) {
        if (statusOf(error) !== 404 && statusOf(error) !== 422) throw error;
      }
    },

    findReleaseAsset: (tag, name) => findReleaseAsset(client, base, tag, name),
  });

  function toComment(c: {
    id: number;
    user: { login: string; type?: string } | null;
    body?: string;
    created_at: string;
    updated_at: string;
  }): IssueComment {
    return {
      id: c.id,
      user: c.user?.login ?? 'ghost',
      userIsBot: isBot(c.user),
      body: c.body ?? '',
      createdAt: c.created_at,
      updatedAt: c.updated_at,
    };
  }
}

function toDeployment(d: {
  id: number;
  sha: string;
  environment: string;
  payload: unknown;
  created_at: string;
}): Deployment {
  const payload =
    typeof d.payload === 'string'
      ? (safeJson(d.payload) as Record<string, unknown>)
      : ((d.payload ?? {}) as Record<string, unknown>);
  return { id: d.id, sha: d.sha, environment: d.environment, payload, createdAt: d.created_at };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
