// A stateful local stand-in of GitHub's REST API, plus the API tests use to drive it.
//
//   const gh = new GitHubStandIn({ files: { '.github/deploy-request.yml': cfg }, teams: { ops: ['olga', 'oscar'] } });
//   await gh.start();                    // gh.url → GITHUB_API_URL
//   const { number } = gh.openPull({ author: 'dev', headFiles: { 'deploy-requests/web.yml': req } });
//   gh.review(number, 'alice', 'APPROVED');
//   …; await gh.close();
import { dispatchWorkflow } from './actions.js';
import { addCheckRun, checkRunStore, type CheckRunRec, type NewCheckRun } from './checks.js';
import { StandInBase, type StandInOptions } from './base.js';
import {
  addDeploymentStatus,
  latestDeploymentStatus,
  type NewDeploymentStatus,
} from './deployments.js';
import type { TreeChanges } from './git.js';
import * as issueOps from './issue-ops.js';
import { addComment, addReaction, deleteComment, editComment, findComment } from './issues.js';
import * as ops from './pull-ops.js';
import type {
  CommentRec,
  DeploymentRec,
  DeploymentStatusRec,
  DispatchRec,
  IssueRec,
  PullRec,
  ReactionContent,
  ReviewRec,
  StatusRec,
} from './state.js';
import { addStatus, combinedState, latestStatuses, type NewStatus } from './statuses.js';
import type { AssetHostCall } from './asset-host.js';
import * as rel from './releases.js';

export type {
  CallRec,
  Fault,
  Permissions,
  TokenOptions,
  Tree,
  TreeChanges,
  UserType,
} from './base.js';
export { allScopes, readOnly, SCOPES, type Access, type Scope } from './permissions.js';
export type {
  CommentRec,
  DeploymentRec,
  DeploymentStatusRec,
  DispatchRec,
  IssueRec,
  PullRec,
  ReviewRec,
  StatusRec,
};
export type { NewIssue } from './issue-ops.js';
export type { OpenPullOptions } from './pull-ops.js';
export type { AssetHostCall } from './asset-host.js';
export type { CheckRunRec, NewCheckRun } from './checks.js';
export type { AssetBytes, AssetInput, VirtualBytes } from './releases.js';
export type { CallFilter, StandInOptions } from './base.js';
export { ManualClock, State } from './state.js';

export type ReviewStateInput = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED';

