// Commit statuses and the combined status of a ref.
import { minimalRepository } from './builders.js';
import { simpleCommitStatus, status } from './builders-resources.js';
import { HttpError, ok, paginate, str } from './http.js';
import type { Router } from './router.js';
import type { State, StatusRec, StatusState } from './state.js';

const STATES: StatusState[] = ['error', 'failure', 'pending', 'success'];

export interface NewStatus {
  state: string;
  description?: string | null;
  targetUrl?: string | null;
  context?: string;
}

export function addStatus(s: State, sha: string, st: NewStatus, creator: string): StatusRec {
  if (!s.git.get(sha)) throw new HttpError(422, `No commit found for SHA: ${sha}`);
  if (!STATES.includes(st.state as StatusState)) {
    throw new HttpError(422, 'Validation Failed', {
      errors: [
        {
          resource: 'Status',
          code: 'custom',
          field: 'state',
          message: 'state is not included in the list',
        },
      ],
    });
  }
  if ((st.description ?? '').length > 140) {
    throw new HttpError(422, 'Validation Failed', {
      errors: [
        {
          resource: 'Status',
          code: 'custom',
          field: 'description',
          message: 'description is too long (maximum is 140 characters)',
        },
      ],
    });
  }
  const rec: StatusRec = {
    id: s.nextId('status', 5_000_000),
    sha,
    state: st.state as StatusState,
    description: st.description ?? null,
    targetUrl: st.targetUrl ?? null,
    context: st.context || 'default',
    creator,
    createdAt: s.now(),
  };
  s.statuses.push(rec);
  return rec;
}

/** The newest status of each context on a commit, oldest context first. */
export function latestStatuses(s: State, sha: string): StatusRec[] {
  const latest = new Map<string, StatusRec>();
  for (const st of s.statuses) if (st.sha === sha) latest.set(st.context, st);
  return [...latest.values()].sort((a, b) => a.id - b.id);
}

/** GitHub's combined state: failure if any error/failure, pending if any pending or none, else success. */
export function combinedState(list: StatusRec[]): StatusState {
  if (list.some((x) => x.state === 'error' || x.state === 'failure')) return 'failure';
  if (list.length === 0 || list.some((x) => x.state === 'pending')) return 'pending';
  return 'success';
}

function resolveRef(s: State, ref: string): string {
  const sha = s.git.resolve(ref);
  if (!sha) throw new HttpError(422, `No commit found for SHA: ${ref}`);
  return sha;
}

export function statusRoutes(r: Router): void {
  r.repo('POST', '/statuses/:sha', (ctx) => {
    const s = ctx.state;
    const rec = addStatus(
      s,
      ctx.params.sha as string,
      {
        state: str(ctx, 'state') ?? '',
        description: str(ctx, 'description'),
        targetUrl: str(ctx, 'target_url'),
        context: str(ctx, 'context'),
      },
      ctx.token.login,
    );
    return ok(status(s, rec), 201);
  });

  r.repo('GET', '/commits/:ref/statuses', (ctx) => {
    const s = ctx.state;
    const sha = resolveRef(s, ctx.params.ref as string);
    const list = s.statuses.filter((x) => x.sha === sha).reverse();
    return paginate(
      ctx,
      list.map((x) => status(s, x)),
    );
  });

  r.repo('GET', '/commits/:ref/status', (ctx) => {
    const s = ctx.state;
    const sha = resolveRef(s, ctx.params.ref as string);
    const latest = latestStatuses(s, sha);
    return paginate(ctx, latest, (page) => ({
      state: combinedState(latest),
      statuses: page.map((x) => simpleCommitStatus(s, x)),
      sha,
      total_count: latest.length,
      repository: minimalRepository(s),
      commit_url: `${s.repoApi}/commits/${sha}`,
      url: `${s.repoApi}/commits/${sha}/status`,
    }));
  });
}
