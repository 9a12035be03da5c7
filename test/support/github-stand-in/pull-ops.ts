// Pull request behaviour shared by the HTTP routes and the test-side driving API.
import { applyChanges, type TreeChanges } from './git.js';
import { HttpError, notFound } from './http.js';
import type { PullRec, ReviewRec, ReviewState, State } from './state.js';

export interface OpenPullOptions {
  author: string;
  /** Base branch (default: the default branch). */
  base?: string;
  /** Changes on top of the base tip (null deletes a path); makes one head commit. */
  headFiles?: TreeChanges;
  /** Or an existing commit to use as head. */
  headSha?: string;
  /** Head branch name (default `pr-<n>`); in this repo unless fromFork. */
  headRef?: string;
  title?: string;
  body?: string | null;
  draft?: boolean;
  /** Head lives in `<author>/<repo>`, a fork. */
  fromFork?: boolean;
}

export function mustPull(s: State, number: number): PullRec {
  const pr = s.pull(number);
  if (!pr) throw notFound();
  return pr;
}

export function branchTip(s: State, branch: string): string {
  const sha = s.git.refs.get(`refs/heads/${branch}`);
  if (!sha) throw new Error(`stand-in: no branch ${branch}`);
  return sha;
}

export function openPull(s: State, o: OpenPullOptions): PullRec {
  const baseRef = o.base ?? s.defaultBranch;
  const baseSha = branchTip(s, baseRef);
  const number = s.nextIssueNumber();
  let headSha = o.headSha;
  if (headSha === undefined) {
    headSha = s.git.commit(applyChanges(s.git.tree(baseSha), o.headFiles ?? {}), [baseSha]);
  } else if (!s.git.get(headSha)) {
    throw new Error(`stand-in: no commit ${headSha}`);
  }
  s.user(o.author);
  const now = s.now();
  const pr: PullRec = {
    number,
    id: s.nextId('pull', 1_000_000_000),
    author: o.author,
    title: o.title ?? `Deploy request #${number}`,
    body: o.body ?? null,
    state: 'open',
    draft: o.draft ?? false,
    merged: false,
    mergedBy: null,
    mergeCommitSha: null,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    mergedAt: null,
    baseRef,
    baseSha,
    headRef: o.headRef ?? `pr-${number}`,
    headSha,
    headHistory: [headSha],
    fromFork: o.fromFork ?? false,
    requestedUsers: [],
    requestedTeams: [],
  };
  s.pulls.set(number, pr);
  if (!pr.fromFork) s.git.refs.set(`refs/heads/${pr.headRef}`, headSha);
  s.git.refs.set(`refs/pull/${number}/head`, headSha);
  return pr;
}

/** The PR's head moved to `sha` (a push): history, timestamps and base SHA follow. */
export function moveHead(s: State, pr: PullRec, sha: string): void {
  if (pr.headSha === sha) return;
  pr.headSha = sha;
  pr.headHistory.push(sha);
  pr.baseSha = s.git.refs.get(`refs/heads/${pr.baseRef}`) ?? pr.baseSha;
  pr.updatedAt = s.now();
  s.git.refs.set(`refs/pull/${pr.number}/head`, sha);
  if (!pr.fromFork) s.git.refs.set(`refs/heads/${pr.headRef}`, sha);
}

/** A branch of this repository moved: open PRs whose head is that branch follow it. */
export function branchMoved(s: State, fullRef: string, sha: string): void {
  const m = /^refs\/heads\/(.+)$/.exec(fullRef);
  if (!m) return;
  for (const pr of s.pulls.values()) {
    if (pr.state === 'open' && !pr.fromFork && pr.headRef === m[1]) moveHead(s, pr, sha);
  }
}

export function pushToPull(s: State, number: number, changes: TreeChanges): string {
  const pr = mustPull(s, number);
  const sha = s.git.commit(applyChanges(s.git.tree(pr.headSha), changes), [pr.headSha]);
  moveHead(s, pr, sha);
  return sha;
}

export type ReviewEvent = 'APPROVE' | 'REQUEST_CHANGES' | 'COMMENT';
const EVENT_STATE: Record<ReviewEvent, ReviewState> = {
  APPROVE: 'APPROVED',
  REQUEST_CHANGES: 'CHANGES_REQUESTED',
  COMMENT: 'COMMENTED',
};

