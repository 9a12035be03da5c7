// workflow_dispatch: checked as GitHub checks it, recorded, never run (the test decides what a
// dispatched run does). https://docs.github.com/en/rest/actions/workflows#create-a-workflow-dispatch-event
// - the ref must be a branch or tag: 422 "No ref found for: <ref>";
// - `.github/workflows/<file>` must exist at the ref: 404;
// - it must have a `workflow_dispatch` trigger: 422 "Workflow does not have 'workflow_dispatch' trigger";
// - every input must be declared: 422 `Unexpected inputs provided: ["x"]`;
// - every required input must be given: 422 "Required input 'x' not provided".
import { load } from 'js-yaml';
import { HttpError, noContent, notFound, reqStr } from './http.js';
import type { Router } from './router.js';
import type { DispatchRec, State } from './state.js';

const DOCS = 'https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event';

/** The `on.workflow_dispatch` of a workflow file, or undefined when it has no such trigger. */
function dispatchTrigger(
  text: string,
): { inputs: Record<string, { required?: boolean }> } | undefined {
  let wf: unknown;
  try {
    wf = load(text);
  } catch {
    return undefined;
  }
  const on = (wf as { on?: unknown } | null)?.on;
  if (on === 'workflow_dispatch') return { inputs: {} };
  if (Array.isArray(on)) return on.includes('workflow_dispatch') ? { inputs: {} } : undefined;
  if (on === null || typeof on !== 'object' || !('workflow_dispatch' in on)) return undefined;
  const trigger = (on as Record<string, unknown>).workflow_dispatch as {
    inputs?: Record<string, { required?: boolean }>;
  } | null;
  return { inputs: trigger?.inputs ?? {} };
}

export function dispatchWorkflow(
  s: State,
  workflow: string,
  ref: string,
  inputs: Record<string, unknown>,
  actor: string,
): DispatchRec {
  const full = s.git.branchOrTag(ref);
  if (!full) throw new HttpError(422, `No ref found for: ${ref}`, {}, {}, DOCS);
  if (Object.keys(inputs).length > 25) {
    throw new HttpError(
      422,
      'you may only define up to 25 `inputs` for a `workflow_dispatch` event',
      {},
      {},
      DOCS,
    );
  }
  if (s.requireWorkflowFiles) {
    const text = s.git.tree(s.git.refs.get(full) as string)[`.github/workflows/${workflow}`];
    if (text === undefined) throw notFound();
    const trigger = dispatchTrigger(text);
    if (!trigger) {
      throw new HttpError(422, "Workflow does not have 'workflow_dispatch' trigger", {}, {}, DOCS);
    }
    const unexpected = Object.keys(inputs).filter((name) => !(name in trigger.inputs));
    if (unexpected.length > 0) {
      throw new HttpError(
        422,
        `Unexpected inputs provided: ${JSON.stringify(unexpected)}`,
        {},
        {},
        DOCS,
      );
    }
    const missing = Object.entries(trigger.inputs).find(
      ([name, def]) => def?.required === true && !(name in inputs),
    );
    if (missing) {
      throw new HttpError(422, `Required input '${missing[0]}' not provided`, {}, {}, DOCS);
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
