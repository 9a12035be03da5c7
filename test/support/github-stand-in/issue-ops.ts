// Issues and labels, as GitHub documents them (the rule functions are shared with the fake port):
// - POST /repos/{o}/{r}/issues ("Create an issue", https://docs.github.com/rest/issues/issues#create-an-issue):
//   `title` required (422 without it), `body`, `labels`; 201 with the issue. Issues and pull
//   requests take their numbers from one sequence. Needs "Issues" repository permission (write).
// - GET /repos/{o}/{r}/issues ("List repository issues",
//   https://docs.github.com/rest/issues/issues#list-repository-issues): "GitHub's REST API
//   considers every pull request an issue, but not every issue is a pull request": pull requests
//   are listed too, with a `pull_request` key. `state` open (default), closed or all; `labels` a
//   comma-separated list that every item must carry; `sort` created (default) or updated;
//   `direction` desc (default) or asc; `since` (updated at or after); paginated. "Issues" (read).
// - GET and PATCH /repos/{o}/{r}/issues/{n} ("Get an issue", "Update an issue"): `state` open or
//   closed (closing sets `closed_at` and `closed_by`), `title`, `body`. 404 for no such number.
// - POST /repos/{o}/{r}/issues/{n}/labels ("Add labels to an issue",
//   https://docs.github.com/rest/issues/labels#add-labels-to-an-issue): body `{ labels: [...] }`,
//   on an issue or a pull request; a name the repository has no label for creates the label
//   (colour `ededed`); 200 with every label now on it; 404 for no such issue or pull request.
//   "Issues" (write) or "Pull requests" (write): on an issue only "Issues" (permissions.ts).
import { issue, issueOfPull, labelsOf } from './builders-issues.js';
import { HttpError, notFound, num, ok, paginate, reqStr, str, strList, type Ctx } from './http.js';
import * as pulls from './pull-ops.js';
import type { Router } from './router.js';
import type { IssueRec, LabelRec, State } from './state.js';

export interface NewIssue {
  title: string;
  body?: string | null;
  labels?: string[];
}

export function mustIssue(s: State, number: number): IssueRec {
  const i = s.issues.get(number);
  if (!i) throw notFound();
  return i;
}

/** The repository's label of this name (names match case-insensitively), made when missing. */
export function repoLabel(s: State, name: string): LabelRec {
  const existing = s.labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
  if (existing) return existing;
  const made: LabelRec = {
    id: s.nextId('label', 8_000_000),
    name,
    color: 'ededed',
    description: null,
  };
  s.labels.push(made);
  return made;
}

/** Adds labels to an issue or pull request (404 for neither); returns the names now on it. */
export function addLabels(s: State, number: number, names: string[]): string[] {
  if (!s.issues.has(number) && !s.pulls.has(number)) throw notFound();
  const on = s.labelsOn.get(number) ?? [];
  for (const name of names) {
    const l = repoLabel(s, name);
    if (!on.includes(l.name)) on.push(l.name);
  }
  s.labelsOn.set(number, on);
  return [...on];
}

export function createIssue(s: State, author: string, o: NewIssue): IssueRec {
  if (o.title.trim() === '')
    throw new HttpError(422, 'Validation Failed', {
      errors: [{ resource: 'Issue', code: 'missing_field', field: 'title' }],
    });
  s.user(author);
  const now = s.now();
  const rec: IssueRec = {
    number: s.nextIssueNumber(),
    id: s.nextId('issue-id', 3_000_000),
    author,
    title: o.title,
    body: o.body ?? null,
    state: 'open',
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    closedBy: null,
  };
  s.issues.set(rec.number, rec);
  addLabels(s, rec.number, o.labels ?? []);
  return rec;
}

/** Closes or reopens an issue (a pull request through its own rules); `by` closes it. */
export function setIssueState(
  s: State,
  number: number,
  state: 'open' | 'closed',
  by: string,
): void {
  if (s.pulls.has(number)) {
    if (state === 'closed') pulls.closePull(s, number, { by });
    else pulls.reopenPull(s, number);
    return;
  }
  const i = mustIssue(s, number);
  const now = s.now();
  if (i.state !== state) {
    i.state = state;
    i.closedAt = state === 'closed' ? now : null;
    i.closedBy = state === 'closed' ? by : null;
  }
  i.updatedAt = now;
}

