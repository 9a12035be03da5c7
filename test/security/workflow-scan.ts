// The static side of SPEC §4 invariant 13: in a workflow we ship, a job that holds the SSH key
// checks out no other ref than the default, runs no step that pull-request content controls, and
// downloads nothing into the workspace. Returns one line per violation.
import { load } from 'js-yaml';

type Step = Record<string, unknown> & {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
};
type Job = Record<string, unknown> & { uses?: string; steps?: Step[]; environment?: unknown };

/** A job that gets the key: passes it (or its passphrase) on, or runs in the environment holding it. */
function holdsKey(job: Job): boolean {
  const text = JSON.stringify(job);
  const environment =
    typeof job.environment === 'string'
      ? job.environment
      : (job.environment as { name?: string } | undefined)?.name;
  return (
    /ssh-private-key|ssh-passphrase|secrets\.DEPLOY_SSH_KEY/.test(text) ||
    environment === 'deploy-request'
  );
}

/** `${{ runner.temp }}/…` or `$RUNNER_TEMP/…`, and no way back out of it. */
function inRunnerTemp(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    /^(\$\{\{\s*runner\.temp\s*\}\}|\$RUNNER_TEMP|\$\{RUNNER_TEMP\})\//.test(value.trim()) &&
    !value.split(/[/\\]/).includes('..')
  );
}

function stepName(step: Step, i: number): string {
  return `step ${i + 1} (${step.uses ?? (typeof step.run === 'string' ? `run: ${step.run.split('\n')[0]}` : '?')})`;
}

export function keyJobViolations(workflowText: string, file: string): string[] {
  const workflow = load(workflowText) as { jobs?: Record<string, Job> } | null;
  const problems: string[] = [];
  for (const [id, job] of Object.entries(workflow?.jobs ?? {})) {
    if (!holdsKey(job)) continue;
    const at = `${file}: job ${id} holds the SSH key`;
    if (job.uses) {
      problems.push(`${at} and calls ${job.uses}, which cannot be checked here`);
      continue;
    }
    let pulledIn = false; // a download happened: what follows may read pull-request bytes
    (job.steps ?? []).forEach((step, i) => {
      const where = `${at}: ${stepName(step, i)}`;
      const uses = (step.uses ?? '').trim();
      if (/^\.{1,2}[/\\]/.test(uses)) problems.push(`${where} runs a local action`);
      if (/^actions\/checkout@/.test(uses)) {
        for (const input of ['ref', 'repository']) {
          if (step.with?.[input] !== undefined)
            problems.push(`${where} checks out ${input} ${String(step.with[input])}`);
        }
      }
      if (/download/i.test(uses)) {
        pulledIn = true;
        if (!inRunnerTemp(step.with?.path))
          problems.push(`${where} downloads into ${String(step.with?.path ?? 'the workspace')}`);
      }
      if (typeof step.run === 'string' && pulledIn)
        problems.push(`${where} runs a command after a download`);
      const dir = step.with?.['artifact-dir'];
      if (dir !== undefined && !inRunnerTemp(dir))
        problems.push(`${where} reads the artifact from ${String(dir)}`);
    });
  }
  return problems;
}
