// Deployments and deployment statuses, with GitHub's auto-merge and required-contexts rules.
import { deployment, deploymentStatus } from './builders-resources.js';
import {
  HttpError,
  noContent,
  notFound,
  num,
  ok,
  paginate,
  reqStr,
  str,
  type Ctx,
} from './http.js';
import { branchMoved } from './pull-ops.js';
import type { Router } from './router.js';
import type { DeploymentRec, DeploymentStatusRec, DeploymentStatusState, State } from './state.js';
import { latestStatuses } from './statuses.js';

const STATES: DeploymentStatusState[] = [
  'error',
  'failure',
  'inactive',
  'in_progress',
  'queued',
  'pending',
  'success',
];

function mustDeployment(s: State, id: number): DeploymentRec {
  const d = s.deployments.find((x) => x.id === id);
  if (!d) throw notFound();
  return d;
}

export function latestDeploymentStatus(s: State, id: number): DeploymentStatusRec | undefined {
  return s.deploymentStatuses.filter((x) => x.deploymentId === id).pop();
}

export interface NewDeploymentStatus {
  state: string;
  description?: string;
  logUrl?: string;
  environmentUrl?: string;
  autoInactive?: boolean;
}

export function addDeploymentStatus(
  s: State,
  id: number,
  st: NewDeploymentStatus,
  creator: string,
): DeploymentStatusRec {
  const d = mustDeployment(s, id);
  if (!STATES.includes(st.state as DeploymentStatusState)) {
    throw new HttpError(422, 'Validation Failed', {
      errors: [{ resource: 'DeploymentStatus', code: 'invalid', field: 'state' }],
    });
  }
  if ((st.description ?? '').length > 140) {
    throw new HttpError(422, 'Validation Failed', {
      errors: [
        {
          resource: 'DeploymentStatus',
          code: 'custom',
          field: 'description',
          message: 'description is too long (maximum is 140 characters)',
        },
      ],
    });
  }
  const make = (
    dep: DeploymentRec,
    state: DeploymentStatusState,
    x: Omit<NewDeploymentStatus, 'state'>,
  ): DeploymentStatusRec => {
    const rec: DeploymentStatusRec = {
      id: s.nextId('deployment-status', 7_000_000),
      deploymentId: dep.id,
      state,
      description: x.description ?? '',
      environment: dep.environment,
      logUrl: x.logUrl ?? '',
      environmentUrl: x.environmentUrl ?? '',
      creator,
      createdAt: s.now(),
    };
    s.deploymentStatuses.push(rec);
    dep.updatedAt = rec.createdAt;
    return rec;
  };
  const rec = make(d, st.state as DeploymentStatusState, st);
  // auto_inactive (default true): earlier successful, non-transient, non-production deployments
  // of the same environment become inactive.
  if (rec.state === 'success' && st.autoInactive !== false) {
    for (const other of s.deployments) {
      if (
        other.id === d.id ||
        other.environment !== d.environment ||
        other.transient ||
        other.production
      )
        continue;
      if (latestDeploymentStatus(s, other.id)?.state === 'success') make(other, 'inactive', {});
    }
  }
  return rec;
}

/** GitHub's auto_merge: a branch behind the default branch gets it merged in (and no deployment). */
function autoMerge(ctx: Ctx, ref: string): string | undefined {
  const s = ctx.state;
  const full = s.git.branchOrTag(ref);
  if (ctx.body.auto_merge === false || !full?.startsWith('refs/heads/')) return undefined;
  const branch = full.slice('refs/heads/'.length);
  const tip = s.git.refs.get(full) as string;
  const def = s.git.refs.get(`refs/heads/${s.defaultBranch}`) as string;
  if (branch === s.defaultBranch || s.git.isAncestor(def, tip)) return undefined;
  const { tree, conflicts } = s.git.merge(tip, def);
  if (conflicts.length > 0)
    throw new HttpError(409, `Conflict merging ${s.defaultBranch} into ${branch}.`);
  const sha = s.git.commit(tree, [tip, def]);
  s.git.refs.set(full, sha);
  branchMoved(s, full, sha);
  return `Auto-merged ${s.defaultBranch} into ${branch} on deployment.`;
}

