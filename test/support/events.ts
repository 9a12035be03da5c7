// Event payloads (what GITHUB_EVENT_PATH holds), built from the stand-in's current state so the
// PR's head SHA, users, comments and reviews match what the API answers. Typed with
// @octokit/webhooks-types; key sets are checked against @octokit/webhooks-examples in test/stand-in.
import type {
  IssueCommentCreatedEvent,
  IssueCommentEditedEvent,
  PullRequestClosedEvent,
  PullRequestEditedEvent,
  PullRequestOpenedEvent,
  PullRequestReadyForReviewEvent,
  PullRequestReopenedEvent,
  PullRequestReviewDismissedEvent,
  PullRequestReviewEditedEvent,
  PullRequestReviewSubmittedEvent,
  PullRequestSynchronizeEvent,
  WorkflowDispatchEvent,
} from '@octokit/webhooks-types';
import type { GitHubStandIn } from './github-stand-in/index.js';
import type { DispatchRec, PullRec } from './github-stand-in/state.js';
import {
  hookComment,
  hookIssue,
  hookOrganization,
  hookPull,
  hookRepo,
  hookReview,
  hookSimplePull,
  hookUser,
} from './github-stand-in/webhooks.js';

export interface PullRequestEvents {
  opened: PullRequestOpenedEvent;
  synchronize: PullRequestSynchronizeEvent;
  reopened: PullRequestReopenedEvent;
  ready_for_review: PullRequestReadyForReviewEvent;
  edited: PullRequestEditedEvent;
  closed: PullRequestClosedEvent;
}

export interface PullRequestEventOptions {
  /** Who caused the event (default: the PR author; for `closed` of a merged PR, who merged). */
  sender?: string;
  /** `edited`: what changed (e.g. from `gh.editPull`'s return value). */
  changes?: PullRequestEditedEvent['changes'];
  /** `synchronize`: the head before the push (default: the previous head). */
  before?: string;
}

function common(gh: GitHubStandIn, sender: string) {
  const s = gh.state;
  const organization = hookOrganization(s);
  return {
    repository: hookRepo(s),
    sender: hookUser(s, sender),
    ...(organization ? { organization } : {}),
  };
}

function pullOf(gh: GitHubStandIn, number: number): PullRec {
  const pr = gh.state.pull(number);
  if (!pr) throw new Error(`stand-in: no pull request #${number}`);
  return pr;
}

function must<T>(ok: boolean, what: string, value: T): T {
  if (!ok) throw new Error(`events: ${what}`);
  return value;
}

/** A `pull_request` event payload for PR `number` as it is now. */
export function pullRequestEvent<A extends keyof PullRequestEvents>(
  gh: GitHubStandIn,
  action: A,
  number: number,
  o: PullRequestEventOptions = {},
): PullRequestEvents[A] {
  const s = gh.state;
  const pr = pullOf(gh, number);
  const sender = o.sender ?? (action === 'closed' && pr.mergedBy ? pr.mergedBy : pr.author);
  const base = { number, ...common(gh, sender) };
  const p = hookPull(s, pr);
  const open = pr.state === 'open';
  const fresh = { ...p, state: 'open' as const, closed_at: null, merged_at: null, merged_by: null };
  const events: { [K in keyof PullRequestEvents]: () => PullRequestEvents[K] } = {
    opened: () =>
      must(open, 'opened needs an open PR', {
        ...base,
        action: 'opened',
        pull_request: { ...fresh, active_lock_reason: null },
      }),
    synchronize: () => {
      const before = o.before ?? pr.headHistory[pr.headHistory.length - 2];
      if (!before) throw new Error('events: synchronize needs a push (gh.push) first');
      return { ...base, action: 'synchronize', before, after: pr.headSha, pull_request: p };
    },
    reopened: () =>
      must(open, 'reopened needs an open PR', {
        ...base,
        action: 'reopened',
        pull_request: { ...fresh, merged: false },
      }),
    ready_for_review: () =>
      must(open && !pr.draft, 'ready_for_review needs an open, non-draft PR', {
        ...base,
        action: 'ready_for_review',
        pull_request: { ...fresh, draft: false, merged: false },
      }),
    edited: () => ({ ...base, action: 'edited', changes: o.changes ?? {}, pull_request: p }),
    closed: () =>
      must(!open && pr.closedAt !== null, 'closed needs a closed PR (gh.closePull)', {
        ...base,
        action: 'closed',
        pull_request: {
          ...p,
          state: 'closed',
          closed_at: pr.closedAt as string,
          merged: pr.merged,
        },
      }),
  };
  return events[action]();
}