/** Submit (or, without an event, start a pending) review, with GitHub's rules. */
export function submitReview(
  s: State,
  number: number,
  user: string,
  event: ReviewEvent | undefined,
  body: string,
  commitId?: string,
): ReviewRec {
  const pr = mustPull(s, number);
  if (pr.state === 'closed' && event !== undefined && event !== 'COMMENT') {
    throw new HttpError(422, 'Unprocessable Entity', { errors: ['Pull request is closed'] });
  }
  if (user === pr.author && event === 'APPROVE') {
    throw new HttpError(422, 'Unprocessable Entity', {
      errors: ['Can not approve your own pull request'],
    });
  }
  if (user === pr.author && event === 'REQUEST_CHANGES') {
    throw new HttpError(422, 'Unprocessable Entity', {
      errors: ['Can not request changes on your own pull request'],
    });
  }
  if ((event === 'REQUEST_CHANGES' || event === 'COMMENT') && body.trim() === '') {
    throw new HttpError(422, 'Unprocessable Entity', {
      errors: [`Body is required when using ${event} event`],
    });
  }
  if (commitId !== undefined && !pr.headHistory.includes(commitId)) {
    throw new HttpError(422, 'Unprocessable Entity', {
      errors: ['Commit ID must be part of the pull request'],
    });
  }
  s.user(user);
  const rec: ReviewRec = {
    id: s.nextId('review', 3_000_000),
    pull: number,
    user,
    state: event ? EVENT_STATE[event] : 'PENDING',
    body,
    commitId: commitId ?? pr.headSha,
    submittedAt: event ? s.now() : null,
  };
  s.reviews.push(rec);
  if (event) {
    // A review fulfils the user's request, and a team's request made of that user.
    pr.requestedUsers = pr.requestedUsers.filter((u) => u !== user);
    pr.requestedTeams = pr.requestedTeams.filter(
      (slug) => !s.team(s.owner, slug)?.members.includes(user),
    );
  }
  return rec;
}

export function dismissReview(s: State, number: number, id: number, _message: string): ReviewRec {
  mustPull(s, number);
  const r = s.reviews.find((x) => x.id === id && x.pull === number);
  if (!r) throw notFound();
  if (r.state !== 'APPROVED' && r.state !== 'CHANGES_REQUESTED') {
    throw new HttpError(422, 'Validation Failed', {
      errors: [`Can not dismiss a ${r.state.toLowerCase().replace('_', ' ')} pull request review`],
    });
  }
  r.state = 'DISMISSED';
  return r;
}

export function requestReviewers(
  s: State,
  number: number,
  users: string[],
  teams: string[],
): PullRec {
  const pr = mustPull(s, number);
  if (users.some((u) => u.toLowerCase() === pr.author.toLowerCase())) {
    throw new HttpError(422, 'Review cannot be requested from pull request author.');
  }
  // GitHub refuses the whole request (nobody is asked) when one user has no access to the repository.
  if (users.some((u) => !s.isCollaborator(u))) {
    throw new HttpError(
      422,
      `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${s.fullName} repository.`,
    );
  }
  const badTeam = teams.some((t) => t.includes('/') || !s.team(s.owner, t));
  if (badTeam) {
    throw new HttpError(
      422,
      `Reviews may only be requested from collaborators. One or more of the teams you specified is not a collaborator of the ${s.fullName} repository.`,
    );
  }
  for (const u of users) {
    const login = s.user(u).login;
    if (!pr.requestedUsers.includes(login)) pr.requestedUsers.push(login);
  }
  for (const t of teams) {
    const slug = (s.team(s.owner, t) as { slug: string }).slug;
    if (!pr.requestedTeams.includes(slug)) pr.requestedTeams.push(slug);
  }
  return pr;
}

export interface PullUpdate {
  title?: string;
  body?: string | null;
  state?: 'open' | 'closed';
  /** Retarget: a branch of this repository. */
  base?: string;
}

