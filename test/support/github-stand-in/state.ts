// In-memory state of the GitHub stand-in: one repository, its users, tokens, teams, commits, refs,
// pull requests, issues, labels, reviews, comments, statuses, deployments and workflow dispatches.
// Ids are counters (deterministic); timestamps come from an injectable clock.
import { GitStore, type Tree } from './git.js';
import { allScopes, type Permissions } from './permissions.js';
import type {
  CallRec,
  CommentRec,
  DeploymentRec,
  DeploymentStatusRec,
  DispatchRec,
  Fault,
  IssueRec,
  LabelRec,
  PullRec,
  ReactionRec,
  ReviewRec,
  StatusRec,
  TeamRec,
  TokenRec,
  UserRec,
  UserType,
} from './types.js';

export type { Tree };

/** Anything that tells the time. The default is GitHub's clock as tests see it (below). */
export interface Clock {
  now(): Date;
}

/**
 * GitHub's clock: it runs with real time, as GitHub's does (a test that froze it would let two
 * runs share one second, which on GitHub never happens), and tests move it with `set`/`advance`
 * to reach a window, an expiry or a deadline without waiting. `freeze()` stops it for tests that
 * check a boundary to the millisecond.
 */
export class ManualClock implements Clock {
  private ms: number;
  /** Real time at which `ms` was last read or set; undefined while frozen. */
  private since: number | undefined;
  constructor(start: Date | string | number = Math.floor(Date.now() / 1000) * 1000) {
    this.ms = new Date(start).getTime();
    this.since = Date.now();
  }
  now(): Date {
    return new Date(this.ms + (this.since === undefined ? 0 : Date.now() - this.since));
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  set(at: Date | string | number): void {
    this.ms = new Date(at).getTime();
    if (this.since !== undefined) this.since = Date.now();
  }
  /** Stops the clock where it is (it moves only with set/advance from then on). */
  freeze(): void {
    this.ms = this.now().getTime();
    this.since = undefined;
  }
}

export * from './types.js';

export interface TokenOptions {
  /** Default `github-actions[bot]`. */
  login?: string;
  /** The token's scopes; unset ones are none. Default: every scope `write`, or `read` with `write: false`. */
  permissions?: Permissions;
  /** Shorthand: true for every scope write, false for every scope read (fork PR runs). */
  write?: boolean;
  /** Default: whether the login is a bot. */
  installation?: boolean;
  /** May read organisation team membership (GITHUB_TOKEN never can). */
  readTeams?: boolean;
}

export interface StateOptions {
  owner?: string;
  repo?: string;
  defaultBranch?: string;
  /** The repository itself is a fork. */
  fork?: boolean;
  private?: boolean;
  ownerType?: 'Organization' | 'User';
  /** Initial tree of the default branch. */
  files?: Tree;
  clock?: Clock;
  webUrl?: string;
  /**
   * Dispatches need `.github/workflows/<file>` at the ref, with a workflow_dispatch trigger that
   * declares every input given and gets every required one (GitHub's rules; default true).
   */
  requireWorkflowFiles?: boolean;
  /**
   * Users with access to the repository (besides the owner and members of the owner's teams).
   * Omitted: everyone has access. Review requests for anyone else answer 422, as on GitHub.
   */
  collaborators?: string[];
  /** Serve release downloads over HTTPS with this certificate (as GitHub's asset host does). */
  assetHostTls?: { key: string; cert: string };
}

export class State {
  readonly owner: string;
  readonly repo: string;
  readonly defaultBranch: string;
  readonly fork: boolean;
  readonly private: boolean;
  readonly repoId = 700001;
  readonly createdAt: string;
  readonly clock: Clock;
  readonly webUrl: string;
  readonly requireWorkflowFiles: boolean;
  /** Logins (lowercase) with access to the repository; null: everyone. */
  collaborators: Set<string> | null;
  readonly assetHostTls: { key: string; cert: string } | undefined;
  apiUrl = 'http://127.0.0.1';

  readonly git = new GitStore();
  readonly users = new Map<string, UserRec>();
  readonly tokens = new Map<string, TokenRec>();
  readonly teams: TeamRec[] = [];
  readonly pulls = new Map<number, PullRec>();
  readonly issues = new Map<number, IssueRec>();
  readonly labels: LabelRec[] = [];
  /** The labels on an issue or pull request, by number, in the order added. */
  readonly labelsOn = new Map<number, string[]>();
  readonly reviews: ReviewRec[] = [];
  readonly comments: CommentRec[] = [];
  readonly reactions: ReactionRec[] = [];
  readonly statuses: StatusRec[] = [];
  readonly deployments: DeploymentRec[] = [];
  readonly deploymentStatuses: DeploymentStatusRec[] = [];
  readonly dispatches: DispatchRec[] = [];
  readonly log: CallRec[] = [];
  readonly faults: (Fault & { left: number })[] = [];

