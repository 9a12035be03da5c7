// A small model of GitHub Actions concurrency groups, for reasoning about the documented workflow.
// https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/control-the-concurrency-of-workflows-and-jobs
// "When a concurrent job or workflow is queued, if another job or workflow using the same
// concurrency group in the repository is in progress, the queued job or workflow will be pending.
// Any existing pending job or workflow in the same concurrency group, if it exists, will be
// canceled and the new queued job or workflow will take its place." With `cancel-in-progress:
// true` the running one is cancelled instead. So per group: one running, at most one pending.

export type RunState = 'running' | 'pending' | 'cancelled' | 'completed';

export interface ModelRun {
  id: string;
  group: string;
  state: RunState;
}

export class ConcurrencyModel {
  private readonly runs: ModelRun[] = [];

  /** A run of a job in `group` is queued. */
  queue(id: string, group: string, cancelInProgress = false): ModelRun {
    const running = this.find(group, 'running');
    const pending = this.find(group, 'pending');
    // The newer queued run always replaces a pending one, whatever cancel-in-progress says.
    if (pending) pending.state = 'cancelled';
    const run: ModelRun = { id, group, state: 'running' };
    if (running) {
      if (cancelInProgress) running.state = 'cancelled';
      else run.state = 'pending';
    }
    this.runs.push(run);
    return run;
  }

  /** A running run ends; the group's pending run (if any) starts. */
  complete(id: string): void {
    const run = this.get(id);
    if (run.state !== 'running') throw new Error(`concurrency: ${id} is ${run.state}, not running`);
    run.state = 'completed';
    const next = this.find(run.group, 'pending');
    if (next) next.state = 'running';
  }

  get(id: string): ModelRun {
    const run = this.runs.find((r) => r.id === id);
    if (!run) throw new Error(`concurrency: no run ${id}`);
    return run;
  }

  stateOf(id: string): RunState {
    return this.get(id).state;
  }

  private find(group: string, state: RunState): ModelRun | undefined {
    return this.runs.find((r) => r.group === group && r.state === state);
  }
}

/**
 * Evaluates the small GitHub expressions used in `concurrency.group`: `${{ a || b }}` with context
 * paths (`github.event.issue.number`, `inputs.pull-request`) and '…' literals. Anything else throws,
 * so a workflow using more than this model understands fails the test instead of passing wrongly.
 * https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/evaluate-expressions-in-workflows-and-actions
 */
export function evaluateTemplate(template: string, context: Record<string, unknown>): string {
  return template.replace(/\$\{\{(.*?)\}\}/g, (_m, expr: string) => {
    for (const operand of expr.split('||').map((s) => s.trim())) {
      const value = evaluateOperand(operand, context);
      // `||` yields the first truthy operand (GitHub's falsy: null, false, 0, '', NaN).
      if (value !== undefined && value !== null && value !== false && value !== 0 && value !== '')
        return String(value);
    }
    return '';
  });
}

function evaluateOperand(operand: string, context: Record<string, unknown>): unknown {
  const literal = /^'((?:[^']|'')*)'$/.exec(operand);
  if (literal) return literal[1]!.replace(/''/g, "'");
  if (!/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/.test(operand)) {
    throw new Error(`concurrency model: cannot evaluate \`${operand}\``);
  }
  let value: unknown = context;
  for (const key of operand.split('.')) {
    value =
      value !== null && typeof value === 'object'
        ? (value as Record<string, unknown>)[key]
        : undefined;
  }
  return value;
}
