// Issue comments on pull requests, and their reactions.
import { issueComment, reaction } from './builders-resources.js';
import { HttpError, noContent, notFound, num, ok, paginate, reqStr, type Ctx } from './http.js';
import type { Router } from './router.js';
import { REACTIONS, type CommentRec, type ReactionContent, type State } from './state.js';

const MAX_BODY = 65536;

function checkBody(body: string): void {
  if (body.length > MAX_BODY) {
    throw new HttpError(422, 'Validation Failed', {
      errors: [
        {
          resource: 'IssueComment',
          code: 'custom',
          field: 'body',
          message: `body is too long (maximum is ${MAX_BODY} characters)`,
        },
      ],
    });
  }
}

export function addComment(s: State, issue: number, user: string, body: string): CommentRec {
  if (!s.pull(issue)) throw notFound();
  checkBody(body);
  s.user(user);
  const now = s.now();
  const c: CommentRec = {
    id: s.nextId('comment', 2_000_000),
    issue,
    user,
    body,
    createdAt: now,
    updatedAt: now,
    deleted: false,
  };
  s.comments.push(c);
  return c;
}

export function findComment(s: State, id: number): CommentRec {
  const c = s.comments.find((x) => x.id === id && !x.deleted);
  if (!c) throw notFound();
  return c;
}

export function editComment(s: State, id: number, body: string): CommentRec {
  const c = findComment(s, id);
  checkBody(body);
  c.body = body;
  c.updatedAt = s.now();
  return c;
}

export function deleteComment(s: State, id: number): void {
  findComment(s, id).deleted = true;
}

export function addReaction(
  s: State,
  commentId: number,
  user: string,
  content: string,
): { created: boolean; id: number } {
  findComment(s, commentId);
  if (!(REACTIONS as readonly string[]).includes(content)) {
    throw new HttpError(422, 'Validation Failed', {
      errors: [{ resource: 'Reaction', code: 'invalid', field: 'content' }],
    });
  }
  const existing = s.reactions.find(
    (r) => r.commentId === commentId && r.user === user && r.content === content,
  );
  if (existing) return { created: false, id: existing.id };
  const id = s.nextId('reaction', 4_000_000);
  s.reactions.push({
    id,
    commentId,
    user,
    content: content as ReactionContent,
    createdAt: s.now(),
  });
  return { created: true, id };
}

function commentId(ctx: Ctx): number {
  return num(ctx, 'id');
}

export function issueRoutes(r: Router): void {
  r.repo('GET', '/issues/:number/comments', (ctx) => {
    const s = ctx.state;
    const n = num(ctx, 'number');
    if (!s.pull(n)) throw notFound();
    const since = ctx.query.get('since');
    const list = s.comments.filter(
      (c) => c.issue === n && !c.deleted && (!since || c.updatedAt >= since),
    );
    return paginate(
      ctx,
      list.map((c) => issueComment(s, c)),
    );
  });

  r.repo('POST', '/issues/:number/comments', (ctx) => {
    const c = addComment(ctx.state, num(ctx, 'number'), ctx.token.login, reqStr(ctx, 'body'));
    return ok(issueComment(ctx.state, c), 201);
  });

  r.repo('GET', '/issues/comments/:id', (ctx) =>
    ok(issueComment(ctx.state, findComment(ctx.state, commentId(ctx)))),
  );

  r.repo('PATCH', '/issues/comments/:id', (ctx) => {
    const c = editComment(ctx.state, commentId(ctx), reqStr(ctx, 'body'));
    return ok(issueComment(ctx.state, c));
  });

  r.repo('DELETE', '/issues/comments/:id', (ctx) => {
    deleteComment(ctx.state, commentId(ctx));
    return noContent();
  });

  r.repo('GET', '/issues/comments/:id/reactions', (ctx) => {
    const s = ctx.state;
    const id = commentId(ctx);
    findComment(s, id);
    const content = ctx.query.get('content');
    const list = s.reactions.filter(
      (x) => x.commentId === id && (!content || x.content === content),
    );
    return paginate(
      ctx,
      list.map((x) => reaction(s, x)),
    );
  });

  r.repo('POST', '/issues/comments/:id/reactions', (ctx) => {
    const s = ctx.state;
    const { created, id } = addReaction(s, commentId(ctx), ctx.token.login, reqStr(ctx, 'content'));
    const rec = s.reactions.find((x) => x.id === id);
    return ok(reaction(s, rec as NonNullable<typeof rec>), created ? 201 : 200);
  });

  r.repo('DELETE', '/issues/comments/:id/reactions/:reactionId', (ctx) => {
    const s = ctx.state;
    const id = commentId(ctx);
    const i = s.reactions.findIndex((x) => x.commentId === id && x.id === num(ctx, 'reactionId'));
    if (i < 0) throw notFound();
    s.reactions.splice(i, 1);
    return noContent();
  });
}
