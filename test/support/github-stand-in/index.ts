// A stateful local stand-in of GitHub's REST API, plus the API tests use to drive it.
//
//   const gh = new GitHubStandIn({ files: { '.github/deploy-request.yml': cfg }, teams: { ops: ['olga', 'oscar'] } });
//   await gh.start();                    // gh.url → GITHUB_API_URL
//   const { number } = gh.openPull({ author: 'dev', headFiles: { 'deploy-requests/web.yml': req } });
//   gh.review(number, 'alice', 'APPROVED');
//   …; await gh.close();
import { dispatchWorkflow } from './actions.js';
import { addDeploymentStatus, latestDeploymentStatus, type NewDeploymentStatus } from './deployments.js';
import { applyChanges, type Tree, type TreeChanges } from './git.js';
import { addComment, addReaction, deleteComment, editComment, findComment } from './issues.js';
import * as ops from './pull-ops.js';
import { pathMatches } from './router.js';
import { listen, type Running } from './server.js';
import {
  ManualClock,
  State,
  type CallRec,
  type CommentRec,
  type DeploymentRec,
  type DeploymentStatusRec,
  type DispatchRec,
  type Fault,
  type PullRec,
  type ReactionContent,
  type ReviewRec,
  type StateOptions,
  type StatusRec,
  type UserType,
} from './state.js';
import { addStatus, combinedState, latestStatuses, type NewStatus } from './statuses.js';

export type { CallRec, CommentRec, DeploymentRec, DeploymentStatusRec, DispatchRec, Fault, PullRec, ReviewRec };
export type { StatusRec, Tree, TreeChanges, UserType };
export type { OpenPullOptions } from './pull-ops.js';
export { ManualClock, State };

export interface StandInOptions extends StateOptions {
  /** Extra users (others are registered on first mention; `…[bot]` logins are bots). */
  users?: Record<string, UserType>;
  /** Teams of the repository owner's organisation: slug → member logins. */
  teams?: Record<string, string[]>;
  /** Login behind the members token (default `org-reader`). */
  membersLogin?: string;
}

export interface CallFilter {
  method?: string;
  /** RegExp on the path, or the path (full, or after `/repos/{o}/{r}`). */
  path?: RegExp | string;
  status?: number;
  token?: string | null;
}

export type ReviewStateInput = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED';

const SECONDARY_RATE_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
  'If you reach out to GitHub Support for help, please include the request ID STANDIN.';

export class GitHubStandIn {
  readonly state: State;
  /** Tokens known from the start: the workflow's write token, a fork-PR read-only token, a members token. */
  readonly tokens = {
    write: 'ghs_standin_write_token',
    readOnly: 'ghs_standin_readonly_token',
    members: 'ghp_standin_members_token',
  };
  private running: Running | undefined;

  constructor(o: StandInOptions = {}) {
    this.state = new State(o);
    for (const [login, type] of Object.entries(o.users ?? {})) this.state.addUser(login, type);
    for (const [slug, members] of Object.entries(o.teams ?? {})) this.state.addTeam(this.state.owner, slug, members);
    this.state.addToken(this.tokens.write, { write: true });
    this.state.addToken(this.tokens.readOnly, { write: false });
    this.state.addToken(this.tokens.members, {
      login: o.membersLogin ?? 'org-reader',
      write: false,
      readTeams: true,
    });
  }

  async start(): Promise<Running> {
    if (!this.running) this.running = await listen(this.state);
    return this.running;
  }

  async close(): Promise<void> {
    const r = this.running;
    this.running = undefined;
    await r?.close();
  }

  /** The API base URL (GITHUB_API_URL); only after start(). */
  get url(): string {
    if (!this.running) throw new Error('stand-in: call start() first');
    return this.running.url;
  }
  get owner(): string {
    return this.state.owner;
  }
  get repo(): string {
    return this.state.repo;
  }
  get fullName(): string {
    return this.state.fullName;
  }
  get defaultBranch(): string {
    return this.state.defaultBranch;
  }
  /** The clock, when it is the default manual one (advance/set it to age comments). */
  get clock(): ManualClock {
    if (!(this.state.clock instanceof ManualClock)) throw new Error('stand-in: a custom clock was given');
    return this.state.clock;
  }

  // --- identities -----------------------------------------------------------------------------
  addUser(login: string, type?: UserType): void {
    this.state.addUser(login, type);
  }
  addToken(token: string, o: { login?: string; write?: boolean; readTeams?: boolean } = {}): void {
    this.state.addToken(token, o);
  }
  addTeam(slug: string, members: string[], org = this.state.owner): void {
    this.state.addTeam(org, slug, members);
  }

