// GitHub Actions job permissions (the GITHUB_TOKEN's scopes) and what each route needs.
// https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token
// https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps
// Metadata is always readable; every other scope is none, read or write (write implies read).
// A refusal is 403 "Resource not accessible by integration" with `x-accepted-github-permissions`:
// each acceptable set separated by `; `, e.g. `issues=write; pull_requests=write`.
// https://github.blog/changelog/2023-08-10-x-accepted-github-permissions-header-for-fine-grained-permission-actors
import { HttpError } from './http.js';
import type { State } from './state.js';

export const SCOPES = [
  'actions',
  'checks',
  'contents',
  'deployments',
  'issues',
  'pull-requests',
  'statuses',
] as const;
export type Scope = (typeof SCOPES)[number];
export type Access = 'none' | 'read' | 'write';
/** A job's `permissions:` block; unset scopes are `none`. */
export type Permissions = Partial<Record<Scope, Access>>;

/** One acceptable grant; a route needs any one of its alternatives (none: metadata only). */
export interface Grant {
  scope: Scope;
  access: 'read' | 'write';
}
export type Need = Grant[];

export function allScopes(access: Access): Record<Scope, Access> {
  return Object.fromEntries(SCOPES.map((s) => [s, access])) as Record<Scope, Access>;
}

/** Every scope at most read: what GitHub gives runs for pull requests from forks. */
export function readOnly(p: Permissions): Permissions {
  return Object.fromEntries(
    Object.entries(p).map(([s, a]) => [s, a === 'write' ? 'read' : a]),
  ) as Permissions;
}

export function grants(p: Permissions, g: Grant): boolean {
  const has = p[g.scope] ?? 'none';
  return has === 'write' || (has === 'read' && g.access === 'read');
}

export function acceptedHeader(need: Need): string {
  return need.map((g) => `${g.scope.replace('-', '_')}=${g.access}`).join('; ');
}

export function forbidden(need: Need): HttpError {
  return new HttpError(
    403,
    'Resource not accessible by integration',
    {},
    { 'x-accepted-github-permissions': acceptedHeader(need) },
    'https://docs.github.com/rest/overview/permissions-required-for-github-apps',
  );
}

/** Throws GitHub's 403 unless the permissions grant one of the alternatives. */
export function check(p: Permissions, need: Need): void {
  if (need.length > 0 && !need.some((g) => grants(p, g))) throw forbidden(need);
}

const R = (scope: Scope): Grant => ({ scope, access: 'read' });
const W = (scope: Scope): Grant => ({ scope, access: 'write' });
const rw = (method: string, scope: Scope): Need => [method === 'GET' ? R(scope) : W(scope)];

/** Comments and reactions on a pull request accept `issues` or `pull-requests`; on an issue, `issues`. */
function issueOrPull(method: string, onPull: boolean): Need {
  const g = (s: Scope): Grant => (method === 'GET' ? R(s) : W(s));
  return onPull ? [g('issues'), g('pull-requests')] : [g('issues')];
}

type Rule = (method: string, path: string, params: Record<string, string>, s: State) => Need | null;

/** What a repository route needs, from its pattern (under /repos/{owner}/{repo}); null: undeclared. */
const RULES: Rule[] = [
  (_m, p) => (p === '' || p.startsWith('/collaborators') ? [] : null),
  (m, p) =>
    /^\/(contents|branches|git\/|releases|commits\/:ref$|compare)/.test(p)
      ? rw(m, 'contents')
      : null,
  (m, p) => (p.startsWith('/pulls') ? rw(m, 'pull-requests') : null),
  (m, p, params, s) => {
    if (!p.startsWith('/issues')) return null;
    // Creating and listing issues: "Issues" only (the list shows pull requests too, but as issues).
    if (p === '/issues') return issueOrPull(m, false);
    // On a pull request (labels too: "Add labels to an issue" takes Issues or Pull requests
    // write, https://docs.github.com/rest/issues/labels#add-labels-to-an-issue); on an issue, Issues.
    if (p.startsWith('/issues/:number')) {
      return issueOrPull(m, s.pulls.has(Number(params.number)));
    }
    const comment = s.comments.find((c) => c.id === Number(params.id));
    return issueOrPull(m, comment === undefined || s.pulls.has(comment.issue));
  },
  (m, p) => (/^\/(statuses|commits\/:ref\/status)/.test(p) ? rw(m, 'statuses') : null),
  (m, p) => (p.startsWith('/deployments') ? rw(m, 'deployments') : null),
  (m, p) => (p.startsWith('/actions') ? rw(m, 'actions') : null),
  (m, p) => (p.startsWith('/check-') || p.endsWith('/check-runs') ? rw(m, 'checks') : null),
];

/** The need of a repository route; throws for a route no rule declares (declare new ones here). */
export function routeNeed(
  method: string,
  pattern: string,
  params: Record<string, string>,
  s: State,
): Need {
  for (const rule of RULES) {
    const need = rule(method, pattern, params, s);
    if (need) return need;
  }
  throw new Error(`stand-in: no permission declared for ${method} ${pattern} (permissions.ts)`);
}
