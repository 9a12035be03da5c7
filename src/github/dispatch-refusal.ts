// GitHub's refusals of a workflow_dispatch, in plain words: the hand-over starts the workflow file
// this job runs from, on the default branch, with one input. 404: no such file on that branch;
// 422: no `workflow_dispatch` trigger, an input it does not declare, or a required input missing.
// https://docs.github.com/en/rest/actions/workflows#create-a-workflow-dispatch-event
import { GitHubAccessError, GitHubConflictError, GitHubNotFoundError } from './errors.js';

const TRIGGER =
  "an `on: workflow_dispatch` trigger declaring the input `pull-request` (required: true, type: string) and no other required input, as in the README's workflow";

export function dispatchRefusal(
  error: unknown,
  workflowFile: string,
  ref: string,
): GitHubAccessError | undefined {
  if (error instanceof GitHubNotFoundError) {
    return new GitHubAccessError(
      `The hand-over could not start the trusted run: GitHub has no workflow \`${workflowFile}\` on \`${ref}\` (404). Commit that file to the default branch \`${ref}\` (docs/examples/workflows/deploy-request.yml), then re-run this job.`,
    );
  }
  if (error instanceof GitHubConflictError) {
    const github = error.githubMessage === undefined ? '' : `: ${error.githubMessage}`;
    return new GitHubAccessError(
      `The hand-over could not start the trusted run: GitHub refused to dispatch \`${workflowFile}\` on \`${ref}\` (${error.status}${github}). The copy on \`${ref}\` needs ${TRIGGER}; fix it there, then re-run this job.`,
    );
  }
  return undefined;
}