/** The stand-in plus the driving API (part 2: pull requests, comments, statuses, deployments). */
export class GitHubStandIn extends StandInBase {
  // --- pull requests --------------------------------------------------------------------------
  openPull(o: ops.OpenPullOptions): { number: number; headSha: string } {
    const pr = ops.openPull(this.state, o);
    return { number: pr.number, headSha: pr.headSha };
  }
  /** A new head commit with these changes (null deletes); returns its SHA. */
  push(number: number, files: TreeChanges): string {
    return ops.pushToPull(this.state, number, files);
  }
  pull(number: number): Readonly<PullRec> {
    return ops.mustPull(this.state, number);
  }
  setDraft(number: number, draft: boolean): void {
    const pr = ops.mustPull(this.state, number);
    pr.draft = draft;
    pr.updatedAt = this.state.now();
  }
  /**
   * Edit title/body/base as `PATCH /pulls/{n}` does (a new base sets `base.sha` to its tip);
   * returns the previous values. `editedChanges(number, before)` makes an `edited` event's `changes`.
   */
  editPull(number: number, o: ops.PullUpdate) {
    return ops.updatePull(this.state, number, o);
  }
  /** An `edited` event's `changes` (title, body, base) since `before` (from editPull). */
  editedChanges(number: number, before: ReturnType<typeof ops.updatePull>) {
    return ops.editedChanges(ops.mustPull(this.state, number), before);
  }
  closePull(number: number, o: { merge?: boolean; by?: string } = {}): void {
    ops.closePull(this.state, number, o);
  }
  reopenPull(number: number): void {
    ops.reopenPull(this.state, number);
  }
  /** SHA of `refs/pull/<n>/merge` (GITHUB_SHA of pull_request runs), made on demand. */
  mergeRefSha(number: number): string {
    return ops.mergeRefSha(this.state, number);
  }
  /**
   * A submitted review on the current head (or `commitId`), with GitHub's rules (the author cannot
   * approve or request changes). `unchecked` records it regardless, for defence-in-depth tests.
   */
  review(
    number: number,
    user: string,
    state: ReviewStateInput,
    o: { body?: string; commitId?: string; unchecked?: boolean } = {},
  ): number {
    const event = (
      { APPROVED: 'APPROVE', CHANGES_REQUESTED: 'REQUEST_CHANGES', COMMENTED: 'COMMENT' } as const
    )[state];
    const body = o.body ?? (state === 'APPROVED' ? '' : `${state.toLowerCase()} by ${user}`);
    if (!o.unchecked) return ops.submitReview(this.state, number, user, event, body, o.commitId).id;
    const rec = ops.submitReview(this.state, number, user, 'COMMENT', body || '-', o.commitId);
    rec.state = state;
    rec.body = body;
    return rec.id;
  }
  dismissReview(number: number, reviewId: number, message = 'Dismissed'): void {
    ops.dismissReview(this.state, number, reviewId, message);
  }
  reviews(number: number): ReviewRec[] {
    return this.state.reviews.filter((r) => r.pull === number).map((r) => ({ ...r }));
  }
  /** Give a user access to the repository (only matters with the `collaborators` option). */
  addCollaborator(login: string): void {
    this.state.user(login);
    this.state.collaborators?.add(login.toLowerCase());
  }
  requestedReviewers(number: number): { users: string[]; teams: string[] } {
    const pr = ops.mustPull(this.state, number);
    return { users: [...pr.requestedUsers], teams: [...pr.requestedTeams] };
  }

  // --- issues and labels (issues share the pull requests' number sequence) ------------------
  /** An issue as a user opens it (unknown labels are created); returns its number. */
  openIssue(o: issueOps.NewIssue & { author?: string }): number {
    return issueOps.createIssue(this.state, o.author ?? 'dev', o).number;
  }
  /** Every issue (never a pull request), oldest first, with its labels. */
  issues(): (IssueRec & { labels: string[] })[] {
    return [...this.state.issues.keys()].map((n) => this.issue(n));
  }
  issue(number: number): IssueRec & { labels: string[] } {
    return { ...issueOps.mustIssue(this.state, number), labels: this.labels(number) };
  }
  closeIssue(number: number, by = 'dev'): void {
    issueOps.setIssueState(this.state, number, 'closed', by);
  }
  reopenIssue(number: number): void {
    issueOps.setIssueState(this.state, number, 'open', 'dev');
  }
  /** The label names on an issue or pull request, in the order added. */
  labels(number: number): string[] {
    return [...(this.state.labelsOn.get(number) ?? [])];
  }
  addLabels(number: number, labels: string[]): void {
    issueOps.addLabels(this.state, number, labels);
  }

  // --- comments -------------------------------------------------------------------------------
  comment(number: number, user: string, body: string): number {
    return addComment(this.state, number, user, body).id;
  }
  /** Returns the previous body (for an `edited` event's `changes`). */
  editComment(id: number, body: string): string {
    const before = findComment(this.state, id).body;
    editComment(this.state, id, body);
    return before;
  }
  deleteComment(id: number): void {
    deleteComment(this.state, id);
  }
  /** Live (not deleted) comments on a PR, oldest first. */
  comments(number: number): CommentRec[] {
    return this.state.comments
      .filter((c) => c.issue === number && !c.deleted)
      .map((c) => ({ ...c }));
  }
  getComment(id: number): CommentRec {
    return { ...findComment(this.state, id) };
  }
  react(commentId: number, user: string, content: ReactionContent): void {
    addReaction(this.state, commentId, user, content);
  }
  reactions(commentId: number): { user: string; content: ReactionContent }[] {
    return this.state.reactions
      .filter((r) => r.commentId === commentId)
      .map((r) => ({ user: r.user, content: r.content }));
  }