/**
 * `PATCH /pulls/{n}` (https://docs.github.com/rest/pulls/pulls#update-a-pull-request): `base` must
 * be an existing branch of this repository; retargeting sets `base.sha` to that branch's tip, the
 * only moments GitHub computes it being open, push and retarget (github/docs#431). Reviews stay:
 * without a branch protection that dismisses stale approvals, a retargeted PR keeps its approvals.
 * Returns the previous values, for an `edited` event's `changes`.
 */
export function updatePull(s: State, number: number, u: PullUpdate) {
  const pr = mustPull(s, number);
  const before = { title: pr.title, body: pr.body, base: pr.baseRef, baseSha: pr.baseSha };
  if (u.base !== undefined) {
    const tip = s.git.refs.get(`refs/heads/${u.base}`);
    if (!tip) {
      throw new HttpError(422, 'Validation Failed', {
        errors: [
          {
            resource: 'PullRequest',
            field: 'base',
            code: 'invalid',
            message: `Proposed base branch '${u.base}' was not found`,
          },
        ],
      });
    }
    pr.baseRef = u.base;
    pr.baseSha = tip;
  }
  if (u.title !== undefined) pr.title = u.title;
  if (u.body !== undefined) pr.body = u.body;
  if (u.state === 'closed' && pr.state === 'open') closePull(s, number);
  if (u.state === 'open' && pr.state === 'closed') {
    if (pr.merged) {
      throw new HttpError(422, 'Validation Failed', {
        errors: [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: 'state cannot be changed. The pull request has been merged.',
          },
        ],
      });
    }
    reopenPull(s, number);
  }
  pr.updatedAt = s.now();
  return before;
}

/** An `edited` event's `changes` for what updatePull returned (title, body, base as changed). */
export function editedChanges(pr: PullRec, before: ReturnType<typeof updatePull>) {
  return {
    ...(before.title !== pr.title ? { title: { from: before.title } } : {}),
    ...(before.body !== pr.body ? { body: { from: before.body ?? '' } } : {}),
    ...(before.base !== pr.baseRef
      ? { base: { ref: { from: before.base }, sha: { from: before.baseSha } } }
      : {}),
  };
}

export function removeRequestedReviewers(
  s: State,
  number: number,
  users: string[],
  teams: string[],
): PullRec {
  const pr = mustPull(s, number);
  pr.requestedUsers = pr.requestedUsers.filter((u) => !users.includes(u));
  pr.requestedTeams = pr.requestedTeams.filter((t) => !teams.includes(t));
  return pr;
}

export function closePull(
  s: State,
  number: number,
  o: { merge?: boolean; by?: string } = {},
): PullRec {
  const pr = mustPull(s, number);
  const now = s.now();
  pr.state = 'closed';
  pr.closedAt = now;
  pr.updatedAt = now;
  if (o.merge) {
    const baseTip = branchTip(s, pr.baseRef);
    const { tree } = s.git.merge(baseTip, pr.headSha);
    const sha = s.git.commit(tree, [baseTip, pr.headSha]);
    s.git.refs.set(`refs/heads/${pr.baseRef}`, sha);
    pr.merged = true;
    pr.mergedAt = now;
    pr.mergedBy = o.by ?? s.owner;
    pr.mergeCommitSha = sha;
    branchMoved(s, `refs/heads/${pr.baseRef}`, sha);
  }
  return pr;
}

export function reopenPull(s: State, number: number): PullRec {
  const pr = mustPull(s, number);
  if (pr.merged) throw new Error('stand-in: a merged pull request cannot be reopened');
  pr.state = 'open';
  pr.closedAt = null;
  pr.updatedAt = s.now();
  return pr;
}

/** The commit `refs/pull/<n>/merge` points at: head merged into the current base tip. */
export function mergeRefSha(s: State, number: number): string {
  const pr = mustPull(s, number);
  const baseTip = s.git.refs.get(`refs/heads/${pr.baseRef}`) ?? pr.baseSha;
  const name = `refs/pull/${number}/merge`;
  const cur = s.git.refs.get(name);
  const parents = cur ? s.git.get(cur)?.parents : undefined;
  if (cur && parents?.[0] === baseTip && parents[1] === pr.headSha) return cur;
  const { tree } = s.git.merge(baseTip, pr.headSha);
  const sha = s.git.commit(tree, [baseTip, pr.headSha]);
  s.git.refs.set(name, sha);
  return sha;
}
