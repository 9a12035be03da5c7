// The stand-in's lifecycle, identities, git, request log and faults (driving API, part 1).
import { applyChanges, type Tree, type TreeChanges } from './git.js';
import * as ops from './pull-ops.js';
import { pathMatches } from './router.js';
import { listen, type Running } from './server.js';
import type { Permissions } from './permissions.js';
import {
  ManualClock,
  State,
  type TokenOptions,
  type CallRec,
  type Fault,
  type StateOptions,
  type UserType,
} from './state.js';

export type { CallRec, Fault, Permissions, TokenOptions, Tree, TreeChanges, UserType };

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

const SECONDARY_RATE_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
  'If you reach out to GitHub Support for help, please include the request ID STANDIN.';

export class StandInBase {
  readonly state: State;
  /** Tokens known from the start: the workflow's write token, a fork-PR read-only token, a members token. */
  readonly tokens = {
    write: 'ghs_standin_write_token',
    readOnly: 'ghs_standin_readonly_token',
    members: 'ghp_standin_members_token',
  };
  private running: Running | undefined;
  private jobTokens = 0;

  constructor(o: StandInOptions = {}) {
    this.state = new State(o);
    for (const [login, type] of Object.entries(o.users ?? {})) this.state.addUser(login, type);
    for (const [slug, members] of Object.entries(o.teams ?? {}))
      this.state.addTeam(this.state.owner, slug, members);
    this.state.addToken(this.tokens.write, { write: true });
    this.state.addToken(this.tokens.readOnly, { write: false });
    // A user's token allowed to read the organisation's members (read:org); no repository writes.
    this.state.addToken(this.tokens.members, {
      login: o.membersLogin ?? 'org-reader',
      write: false,
      readTeams: true,
      installation: false,
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
    if (!(this.state.clock instanceof ManualClock))
      throw new Error('stand-in: a custom clock was given');
    return this.state.clock;
  }

  // --- identities -----------------------------------------------------------------------------
  addUser(login: string, type?: UserType): void {
    this.state.addUser(login, type);
  }
  addToken(token: string, o: TokenOptions = {}): void {
    this.state.addToken(token, o);
  }
  /** A new installation token (`github-actions[bot]`) with exactly these job permissions. */
  tokenFor(permissions: Permissions, o: Omit<TokenOptions, 'permissions' | 'write'> = {}): string {
    const token = `ghs_standin_job_${++this.jobTokens}`;
    this.state.addToken(token, { ...o, permissions });
    return token;
  }
  /** The permissions a token carries. */
  permissionsOf(token: string): Permissions {
    const rec = this.state.tokens.get(token);
    if (!rec) throw new Error(`stand-in: unknown token ${token}`);
    return { ...rec.permissions };
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
    return Object.fromEntries(
      [...this.state.git.refs].filter(([n]) => /^refs\/(heads|tags)\//.test(n)),
    );
  }
  /** The tree at a branch, tag or SHA. */
  files(ref: string): Tree {
    const sha = this.state.git.resolve(ref);
    if (!sha) throw new Error(`stand-in: unknown ref ${ref}`);
    return { ...this.state.git.tree(sha) };
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
  /**
   * GitHub's primary rate limit used up: every request (of `method`/`path`, default all) answers
   * `status` (GitHub sends 403 or 429) with `x-ratelimit-remaining: 0` and `x-ratelimit-reset` (epoch
   * seconds, default an hour from the stand-in's clock) until `times` requests have been refused.
   * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-primary-rate-limit
   */
  exhaustRateLimit(
    o: {
      resetAt?: Date;
      status?: 403 | 429;
      times?: number;
      path?: RegExp | string;
      method?: string;
    } = {},
  ): Date {
    // GitHub's reset is a whole second (the header is epoch seconds); so is the Date returned.
    const resetMs = (o.resetAt ?? new Date(this.state.clock.now().getTime() + 3_600_000)).getTime();
    const reset = new Date(Math.floor(resetMs / 1000) * 1000);
    const epoch = String(reset.getTime() / 1000);
    this.inject({
      method: o.method,
      path: o.path ?? /.*/,
      times: o.times ?? Number.MAX_SAFE_INTEGER,
      status: o.status ?? 403,
      headers: {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-used': '5000',
        'x-ratelimit-reset': epoch,
        'x-ratelimit-resource': 'core',
      },
      body: {
        message: 'API rate limit exceeded for installation ID 1.',
        documentation_url:
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits',
      },
    });
    return reset;
  }
  clearFaults(): void {
    this.state.faults.length = 0;
  }
}