  private readonly counters = new Map<string, number>();
  private nextUserId = 1001;

  constructor(o: StateOptions = {}) {
    this.owner = o.owner ?? 'acme';
    this.repo = o.repo ?? 'app';
    this.defaultBranch = o.defaultBranch ?? 'main';
    this.fork = o.fork ?? false;
    this.private = o.private ?? false;
    this.clock = o.clock ?? new ManualClock();
    this.webUrl = o.webUrl ?? 'https://github.com';
    this.requireWorkflowFiles = o.requireWorkflowFiles ?? true;
    this.assetHostTls = o.assetHostTls;
    this.collaborators = o.collaborators
      ? new Set(o.collaborators.map((c) => c.toLowerCase()))
      : null;
    this.createdAt = this.now();
    this.users.set('github-actions[bot]', {
      login: 'github-actions[bot]',
      id: 41898282,
      type: 'Bot',
    });
    this.addUser(this.owner, o.ownerType ?? 'Organization');
    const root = this.git.commit(o.files ?? { 'README.md': `# ${this.repo}\n` }, []);
    this.git.refs.set(`refs/heads/${this.defaultBranch}`, root);
  }

  get fullName(): string {
    return `${this.owner}/${this.repo}`;
  }
  /** `https://api…/repos/{owner}/{repo}` on this stand-in. */
  get repoApi(): string {
    return `${this.apiUrl}/repos/${this.fullName}`;
  }
  get repoWeb(): string {
    return `${this.webUrl}/${this.fullName}`;
  }

  /** GitHub's timestamp format: ISO 8601 in UTC, whole seconds. */
  now(): string {
    return this.clock
      .now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }

  /** Next id of a kind; kinds start at distinct bases so ids are recognisable in logs. */
  nextId(kind: string, base: number): number {
    const n = (this.counters.get(kind) ?? base) + 1;
    this.counters.set(kind, n);
    return n;
  }

  addUser(login: string, type?: UserType): UserRec {
    const existing = this.users.get(login);
    if (existing) {
      if (type) existing.type = type;
      return existing;
    }
    const rec: UserRec = {
      login,
      id: this.nextUserId++,
      type: type ?? (login.endsWith('[bot]') ? 'Bot' : 'User'),
    };
    this.users.set(login, rec);
    return rec;
  }

  /** A user by login, registered on first mention (`…[bot]` logins are bots). */
  user(login: string): UserRec {
    return this.users.get(login) ?? this.addUser(login);
  }

  addToken(token: string, o: TokenOptions = {}): void {
    const login = o.login ?? 'github-actions[bot]';
    this.user(login);
    this.tokens.set(token, {
      token,
      login,
      permissions: o.permissions ?? allScopes(o.write === false ? 'read' : 'write'),
      installation: o.installation ?? this.user(login).type === 'Bot',
      readTeams: o.readTeams ?? false,
    });
  }

  /** Has access to the repository: the owner, a member of the owner's teams, or a collaborator. */
  isCollaborator(login: string): boolean {
    const key = login.toLowerCase();
    if (this.collaborators === null || key === this.owner.toLowerCase()) return true;
    if (this.collaborators.has(key)) return true;
    return this.teams.some(
      (t) =>
        t.org.toLowerCase() === this.owner.toLowerCase() &&
        t.members.some((m) => m.toLowerCase() === key),
    );
  }

  team(org: string, slug: string): TeamRec | undefined {
    return this.teams.find(
      (t) =>
        t.org.toLowerCase() === org.toLowerCase() && t.slug.toLowerCase() === slug.toLowerCase(),
    );
  }

  addTeam(org: string, slug: string, members: string[], name?: string): TeamRec {
    members.forEach((m) => this.user(m));
    const existing = this.team(org, slug);
    if (existing) {
      existing.members = [...members];
      return existing;
    }
    const rec: TeamRec = {
      id: this.nextId('team', 500000),
      org,
      slug,
      name: name ?? slug,
      members: [...members],
    };
    this.teams.push(rec);
    return rec;
  }

  pull(number: number): PullRec | undefined {
    return this.pulls.get(number);
  }

  /** Issues and pull requests share one number sequence, as on GitHub. */
  nextIssueNumber(): number {
    return this.nextId('issue', 0);
  }
}