  // --- statuses, deployments, dispatches ------------------------------------------------------
  setStatus(sha: string, st: NewStatus, creator = 'github-actions[bot]'): void {
    addStatus(this.state, sha, st, creator);
  }
  /** Every status on a commit, oldest first. */
  statuses(sha: string): StatusRec[] {
    return this.state.statuses.filter((s) => s.sha === sha).map((s) => ({ ...s }));
  }
  /** The newest status per context and GitHub's combined state. */
  combinedStatus(sha: string): { state: string; statuses: StatusRec[] } {
    const latest = latestStatuses(this.state, sha);
    return { state: combinedState(latest), statuses: latest };
  }
  deployments(environment?: string): DeploymentRec[] {
    return this.state.deployments
      .filter((d) => !environment || d.environment === environment)
      .map((d) => ({ ...d }));
  }
  /** Statuses of a deployment, oldest first. */
  deploymentStatuses(id: number): DeploymentStatusRec[] {
    return this.state.deploymentStatuses
      .filter((s) => s.deploymentId === id)
      .map((s) => ({ ...s }));
  }
  deploymentState(id: number): DeploymentStatusRec['state'] | null {
    return latestDeploymentStatus(this.state, id)?.state ?? null;
  }
  setDeploymentStatus(id: number, st: NewDeploymentStatus, creator = 'github-actions[bot]'): void {
    addDeploymentStatus(this.state, id, st, creator);
  }
  /** A check run on a commit (as CI would make it); a later one of the same name supersedes it. */
  addCheckRun(sha: string, run: NewCheckRun): number {
    return addCheckRun(this.state, sha, run).id;
  }
  /** Every check run on a commit, oldest first. */
  checkRuns(sha: string): CheckRunRec[] {
    return checkRunStore(this.state)
      .filter((r) => r.sha === sha)
      .map((r) => ({ ...r }));
  }
  dispatches(): DispatchRec[] {
    return this.state.dispatches.map((d) => ({ ...d, inputs: { ...d.inputs } }));
  }
  /** Record a dispatch as if made through the API (e.g. by a user in the UI). */
  dispatch(workflow: string, ref: string, inputs: Record<string, unknown>, actor: string): void {
    dispatchWorkflow(this.state, workflow, ref, inputs, actor);
  }

  // --- releases (asset bytes are served by the asset host, another origin) --------------------
  /** A published release (or a draft) of `tag` with these assets; returns the asset ids by name. */
  createRelease(
    tag: string,
    o: {
      assets?: Record<string, rel.AssetBytes | rel.AssetInput>;
      draft?: boolean;
      author?: string;
    } = {},
  ): Record<string, number> {
    const r = rel.createRelease(this.state, tag, o);
    return Object.fromEntries(r.assets.map((a) => [a.name, a.id]));
  }
  /** GitHub's way to replace an asset: delete it and upload another of the same name (new id). */
  replaceAsset(tag: string, name: string, bytes: rel.AssetBytes | rel.AssetInput): number {
    const r = rel.releaseStore(this.state).releases.find((x) => x.tag === tag);
    const old = r?.assets.find((a) => a.name === name);
    if (!r || !old) throw new Error(`stand-in: release ${tag} has no asset ${name}`);
    rel.deleteAsset(this.state, old.id);
    return rel.addAsset(this.state, r, name, bytes, old.uploader).id;
  }
  /** Requests the asset host got, in order (after every response begun so far has ended). */
  async assetHostCalls(): Promise<AssetHostCall[]> {
    const host = rel.releaseStore(this.state).host;
    if (!host) throw new Error('stand-in: call start() first');
    await host.settled();
    return host.calls.map((c) => ({ ...c }));
  }
  /** The asset host's origin (where the API's 302s point). */
  get assetHostUrl(): string {
    const host = rel.releaseStore(this.state).host;
    if (!host) throw new Error('stand-in: call start() first');
    return host.url;
  }
}

/** `new GitHubStandIn(o)`, started. */
export async function startGitHub(o: StandInOptions = {}): Promise<GitHubStandIn> {
  const gh = new GitHubStandIn(o);
  await gh.start();
  return gh;
}