export interface PullRequestReviewEvents {
  submitted: PullRequestReviewSubmittedEvent;
  dismissed: PullRequestReviewDismissedEvent;
  edited: PullRequestReviewEditedEvent;
}

/** A `pull_request_review` event payload for a review of PR `number`. */
export function pullRequestReviewEvent<A extends keyof PullRequestReviewEvents>(
  gh: GitHubStandIn,
  action: A,
  number: number,
  reviewId: number,
  o: { sender?: string; changes?: PullRequestReviewEditedEvent['changes'] } = {},
): PullRequestReviewEvents[A] {
  const s = gh.state;
  const rec = s.reviews.find((r) => r.id === reviewId && r.pull === number);
  if (!rec) throw new Error(`stand-in: no review ${reviewId} on #${number}`);
  const base = {
    ...common(gh, o.sender ?? rec.user),
    pull_request: hookSimplePull(s, pullOf(gh, number)),
  };
  const review = hookReview(s, rec);
  const events: { [K in keyof PullRequestReviewEvents]: () => PullRequestReviewEvents[K] } = {
    submitted: () => ({ ...base, action: 'submitted', review }),
    dismissed: () => {
      if (review.state !== 'dismissed')
        throw new Error('events: dismiss the review first (gh.dismissReview)');
      return { ...base, action: 'dismissed', review: { ...review, state: 'dismissed' } };
    },
    edited: () => ({ ...base, action: 'edited', changes: o.changes ?? {}, review }),
  };
  return events[action]();
}

export interface IssueCommentEvents {
  created: IssueCommentCreatedEvent;
  edited: IssueCommentEditedEvent;
}

/** An `issue_comment` event payload for a comment on a PR (`from`: the body before an edit). */
export function issueCommentEvent<A extends keyof IssueCommentEvents>(
  gh: GitHubStandIn,
  action: A,
  commentId: number,
  o: { sender?: string; from?: string } = {},
): IssueCommentEvents[A] {
  const s = gh.state;
  const c = s.comments.find((x) => x.id === commentId);
  if (!c) throw new Error(`stand-in: no comment ${commentId}`);
  const base = {
    ...common(gh, o.sender ?? c.user),
    issue: hookIssue(s, pullOf(gh, c.issue)),
    comment: hookComment(s, c),
  };
  const events: { [K in keyof IssueCommentEvents]: () => IssueCommentEvents[K] } = {
    created: () => ({ ...base, action: 'created' }),
    edited: () => ({
      ...base,
      action: 'edited',
      changes: o.from === undefined ? {} : { body: { from: o.from } },
    }),
  };
  return events[action]();
}

/**
 * A `workflow_dispatch` event payload. `workflow` may be a file name (`deploy.yml`) or a path;
 * `ref` a branch name or full ref (default: the default branch). Pass a recorded dispatch
 * (`gh.dispatches()[i]`) to replay the hand-over.
 */
export function workflowDispatchEvent(
  gh: GitHubStandIn,
  o:
    | { inputs?: Record<string, unknown>; ref?: string; workflow?: string; sender?: string }
    | DispatchRec = {},
): WorkflowDispatchEvent {
  const rec = o as Partial<DispatchRec> & { sender?: string };
  const ref = rec.ref ?? gh.defaultBranch;
  const workflow = rec.workflow ?? 'deploy.yml';
  return {
    ...common(gh, rec.sender ?? rec.actor ?? 'github-actions[bot]'),
    inputs: rec.inputs ?? {},
    ref: ref.startsWith('refs/') ? ref : (gh.state.git.branchOrTag(ref) ?? `refs/heads/${ref}`),
    workflow: workflow.includes('/') ? workflow : `.github/workflows/${workflow}`,
  };
}
