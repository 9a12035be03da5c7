// Which of our events this run is, reduced to the plain facts the handlers need.
// Payload shapes are GitHub's (@octokit/webhooks-types); anything else is `ignored`.
import type {
  IssueCommentEvent,
  PullRequestEvent,
  PullRequestReviewEvent,
} from '@octokit/webhooks-types';
import { isBotAccount } from '../domain/logins.js';
import type { PullRequestInfo } from '../github/port.js';
import { toPullRequestInfo } from '../github/pull-request-info.js';

export type ActionEvent =
  | { kind: 'pull_request'; action: string; pull: PullRequestInfo; defaultBranch: string }
  | { kind: 'pull_request_review'; action: string; pull: PullRequestInfo; defaultBranch: string }
  | { kind: 'workflow_dispatch'; pullNumber: number }
  | {
      kind: 'issue_comment';
      action: string;
      pullNumber: number;
      comment: {
        id: number;
        user: string;
        userIsBot: boolean;
        body: string;
        /** GitHub's author_association: OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE, … */
        association: string;
      };
    }
  | { kind: 'ignored'; reason: string };

export type CommentEvent = Extract<ActionEvent, { kind: 'issue_comment' }>;

const PULL_ACTIONS = ['opened', 'synchronize', 'reopened', 'ready_for_review', 'edited', 'closed'];
const REVIEW_ACTIONS = ['submitted', 'dismissed', 'edited'];

/** The payload's pull request, mapped like the REST one (src/github/pull-request-info.ts). */
export function pullFromPayload(pr: PullRequestEvent['pull_request']): PullRequestInfo {
  return toPullRequestInfo(pr);
}

export function parseEvent(eventName: string, payload: unknown): ActionEvent {
  const body = (payload ?? {}) as Record<string, unknown>;
  const action = typeof body.action === 'string' ? body.action : '';
  switch (eventName) {
    case 'pull_request':
    case 'pull_request_target': {
      if (!PULL_ACTIONS.includes(action)) return ignored(`pull_request ${action}`);
      const event = payload as PullRequestEvent;
      return {
        kind: 'pull_request',
        action,
        pull: pullFromPayload(event.pull_request),
        defaultBranch: event.repository.default_branch,
      };
    }
    case 'pull_request_review': {
      if (!REVIEW_ACTIONS.includes(action)) return ignored(`pull_request_review ${action}`);
      const event = payload as PullRequestReviewEvent;
      return {
        kind: 'pull_request_review',
        action,
        pull: pullFromPayload(event.pull_request as PullRequestEvent['pull_request']),
        defaultBranch: event.repository.default_branch,
      };
    }
    case 'workflow_dispatch': {
      const inputs = (body.inputs ?? {}) as Record<string, unknown>;
      const raw = String(inputs['pull-request'] ?? '').trim();
      if (!/^[1-9][0-9]{0,9}$/.test(raw)) {
        return ignored(
          `workflow_dispatch without a valid \`pull-request\` input (got "${raw.slice(0, 20)}")`,
        );
      }
      return { kind: 'workflow_dispatch', pullNumber: Number(raw) };
    }
    case 'issue_comment': {
      const event = payload as IssueCommentEvent;
      if (!event.issue?.pull_request) return ignored('comment on an issue, not a pull request');
      return {
        kind: 'issue_comment',
        action,
        pullNumber: event.issue.number,
        comment: {
          id: event.comment.id,
          user: event.comment.user.login,
          userIsBot: isBotAccount(event.comment.user),
          body: event.comment.body ?? '',
          association: event.comment.author_association ?? 'NONE',
        },
      };
    }
    default:
      return ignored(`event ${eventName}`);
  }
}

function ignored(what: string): ActionEvent {
  return { kind: 'ignored', reason: `${what} is not handled by deploy-request` };
}
