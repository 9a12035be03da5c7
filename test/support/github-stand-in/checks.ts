// What `require_checks` reads: the check runs on a commit, and the commit a ref names.
// - GET /repos/{o}/{r}/commits/{ref}/check-runs ("List check runs for a Git reference",
//   https://docs.github.com/rest/checks/runs#list-check-runs-for-a-git-reference): `ref` is a
//   SHA, branch or tag name; `check_name` and `status` filter; `filter` is `latest` (default: the
//   most recent run of each name) or `all`; paginated, the page wrapped in
//   `{ total_count, check_runs }`. Needs `checks: read` (permissions.ts).
// - GET /repos/{o}/{r}/commits/{ref} ("Get a commit",
//   https://docs.github.com/rest/commits/commits#get-a-commit): the commit a SHA, branch or tag
//   names (an annotated tag is peeled to its commit); 422 "No commit found for SHA: <ref>" for a
//   ref that names none. Needs `contents: read`.
// Check runs are seeded by tests (gh.addCheckRun); the rule functions are shared with the fake.
import { nodeId, simpleUser, type Schemas } from './builders.js';
import { madeOf } from './git-commits.js';
import { treeSha } from './git.js';
import { HttpError, ok, paginate } from './http.js';
import type { Router } from './router.js';
import type { State } from './state.js';

export type CheckRunStatus = Schemas['check-run']['status'];
export type CheckRunConclusion = NonNullable<Schemas['check-run']['conclusion']>;

export interface CheckRunRec {
  id: number;
  sha: string;
  name: string;
  status: CheckRunStatus;
  conclusion: CheckRunConclusion | null;
  startedAt: string;
  completedAt: string | null;
}

export interface NewCheckRun {
  name: string;
  /** Default `completed` when a conclusion is given, else `queued`. */
  status?: CheckRunStatus;
  conclusion?: CheckRunConclusion | null;
}

const stores = new WeakMap<State, CheckRunRec[]>();

export function checkRunStore(s: State): CheckRunRec[] {
  let store = stores.get(s);
  if (!store) {
    store = [];
    stores.set(s, store);
  }
  return store;
}

/** The commit a SHA, branch or tag names, as the commits API resolves it (422 otherwise). */
export function commitOfRef(s: State, ref: string): string {
  const sha = s.git.resolve(ref);
  if (!sha) throw new HttpError(422, `No commit found for SHA: ${ref}`);
  return sha;
}

export function addCheckRun(s: State, sha: string, o: NewCheckRun): CheckRunRec {
  if (!s.git.get(sha)) throw new Error(`stand-in: no commit ${sha}`);
  const conclusion = o.conclusion ?? null;
  const status = o.status ?? (conclusion ? 'completed' : 'queued');
  const rec: CheckRunRec = {
    id: s.nextId('check-run', 30_000_000),
    sha,
    name: o.name,
    status,
    conclusion: status === 'completed' ? conclusion : null,
    startedAt: s.now(),
    completedAt: status === 'completed' ? s.now() : null,
  };
  checkRunStore(s).push(rec);
  return rec;
}

/** The check runs GET …/check-runs lists, newest first, with its query's filters applied. */
export function listCheckRuns(
  s: State,
  ref: string,
  q: { checkName?: string | null; status?: string | null; filter?: string | null } = {},
): CheckRunRec[] {
  const sha = commitOfRef(s, ref);
  const filter = q.filter ?? 'latest';
  if (filter !== 'latest' && filter !== 'all') {
    throw new HttpError(422, 'Validation Failed', {
      errors: [{ resource: 'CheckRun', field: 'filter', code: 'invalid' }],
    });
  }
  let runs = checkRunStore(s)
    .filter((r) => r.sha === sha)
    .sort((a, b) => b.id - a.id);
  if (filter === 'latest')
    runs = runs.filter((r, i) => runs.findIndex((x) => x.name === r.name) === i);
  if (q.checkName) runs = runs.filter((r) => r.name === q.checkName);
  if (q.status) runs = runs.filter((r) => r.status === q.status);
  return runs;
}

export function checkRun(s: State, r: CheckRunRec): Schemas['check-run'] {
  return {
    id: r.id,
    head_sha: r.sha,
    node_id: nodeId('CheckRun', r.id),
    external_id: '',
    url: `${s.repoApi}/check-runs/${r.id}`,
    html_url: `${s.repoWeb}/runs/${r.id}`,
    details_url: `${s.repoWeb}/actions/runs/${r.id}/job/${r.id}`,
    status: r.status,
    conclusion: r.conclusion,
    started_at: r.startedAt,
    completed_at: r.completedAt,
    output: {
      title: null,
      summary: null,
      text: null,
      annotations_count: 0,
      annotations_url: `${s.repoApi}/check-runs/${r.id}/annotations`,
    },
    name: r.name,
    check_suite: { id: r.id },
    app: null,
    pull_requests: [],
  };
}

/** GET /commits/{ref}: the commit object (no `files` or `stats`: nothing here reads them). */
export function restCommit(s: State, sha: string): Schemas['commit'] {
  const c = s.git.get(sha);
  /* v8 ignore next -- @preserve commitOfRef found it */
  if (!c) throw new HttpError(422, `No commit found for SHA: ${sha}`);
  const made = madeOf(s, c);
  const user = s.user(made.login);
  const person = {
    name: user.login,
    email: `${user.id}+${user.login}@users.noreply.github.com`,
    date: made.date,
  };
  const tree = treeSha(c.tree);
  return {
    url: `${s.repoApi}/commits/${sha}`,
    sha,
    node_id: nodeId('Commit', c.seq),
    html_url: `${s.repoWeb}/commit/${sha}`,
    comments_url: `${s.repoApi}/commits/${sha}/comments`,
    commit: {
      url: `${s.repoApi}/git/commits/${sha}`,
      author: person,
      committer: person,
      message: made.message,
      comment_count: 0,
      tree: { sha: tree, url: `${s.repoApi}/git/trees/${tree}` },
    },
    author: simpleUser(s, user.login),
    committer: simpleUser(s, user.login),
    parents: c.parents.map((p) => ({
      sha: p,
      url: `${s.repoApi}/commits/${p}`,
      html_url: `${s.repoWeb}/commit/${p}`,
    })),
  };
}

export function checkRoutes(r: Router): void {
  r.repo('GET', '/commits/:ref/check-runs', (ctx) => {
    const s = ctx.state;
    const runs = listCheckRuns(s, ctx.params.ref as string, {
      checkName: ctx.query.get('check_name'),
      status: ctx.query.get('status'),
      filter: ctx.query.get('filter'),
    });
    return paginate(ctx, runs, (page) => ({
      total_count: runs.length,
      check_runs: page.map((x) => checkRun(s, x)),
    }));
  });

  r.repo('GET', '/commits/:ref', (ctx) =>
    ok(restCommit(ctx.state, commitOfRef(ctx.state, ctx.params.ref as string))),
  );
}