function checkContexts(ctx: Ctx, ref: string, sha: string): void {
  const s = ctx.state;
  const latest = latestStatuses(s, sha);
  const given = ctx.body.required_contexts;
  if (given !== undefined && (!Array.isArray(given) || given.some((x) => typeof x !== 'string'))) {
    throw new HttpError(
      422,
      "Invalid request.\n\nFor 'required_contexts', value is not an array of strings.",
    );
  }
  const required = (given as string[] | undefined) ?? latest.map((x) => x.context);
  const failing = required.filter((c) => latest.find((x) => x.context === c)?.state !== 'success');
  if (failing.length === 0) return;
  throw new HttpError(409, `Conflict: Commit status checks failed for ${ref}.`, {
    errors: [
      {
        contexts: latest.map((x) => ({ context: x.context, state: x.state })),
        resource: 'Deployment',
        field: 'required_contexts',
        code: 'invalid',
      },
    ],
  });
}

export function deploymentRoutes(r: Router): void {
  r.repo('POST', '/deployments', (ctx) => {
    const s = ctx.state;
    const ref = reqStr(ctx, 'ref');
    const sha = s.git.resolve(ref);
    if (!sha) throw new HttpError(422, `No ref found for: ${ref}`);
    const merged = autoMerge(ctx, ref);
    if (merged) return ok({ message: merged }, 202);
    checkContexts(ctx, ref, sha);
    const environment = str(ctx, 'environment') ?? 'production';
    const payload = ctx.body.payload;
    const now = s.now();
    const rec: DeploymentRec = {
      id: s.nextId('deployment', 6_000_000),
      sha,
      ref,
      task: str(ctx, 'task') ?? 'deploy',
      payload:
        payload === undefined || payload === null || payload === ''
          ? {}
          : (payload as DeploymentRec['payload']),
      environment,
      description: str(ctx, 'description') ?? '',
      creator: ctx.token.login,
      createdAt: now,
      updatedAt: now,
      transient: ctx.body.transient_environment === true,
      production:
        typeof ctx.body.production_environment === 'boolean'
          ? ctx.body.production_environment
          : environment === 'production',
    };
    s.deployments.push(rec);
    return ok(deployment(s, rec), 201);
  });

  r.repo('GET', '/deployments', (ctx) => {
    const s = ctx.state;
    const q = (k: string): string | null => ctx.query.get(k);
    const list = s.deployments
      .filter((d) => (!q('sha') || d.sha === q('sha')) && (!q('ref') || d.ref === q('ref')))
      .filter(
        (d) =>
          (!q('task') || d.task === q('task')) &&
          (!q('environment') || d.environment === q('environment')),
      )
      .reverse();
    return paginate(
      ctx,
      list.map((d) => deployment(s, d)),
    );
  });

  r.repo('GET', '/deployments/:id', (ctx) =>
    ok(deployment(ctx.state, mustDeployment(ctx.state, num(ctx, 'id')))),
  );

  r.repo('DELETE', '/deployments/:id', (ctx) => {
    const s = ctx.state;
    const d = mustDeployment(s, num(ctx, 'id'));
    const others = s.deployments.filter((x) => x.environment === d.environment && x.id !== d.id);
    if (latestDeploymentStatus(s, d.id)?.state !== 'inactive' && others.length > 0) {
      throw new HttpError(
        422,
        'We cannot delete an active deployment unless it is the only deployment in a given environment.',
      );
    }
    s.deployments.splice(s.deployments.indexOf(d), 1);
    return noContent();
  });

  r.repo('POST', '/deployments/:id/statuses', (ctx) => {
    const s = ctx.state;
    const rec = addDeploymentStatus(
      s,
      num(ctx, 'id'),
      {
        state: str(ctx, 'state') ?? '',
        description: str(ctx, 'description'),
        logUrl: str(ctx, 'log_url') ?? str(ctx, 'target_url'),
        environmentUrl: str(ctx, 'environment_url'),
        autoInactive: ctx.body.auto_inactive !== false,
      },
      ctx.token.login,
    );
    return ok(deploymentStatus(s, rec), 201);
  });

  r.repo('GET', '/deployments/:id/statuses', (ctx) => {
    const s = ctx.state;
    const id = num(ctx, 'id');
    mustDeployment(s, id);
    const list = s.deploymentStatuses.filter((x) => x.deploymentId === id).reverse();
    return paginate(
      ctx,
      list.map((x) => deploymentStatus(s, x)),
    );
  });

  r.repo('GET', '/deployments/:id/statuses/:statusId', (ctx) => {
    const s = ctx.state;
    const id = num(ctx, 'id');
    mustDeployment(s, id);
    const rec = s.deploymentStatuses.find(
      (x) => x.deploymentId === id && x.id === num(ctx, 'statusId'),
    );
    if (!rec) throw notFound();
    return ok(deploymentStatus(s, rec));
  });
}