export interface IssueFilter {
  state?: 'open' | 'closed' | 'all';
  labels?: string[];
  sort?: 'created' | 'updated';
  direction?: 'asc' | 'desc';
  since?: string;
}

interface Listed {
  number: number;
  state: 'open' | 'closed';
  createdAt: string;
  updatedAt: string;
}

/** Issues and pull requests (numbers) as GET /issues lists them. */
export function listIssueNumbers(s: State, f: IssueFilter = {}): number[] {
  const want = (f.labels ?? []).map((l) => l.toLowerCase());
  const key = f.sort === 'updated' ? 'updatedAt' : 'createdAt';
  const all: Listed[] = [...s.issues.values(), ...s.pulls.values()];
  const listed = all
    .filter((x) => (f.state ?? 'open') === 'all' || x.state === (f.state ?? 'open'))
    .filter((x) => !f.since || Date.parse(x.updatedAt) >= Date.parse(f.since))
    .filter((x) => {
      const on = (s.labelsOn.get(x.number) ?? []).map((l) => l.toLowerCase());
      return want.every((l) => on.includes(l));
    })
    .sort((a, b) => a[key].localeCompare(b[key]) || a.number - b.number)
    .map((x) => x.number);
  return f.direction === 'asc' ? listed : listed.reverse();
}

function oneOf<T extends string>(ctx: Ctx, name: string, values: readonly T[]): T | undefined {
  const v = ctx.query.get(name);
  if (v === null) return undefined;
  if (!(values as readonly string[]).includes(v)) {
    throw new HttpError(422, 'Validation Failed', {
      errors: [{ resource: 'Issue', code: 'invalid', field: name, value: v }],
    });
  }
  return v as T;
}

/** An issue or pull request in the issues API's shape. */
function asIssue(s: State, number: number) {
  const pr = s.pull(number);
  return pr ? issueOfPull(s, pr) : issue(s, mustIssue(s, number));
}

export function issueRecordRoutes(r: Router): void {
  r.repo('POST', '/issues', (ctx) => {
    const rec = createIssue(ctx.state, ctx.token.login, {
      title: reqStr(ctx, 'title'),
      body: str(ctx, 'body'),
      labels: strList(ctx, 'labels'),
    });
    return ok(issue(ctx.state, rec), 201);
  });

  r.repo('GET', '/issues', (ctx) => {
    const labels = ctx.query.get('labels');
    const numbers = listIssueNumbers(ctx.state, {
      state: oneOf(ctx, 'state', ['open', 'closed', 'all'] as const),
      labels: labels
        ? labels
            .split(',')
            .map((l) => l.trim())
            .filter(Boolean)
        : [],
      sort: oneOf(ctx, 'sort', ['created', 'updated'] as const),
      direction: oneOf(ctx, 'direction', ['asc', 'desc'] as const),
      since: ctx.query.get('since') ?? undefined,
    });
    // GitHub fills `closed_by` only when one issue is read (GET /issues/{n}), never in a list.
    return paginate(
      ctx,
      numbers.map((n) => {
        const listed = asIssue(ctx.state, n);
        delete listed.closed_by;
        return listed;
      }),
    );
  });

  r.repo('GET', '/issues/:number', (ctx) => ok(asIssue(ctx.state, num(ctx, 'number'))));

  r.repo('PATCH', '/issues/:number', (ctx) => {
    const s = ctx.state;
    const n = num(ctx, 'number');
    if (!s.pulls.has(n)) {
      const i = mustIssue(s, n);
      const title = str(ctx, 'title');
      const body = str(ctx, 'body');
      if (title !== undefined) i.title = title;
      if (body !== undefined) i.body = body;
      i.updatedAt = s.now();
    }
    const state = str(ctx, 'state');
    if (state === 'open' || state === 'closed') setIssueState(s, n, state, ctx.token.login);
    else if (state !== undefined) throw new HttpError(422, 'Validation Failed');
    return ok(asIssue(s, n));
  });

  r.repo('POST', '/issues/:number/labels', (ctx) => {
    const s = ctx.state;
    const n = num(ctx, 'number');
    addLabels(s, n, strList(ctx, 'labels'));
    return ok(labelsOf(s, n));
  });
}
