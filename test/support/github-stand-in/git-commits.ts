// The git database's commits (https://docs.github.com/en/rest/git/commits): POST /git/commits
// makes a commit on an existing tree (422 "Tree SHA does not exist" otherwise; parents must be
// commits), GET /git/commits/{sha} reads one (404 for an unknown SHA). Both need `contents`
// (permissions.ts: every `/git/` route). The rule functions are shared with the fake port.
import { nodeId, type Schemas } from './builders.js';
import { treeSha, type CommitRec } from './git.js';
import { HttpError, notFound, ok, reqStr, strList } from './http.js';
import type { Router } from './router.js';
import type { State } from './state.js';

/** Makes a commit as POST /git/commits does; `login` is the token's user, its author. */
export function createGitCommit(
  s: State,
  login: string,
  o: { message: string; tree: string; parents: string[] },
): CommitRec {
  const tree = s.git.trees.get(o.tree);
  if (!tree) throw new HttpError(422, 'Tree SHA does not exist');
  for (const parent of o.parents) {
    if (!s.git.get(parent))
      throw new HttpError(422, 'Parent SHA does not exist or is not a commit object');
  }
  const sha = s.git.commit(tree, o.parents, { message: o.message, login, date: s.now() });
  return s.git.get(sha) as CommitRec;
}

/** A commit as GET /git/commits/{sha} finds it (404 when there is none). */
export function readGitCommit(s: State, sha: string): CommitRec {
  const commit = /^[0-9a-f]{40}$/.test(sha) ? s.git.get(sha) : undefined;
  if (!commit) throw notFound();
  return commit;
}

/** The stand-in's own commits (files seeded, pushes) say who and when like this. */
export function madeOf(s: State, c: CommitRec): NonNullable<CommitRec['made']> {
  return c.made ?? { message: `stand-in commit ${c.seq}`, login: s.owner, date: s.createdAt };
}

export function gitCommit(s: State, c: CommitRec): Schemas['git-commit'] {
  const made = madeOf(s, c);
  const tree = treeSha(c.tree);
  const user = s.user(made.login);
  const person = {
    name: user.login,
    email: `${user.id}+${user.login}@users.noreply.github.com`,
    date: made.date,
  };
  return {
    sha: c.sha,
    node_id: nodeId('Commit', c.seq),
    url: `${s.repoApi}/git/commits/${c.sha}`,
    html_url: `${s.repoWeb}/commit/${c.sha}`,
    author: person,
    committer: person,
    message: made.message,
    tree: { sha: tree, url: `${s.repoApi}/git/trees/${tree}` },
    parents: c.parents.map((p) => ({
      sha: p,
      url: `${s.repoApi}/git/commits/${p}`,
      html_url: `${s.repoWeb}/commit/${p}`,
    })),
    verification: {
      verified: false,
      reason: 'unsigned',
      signature: null,
      payload: null,
      verified_at: null,
    },
  };
}

export function gitCommitRoutes(r: Router): void {
  r.repo('POST', '/git/commits', (ctx) => {
    const s = ctx.state;
    const commit = createGitCommit(s, ctx.token.login, {
      message: reqStr(ctx, 'message'),
      tree: reqStr(ctx, 'tree'),
      parents: strList(ctx, 'parents'),
    });
    return ok(gitCommit(s, commit), 201);
  });

  r.repo('GET', '/git/commits/:sha', (ctx) =>
    ok(gitCommit(ctx.state, readGitCommit(ctx.state, ctx.params.sha as string))),
  );
}
