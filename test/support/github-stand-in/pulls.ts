// Pull requests: the PR, its files, reviews, dismissals and requested reviewers.
import { simpleUser, team } from './builders.js';
import { diffEntry, pullDiff, pullRequest, review } from './builders-pulls.js';
import { HttpError, notFound, num, ok, paginate, str, strList } from './http.js';
import {
  dismissReview,
  mustPull,
  updatePull,
  removeRequestedReviewers,
  requestReviewers,
  submitReview,
  type ReviewEvent,
} from './pull-ops.js';
import type { Router } from './router.js';

const MAX_PR_FILES = 3000;

export function pullRoutes(r: Router): void {
  r.repo('GET', '/pulls', (ctx) => {
    const s = ctx.state;
    const state = ctx.query.get('state') ?? 'open';
    const base = ctx.query.get('base');
    const head = ctx.query.get('head');
    const prs = [...s.pulls.values()]
      .filter((p) => state === 'all' || p.state === state)
      .filter((p) => !base || p.baseRef === base)
      .filter((p) => !head || `${p.fromFork ? p.author : s.owner}:${p.headRef}` === head)
      .sort((a, b) => b.number - a.number);
    return paginate(
      ctx,
      prs.map((p) => pullRequest(s, p)),
    );
  });

  r.repo('GET', '/pulls/:number', (ctx) =>
    ok(pullRequest(ctx.state, mustPull(ctx.state, num(ctx, 'number')))),
  );

  r.repo('PATCH', '/pulls/:number', (ctx) => {
    const s = ctx.state;
    const n = num(ctx, 'number');
    const state = str(ctx, 'state');
    if (state !== undefined && state !== 'open' && state !== 'closed') {
      throw new HttpError(422, 'Validation Failed', {
        errors: [{ resource: 'PullRequest', field: 'state', code: 'invalid' }],
      });
    }
    updatePull(s, n, {
      title: str(ctx, 'title'),
      body: ctx.body.body === null ? null : str(ctx, 'body'),
      state: state as 'open' | 'closed' | undefined,
      base: str(ctx, 'base'),
    });
    return ok(pullRequest(s, mustPull(s, n)));
  });

  r.repo('GET', '/pulls/:number/files', (ctx) => {
    const s = ctx.state;
    const pr = mustPull(s, num(ctx, 'number'));
    const files = pullDiff(s, pr).slice(0, MAX_PR_FILES);
    return paginate(
      ctx,
      files.map((f) => diffEntry(s, f, pr.headSha)),
    );
  });

  r.repo('GET', '/pulls/:number/reviews', (ctx) => {
    const s = ctx.state;
    const n = num(ctx, 'number');
    mustPull(s, n);
    // Pending reviews are visible to their author only.
    const list = s.reviews.filter(
      (x) => x.pull === n && (x.state !== 'PENDING' || x.user === ctx.token.login),
    );
    return paginate(
      ctx,
      list.map((x) => review(s, x)),
    );
  });

  r.repo('GET', '/pulls/:number/reviews/:id', (ctx) => {
    const s = ctx.state;
    const n = num(ctx, 'number');
    const rec = s.reviews.find((x) => x.pull === n && x.id === num(ctx, 'id'));
    if (!rec) throw notFound();
    return ok(review(s, rec));
  });

  r.repo('POST', '/pulls/:number/reviews', (ctx) => {
    const s = ctx.state;
    const event = str(ctx, 'event');
    if (event !== undefined && !['APPROVE', 'REQUEST_CHANGES', 'COMMENT'].includes(event)) {
      throw new HttpError(422, 'Unprocessable Entity', { errors: [`Invalid event: ${event}`] });
    }
    const rec = submitReview(
      s,
      num(ctx, 'number'),
      ctx.token.login,
      event as ReviewEvent | undefined,
      str(ctx, 'body') ?? '',
      str(ctx, 'commit_id'),
    );
    return ok(review(s, rec));
  });

  r.repo('PUT', '/pulls/:number/reviews/:id/dismissals', (ctx) => {
    const s = ctx.state;
    const message = str(ctx, 'message');
    if (!message) throw new HttpError(422, 'Invalid request.\n\n"message" wasn\'t supplied.');
    return ok(review(s, dismissReview(s, num(ctx, 'number'), num(ctx, 'id'), message)));
  });

  r.repo('GET', '/pulls/:number/requested_reviewers', (ctx) => {
    const s = ctx.state;
    const pr = mustPull(s, num(ctx, 'number'));
    return ok({
      users: pr.requestedUsers.map((u) => simpleUser(s, u)),
      teams: pr.requestedTeams.flatMap((slug) => {
        const t = s.team(s.owner, slug);
        return t ? [team(s, t)] : [];
      }),
    });
  });

  r.repo('POST', '/pulls/:number/requested_reviewers', (ctx) => {
    const s = ctx.state;
    const users = strList(ctx, 'reviewers');
    const teams = strList(ctx, 'team_reviewers');
    if (users.length === 0 && teams.length === 0) {
      throw new HttpError(422, 'Invalid request.\n\nNo subschema in "anyOf" matched.');
    }
    const pr = requestReviewers(s, num(ctx, 'number'), users, teams);
    return ok(pullRequest(s, pr), 201);
  });

  r.repo('DELETE', '/pulls/:number/requested_reviewers', (ctx) => {
    const s = ctx.state;
    const users = strList(ctx, 'reviewers');
    const teams = strList(ctx, 'team_reviewers');
    const pr = removeRequestedReviewers(s, num(ctx, 'number'), users, teams);
    return ok(pullRequest(s, pr));
  });
}
