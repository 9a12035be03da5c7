// workflow_dispatch: recorded, never run (the test decides what a dispatched run does).
import { HttpError, noContent, notFound, reqStr } from './http.js';
import type { Router } from './router.js';
import type { DispatchRec, State } from './state.js';

export function dispatchWorkflow(
  s: State,
  workflow: string,
  ref: string,
  inputs: Record<string, unknown>,
  actor: string,
): DispatchRec {
  const full = s.git.branchOrTag(ref);
  if (!full) throw new HttpError(422, `No ref found for: ${ref}`);
  if (Object.keys(inputs).length > 25) {
    throw new HttpError(
      422,
      'you may only define up to 25 `inputs` for a `workflow_dispatch` event',
    );
  }
  if (s.requireWorkflowFiles) {
    const text = s.git.tree(s.git.refs.get(full) as string)[`.github/workflows/${workflow}`];
    if (text === undefined) throw notFound();
    if (!/\bworkflow_dispatch\b/.test(text)) {
      throw new HttpError(422, "Workflow does not have 'workflow_dispatch' trigger");
    }
  }
  const rec: DispatchRec = { workflow, ref, inputs: { ...inputs }, actor, at: s.now() };
  s.dispatches.push(rec);
  return rec;
}

export function actionRoutes(r: Router): void {
  r.repo('POST', '/actions/workflows/:workflow/dispatches', (ctx) => {
    const inputs = ctx.body.inputs ?? {};
    if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) {
      throw new HttpError(422, "Invalid request.\n\nFor 'inputs', value is not an object.");
    }
    dispatchWorkflow(
      ctx.state,
      ctx.params.workflow as string,
      reqStr(ctx, 'ref'),
      inputs as Record<string, unknown>,
      ctx.token.login,
    );
    return noContent();
  });
}
