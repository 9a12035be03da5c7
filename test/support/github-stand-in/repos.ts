// Repository, contents, git refs and the authenticated user.
import { fullRepository, simpleUser } from './builders.js';
import { contentFile, dirEntry, gitRef } from './builders-resources.js';
import {
  HttpError,
  noContent,
  notFound,
  ok,
  paginate,
  reqStr,
  forbiddenIntegration,
  type Ctx,
} from './http.js';
import { branchMoved } from './pull-ops.js';
import type { Router } from './router.js';
import type { State } from './state.js';

function resolveOr404(s: State, ref: string): string {
  const sha = s.git.resolve(ref);
  if (!sha) throw new HttpError(404, `No commit found for the ref ${ref}`);
  return sha;
}

function getContents(ctx: Ctx, path: string) {
  const s = ctx.state;
  const ref = ctx.query.get('ref') || s.defaultBranch;
  const tree = s.git.tree(resolveOr404(s, ref));
  const clean = path.replace(/^\/+|\/+$/g, '');
  const text = tree[clean];
  if (text !== undefined) {
    const accept = String(ctx.headers.accept ?? '');
    if (/\.raw\b|\.raw\+|vnd\.github\.raw/.test(accept)) return { status: 200, text };
    return ok(contentFile(s, clean, text, ref));
  }
  const prefix = clean === '' ? '' : `${clean}/`;
  const children = new Map<string, boolean>();
  for (const p of Object.keys(tree)) {
    if (!p.startsWith(prefix)) continue;
    const rest = p.slice(prefix.length).split('/');
    children.set(`${prefix}${rest[0]}`, rest.length > 1);
  }
  if (children.size === 0) throw notFound();
  const entries = [...children.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([p, isDir]) => dirEntry(s, p, isDir, tree[p] ?? '', ref));
  return ok(entries);
}

function listedRefs(s: State, prefix: string): [string, string][] {
  return [...s.git.refs.entries()]
    .filter(([name]) => name.startsWith(prefix))
    .sort(([a], [b]) => (a < b ? -1 : 1));
}

function refSha(ctx: Ctx): string {
  const sha = reqStr(ctx, 'sha');
  if (!ctx.state.git.get(sha)) throw new HttpError(422, 'Object does not exist');
  return sha;
}

export function repoRoutes(r: Router): void {
  r.repo('GET', '', (ctx) => ok(fullRepository(ctx.state)));

  r.repo('GET', '/contents', (ctx) => getContents(ctx, ''));
  r.repo('GET', '/contents/*path', (ctx) => getContents(ctx, ctx.params.path ?? ''));

  r.repo('GET', '/branches/:branch', (ctx) => {
    const s = ctx.state;
    const name = ctx.params.branch as string;
    const sha = s.git.refs.get(`refs/heads/${name}`);
    if (!sha) throw new HttpError(404, 'Branch not found');
    return ok({
      name,
      commit: { sha, url: `${s.repoApi}/commits/${sha}` },
      protected: false,
      _links: { self: `${s.repoApi}/branches/${name}`, html: `${s.repoWeb}/tree/${name}` },
    });
  });

  r.repo('GET', '/git/ref/*ref', (ctx) => {
    const s = ctx.state;
    const name = `refs/${ctx.params.ref}`;
    const sha = s.git.refs.get(name);
    if (!sha) throw notFound();
    return ok(gitRef(s, name, sha));
  });

  r.repo('GET', '/git/refs', (ctx) => {
    const s = ctx.state;
    const refs = listedRefs(s, 'refs/').filter(([n]) => /^refs\/(heads|tags)\//.test(n));
    return paginate(
      ctx,
      refs.map(([n, sha]) => gitRef(s, n, sha)),
    );
  });

  // Exact ref → the ref; a prefix → the matching refs (GitHub's older behaviour of this endpoint).
  r.repo('GET', '/git/refs/*ref', (ctx) => {
    const s = ctx.state;
    const name = `refs/${ctx.params.ref}`;
    const sha = s.git.refs.get(name);
    if (sha) return ok(gitRef(s, name, sha));
    const refs = listedRefs(s, `${name}/`);
    if (refs.length === 0) throw notFound();
    return paginate(
      ctx,
      refs.map(([n, x]) => gitRef(s, n, x)),
    );
  });

  r.repo('GET', '/git/matching-refs/*ref', (ctx) => {
    const s = ctx.state;
    return paginate(
      ctx,
      listedRefs(s, `refs/${ctx.params.ref}`).map(([n, x]) => gitRef(s, n, x)),
    );
  });

  r.repo('POST', '/git/refs', (ctx) => {
    const s = ctx.state;
    const ref = reqStr(ctx, 'ref');
    if (!/^refs\/[^/]+\/.+/.test(ref)) {
      throw new HttpError(422, `${ref} is not a valid ref name.`);
    }
    const sha = refSha(ctx);
    if (s.git.refs.has(ref)) throw new HttpError(422, 'Reference already exists');
    s.git.refs.set(ref, sha);
    branchMoved(s, ref, sha);
    return ok(gitRef(s, ref, sha), 201);
  });

  r.repo('PATCH', '/git/refs/*ref', (ctx) => {
    const s = ctx.state;
    const name = `refs/${ctx.params.ref}`;
    const cur = s.git.refs.get(name);
    if (!cur) throw new HttpError(422, 'Reference does not exist');
    const sha = refSha(ctx);
    if (ctx.body.force !== true && !s.git.isAncestor(cur, sha)) {
      throw new HttpError(422, 'Update is not a fast forward');
    }
    s.git.refs.set(name, sha);
    branchMoved(s, name, sha);
    return ok(gitRef(s, name, sha));
  });

  r.repo('DELETE', '/git/refs/*ref', (ctx) => {
    const s = ctx.state;
    const name = `refs/${ctx.params.ref}`;
    if (!s.git.refs.has(name)) throw new HttpError(422, 'Reference does not exist');
    s.git.refs.delete(name);
    return noContent();
  });

  // Installation tokens (GITHUB_TOKEN) cannot read /user; user tokens can.
  r.add('GET', '/user', (ctx) => {
    const s = ctx.state;
    if (ctx.token.installation) throw forbiddenIntegration();
    return ok(simpleUser(s, ctx.token.login));
  });
}
