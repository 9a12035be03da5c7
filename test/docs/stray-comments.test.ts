// Stray comments cannot cancel a /confirm (issue 12 §5): GitHub keeps one running and one pending
// run per concurrency group and cancels the older pending run, whatever `cancel-in-progress` says.
// https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/control-the-concurrency-of-workflows-and-jobs
// The model (test/support/concurrency.ts) is fed the concurrency groups of the shipped workflow,
// evaluated for each event as GitHub would.
import { describe, expect, it } from 'vitest';
import { ConcurrencyModel, evaluateTemplate } from '../support/concurrency.js';
import { EXAMPLE_WORKFLOW, jobFor, parseWorkflow, type Workflow } from '../support/workflow.js';

interface Event {
  id: string;
  name: 'workflow_dispatch' | 'issue_comment';
  context: Record<string, unknown>;
}

const PR = 7;
const dispatch = (id: string): Event => ({
  id,
  name: 'workflow_dispatch',
  context: {
    github: { event_name: 'workflow_dispatch', event: { inputs: { 'pull-request': `${PR}` } } },
    inputs: { 'pull-request': `${PR}` },
  },
});
let commentIds = 4000;
const comment = (id: string, body: string): Event => ({
  id,
  name: 'issue_comment',
  context: {
    github: {
      event_name: 'issue_comment',
      event: { issue: { number: PR, pull_request: {} }, comment: { id: ++commentIds, body } },
    },
    inputs: {},
  },
});

/** Queues each event's run of the job that handles it, in the group the workflow gives it. */
function queue(wf: Workflow, m: ConcurrencyModel, e: Event): void {
  const { job } = jobFor(wf, e.name);
  const c = job.concurrency;
  if (c === undefined) throw new Error('operate has no concurrency');
  const group = typeof c === 'string' ? c : c.group;
  const cancel = typeof c === 'string' ? false : c['cancel-in-progress'] === true;
  m.queue(e.id, evaluateTemplate(group, e.context), cancel);
}

function scenario(text: string): ConcurrencyModel {
  const wf = parseWorkflow(text);
  const m = new ConcurrencyModel();
  // The hand-over's run is still provisioning and checking when the requester, reading an earlier
  // prompt, confirms; then someone asks for /help and someone else comments /looks-good.
  queue(wf, m, dispatch('hand-over'));
  queue(wf, m, comment('confirm', '/confirm 0123456789abcdef'));
  queue(wf, m, comment('help', '/help'));
  queue(wf, m, comment('typo', '/lgtm'));
  return m;
}

// The operate group as published before this change: one group per pull request.
const PER_PR_GROUP =
  'group: deploy-request-${{ github.event.issue.number || inputs.pull-request }}';

describe('stray comments and the concurrency of the shipped workflow', () => {
  it('the model catches the hole: with a per-PR group, a later /help cancels a queued /confirm', () => {
    const before = EXAMPLE_WORKFLOW.replace(
      /group: deploy-request-\$\{\{ github\.event_name.*$/m,
      PER_PR_GROUP,
    );
    expect(before).toContain(PER_PR_GROUP);
    const m = scenario(before);
    expect(m.stateOf('confirm')).toBe('cancelled');
  });

  it('docs/examples/workflows/deploy-request.yml: no comment can cancel a /confirm', () => {
    const m = scenario(EXAMPLE_WORKFLOW);
    expect(m.stateOf('hand-over')).toBe('running');
    expect(m.stateOf('confirm')).toBe('running');
    expect(m.stateOf('help')).toBe('running');
    expect(m.stateOf('typo')).toBe('running');
  });

  it('an edited /confirm shares its comment’s group: it waits for the first run, never cancels it', () => {
    const wf = parseWorkflow(EXAMPLE_WORKFLOW);
    const m = new ConcurrencyModel();
    const first = comment('confirm', '/confirm 0123456789abcdef');
    queue(wf, m, first);
    queue(wf, m, { ...first, id: 'confirm-edited' });
    expect(m.stateOf('confirm')).toBe('running');
    expect(m.stateOf('confirm-edited')).toBe('pending');
    // Hand-overs of one pull request still queue behind each other (one group per PR).
    queue(wf, m, dispatch('hand-over-1'));
    queue(wf, m, dispatch('hand-over-2'));
    expect(m.stateOf('hand-over-2')).toBe('pending');
  });
});