  // --- git ------------------------------------------------------------------------------------
  /** With a parent: `files` are changes on its tree (null deletes). Without: a root commit of `files`. */
  commit(files: TreeChanges, parent?: string): string {
    const base = parent === undefined ? {} : this.state.git.tree(parent);
    return this.state.git.commit(applyChanges(base, files), parent === undefined ? [] : [parent]);
  }
  /** Commit changes on a branch's tip and move the branch (open PRs of that branch follow). */
  commitOn(branch: string, files: TreeChanges): string {
    const sha = this.commit(files, ops.branchTip(this.state, branch));
    this.setBranch(branch, sha);
    return sha;
  }
  setBranch(name: string, sha: string): void {
    if (!this.state.git.get(sha)) throw new Error(`stand-in: no commit ${sha}`);
    this.state.git.refs.set(`refs/heads/${name}`, sha);
    ops.branchMoved(this.state, `refs/heads/${name}`, sha);
  }
  deleteBranch(name: string): void {
    this.state.git.refs.delete(`refs/heads/${name}`);
  }
  setTag(name: string, sha: string): void {
    this.state.git.refs.set(`refs/tags/${name}`, sha);
  }
  branch(name: string): string | undefined {
    return this.state.git.refs.get(`refs/heads/${name}`);
  }
  /** Branches and tags: full ref name → SHA. */
  refs(): Record<string, string> {
    return Object.fromEntries([...this.state.git.refs].filter(([n]) => /^refs\/(heads|tags)\//.test(n)));
  }
  /** The tree at a branch, tag or SHA. */
  files(ref: string): Tree {
    const sha = this.state.git.resolve(ref);
    if (!sha) throw new Error(`stand-in: unknown ref ${ref}`);
    return { ...this.state.git.tree(sha) };
  }

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
  /** Edit title/body/base; returns the previous values (for an `edited` event's `changes`). */
  editPull(number: number, o: { title?: string; body?: string | null; base?: string }) {
    const pr = ops.mustPull(this.state, number);
    const before = { title: pr.title, body: pr.body, base: pr.baseRef, baseSha: pr.baseSha };
    if (o.title !== undefined) pr.title = o.title;
    if (o.body !== undefined) pr.body = o.body;
    if (o.base !== undefined) {
      pr.baseRef = o.base;
      pr.baseSha = ops.branchTip(this.state, o.base);
    }
    pr.updatedAt = this.state.now();
    return before;
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
    const event = ({ APPROVED: 'APPROVE', CHANGES_REQUESTED: 'REQUEST_CHANGES', COMMENTED: 'COMMENT' } as const)[state];
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
  requestedReviewers(number: number): { users: string[]; teams: string[] } {
    const pr = ops.mustPull(this.state, number);
    return { users: [...pr.requestedUsers], teams: [...pr.requestedTeams] };
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
    return this.state.comments.filter((c) => c.issue === number && !c.deleted).map((c) => ({ ...c }));
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
    return this.state.deployments.filter((d) => !environment || d.environment === environment).map((d) => ({ ...d }));
  }
  /** Statuses of a deployment, oldest first. */
  deploymentStatuses(id: number): DeploymentStatusRec[] {
    return this.state.deploymentStatuses.filter((s) => s.deploymentId === id).map((s) => ({ ...s }));
  }
  deploymentState(id: number): DeploymentStatusRec['state'] | null {
    return latestDeploymentStatus(this.state, id)?.state ?? null;
  }
  setDeploymentStatus(id: number, st: NewDeploymentStatus, creator = 'github-actions[bot]'): void {
    addDeploymentStatus(this.state, id, st, creator);
  }
  dispatches(): DispatchRec[] {
    return this.state.dispatches.map((d) => ({ ...d, inputs: { ...d.inputs } }));
  }
  /** Record a dispatch as if made through the API (e.g. by a user in the UI). */
  dispatch(workflow: string, ref: string, inputs: Record<string, unknown>, actor: string): void {
    dispatchWorkflow(this.state, workflow, ref, inputs, actor);
  }

  // --- request log and faults -----------------------------------------------------------------
  calls(filter: CallFilter = {}): CallRec[] {
    const s = this.state;
    return s.log.filter(
      (c) =>
        (!filter.method || c.method === filter.method.toUpperCase()) &&
        (filter.path === undefined || pathMatches(s, filter.path, c.path)) &&
        (filter.status === undefined || c.status === filter.status) &&
        (filter.token === undefined || c.token === filter.token),
    );
  }
  count(filter: CallFilter = {}): number {
    return this.calls(filter).length;
  }
  clearCalls(): void {
    this.state.log.length = 0;
  }
  /** Answer the next `times` matching requests with `status` (and/or after `delayMs`). */
  inject(fault: Fault): void {
    this.state.faults.push({ ...fault, left: fault.times ?? 1 });
  }
  /** GitHub's secondary rate limit: 403, `retry-after: 1`, its message. */
  injectSecondaryRateLimit(path: RegExp | string, times = 1, method?: string): void {
    this.inject({
      method,
      path,
      times,
      status: 403,
      headers: { 'retry-after': '1', 'x-ratelimit-remaining': '4000' },
      body: {
        message: SECONDARY_RATE_LIMIT_MESSAGE,
        documentation_url:
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      },
    });
  }
  clearFaults(): void {
    this.state.faults.length = 0;
  }
}
