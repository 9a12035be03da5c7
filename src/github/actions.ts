// GitHub Actions: the hand-over dispatches the trusted workflow (workflow_dispatch) on the
// default branch; GitHub's refusals are explained by dispatch-refusal.ts.
import { dispatchRefusal } from './dispatch-refusal.js';
import { attempt } from './errors.js';
import type { PortContext } from './port-context.js';
import type { GitHubPort } from './port.js';
import { NO_RETRY } from './write-once.js';

export type ActionsPort = Pick<GitHubPort, 'dispatchWorkflow'>;

export function actionsPort({ client, repo, writeOnce }: PortContext): ActionsPort {
  return {
    async dispatchWorkflow(workflowFile, ref, inputs) {
      const workflowId = workflowFile.split('/').pop() ?? workflowFile;
      // A dispatch leaves nothing to read back (its run shows up later, if at all), so after a 5xx
      // it is sent once more, blindly, and never more than that. Losing the hand-over would leave
      // an approved request stuck until someone re-runs the job; a second one is harmless: the
      // trusted run is idempotent (it checks again and reuses the open prompt, no second
      // Deployment or comment) and the environment lock serialises deployments.
      try {
        await attempt('dispatchWorkflow', () =>
          writeOnce(
            async () => {
              await client.rest.actions.createWorkflowDispatch({
                ...repo,
                workflow_id: workflowId,
                ref,
                inputs,
                request: NO_RETRY,
              });
            },
            async () => undefined,
          ),
        );
      } catch (error) {
        throw dispatchRefusal(error, workflowFile, ref) ?? error;
      }
    },
  };
}
