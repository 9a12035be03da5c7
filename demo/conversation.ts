// The pull request as a person reads it on GitHub: after each step, what is new in its
// conversation (comments, reviews, review requests) and beside it (commit statuses, the
// Deployment, the hand-over dispatch). An edited comment shows only the parts that changed.
import type { GitHubStandIn } from '../test/support/github-stand-in/index.js';
import { commentLines, stripHtmlComments } from './comment-text.js';
import type { Out } from './output.js';

const STATUS_ICON: Record<string, [string, 'green' | 'yellow' | 'red']> = {
  success: ['✔', 'green'],
  pending: ['●', 'yellow'],
  failure: ['✖', 'red'],
  error: ['✖', 'red'],
};

const DEPLOYMENT_COLOUR: Record<string, 'green' | 'yellow' | 'red'> = {
  success: 'green',
  failure: 'red',
  error: 'red',
  inactive: 'red',
};

export class Conversation {
  private readonly comments = new Map<number, string>();
  private readonly reviews = new Set<number>();
  private requested = new Set<string>();
  private readonly statuses = new Map<string, string>();
  private readonly deploymentStatuses = new Set<number>();
  private dispatches = 0;

  constructor(
    private readonly gh: GitHubStandIn,
    private readonly pr: number,
    private out: Out,
  ) {}

  /** Marks everything so far as seen without printing it (a step the demo only summarises). */
  catchUp(): void {
    const shown = this.out;
    this.out = { ...shown, line: () => undefined };
    try {
      this.show();
    } finally {
      this.out = shown;
    }
  }

  /** Prints what happened on the pull request since the last call. */
  show(): void {
    this.showReviews();
    this.showComments();
    this.showRequests();
    this.showStatuses();
    this.showDeployments();
    this.showDispatches();
  }

  private showReviews(): void {
    const s = this.out.style;
    for (const review of this.gh.reviews(this.pr)) {
      if (this.reviews.has(review.id)) continue;
      this.reviews.add(review.id);
      const verb =
        review.state === 'APPROVED'
          ? s.green('approved these changes')
          : review.state === 'CHANGES_REQUESTED'
            ? s.red('requested changes')
            : 'reviewed';
      this.out.line(`  ${s.green('✔')} ${s.bold(review.user)} ${verb}`);
    }
  }

  private showComments(): void {
    for (const comment of this.gh.comments(this.pr)) {
      const before = this.comments.get(comment.id);
      this.comments.set(comment.id, comment.body);
      if (before === undefined) {
        this.card(`${comment.user} commented`, comment.body);
      } else if (visible(before) !== visible(comment.body)) {
        const isStatus = comment.body.startsWith('<!-- deploy-request:status -->');
        this.card(
          `${comment.user} updated ${isStatus ? 'the status comment' : 'a comment'}`,
          changedParts(before, comment.body),
          'only what changed is shown',
        );
      }
    }
  }

  private card(title: string, markdown: string, note?: string): void {
    const s = this.out.style;
    const [who, ...rest] = title.split(' ');
    const bar = s.dim('  │ ');
    this.out.line();
    this.out.line(
      `${s.dim('  ┌─')} ${s.bold(who ?? '')} ${rest.join(' ')}${note ? s.dim(`  (${note})`) : ''}`,
    );
    const lines = commentLines(markdown, s);
    for (const line of lines) this.out.line(line === '' ? bar.trimEnd() : bar + line);
    this.out.line(s.dim('  └─'));
  }

  private showRequests(): void {
    const s = this.out.style;
    const now = this.gh.requestedReviewers(this.pr);
    const current = new Set([...now.users, ...now.teams.map((team) => `${this.gh.owner}/${team}`)]);
    for (const who of current) {
      if (this.requested.has(who)) continue;
      const kind = who.includes('/') ? 'team ' : '';
      // Requests are made with the workflow's token, so GitHub shows github-actions[bot].
      this.out.line(
        `  ${s.magenta('◇')} github-actions[bot] requested a review from ${kind}${s.bold(`@${who}`)}`,
      );
    }
    this.requested = current;
  }

  private showStatuses(): void {
    const s = this.out.style;
    const sha = this.gh.pull(this.pr).headSha;
    const changed = this.gh
      .combinedStatus(sha)
      .statuses.filter((st) => this.statuses.get(st.context) !== `${st.state} ${st.description}`);
    const pad = Math.max(0, ...changed.map((st) => st.context.length));
    for (const st of changed) {
      this.statuses.set(st.context, `${st.state} ${st.description}`);
      const [icon, colour] = STATUS_ICON[st.state] ?? ['?', 'yellow'];
      this.out.line(
        `  ${s[colour](icon)} ${st.context.padEnd(pad)}  ${s[colour](st.state.padEnd(7))}  ${s.dim(st.description ?? '')}`,
      );
    }
  }

  private showDeployments(): void {
    const s = this.out.style;
    for (const d of this.gh.deployments()) {
      const fresh = this.gh
        .deploymentStatuses(d.id)
        .filter((st) => !this.deploymentStatuses.has(st.id));
      if (fresh.length === 0) continue;
      for (const st of fresh) this.deploymentStatuses.add(st.id);
      const states = fresh.map((st) => {
        const colour = DEPLOYMENT_COLOUR[st.state] ?? 'yellow';
        return s[colour](st.state);
      });
      const last = fresh[fresh.length - 1];
      this.out.line(
        `  ${s.cyan('⬢')} Deployment ${d.id} to ${s.bold(d.environment)}: ${states.join(' → ')}${
          last?.description ? s.dim(`  ${last.description}`) : ''
        }`,
      );
    }
  }

  private showDispatches(): void {
    const s = this.out.style;
    const all = this.gh.dispatches();
    for (const d of all.slice(this.dispatches)) {
      const inputs = Object.entries(d.inputs)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(', ');
      this.out.line(
        `  ${s.cyan('↪')} Hand-over: workflow_dispatch of ${s.bold(d.workflow)} on ${s.bold(d.ref)} (${inputs}) by ${d.actor}`,
      );
    }
    this.dispatches = all.length;
  }
}

/** The text a reader sees (hidden HTML comments removed). */
function visible(markdown: string): string {
  return stripHtmlComments(markdown).trim();
}

/** Markdown blocks separated by blank lines (a fenced code block stays whole). */
export function chunks(markdown: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let fence: string | undefined;
  for (const line of visible(markdown).split('\n')) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (!fence || (marker[0] === fence[0] && marker.length >= fence.length)))
      fence = fence ? undefined : marker;
    if (!fence && line.trim() === '') {
      if (current.length) out.push(current.join('\n'));
      current = [];
    } else current.push(line);
  }
  if (current.length) out.push(current.join('\n'));
  return out;
}

/**
 * The parts of an edited comment that a reader would notice: its title, every new or changed
 * block, and the heading of the section each of those is in.
 */
export function changedParts(before: string, after: string): string {
  const old = new Set(chunks(before));
  const parts = chunks(after);
  const isHeading = (chunk: string) => /^#{1,6}\s/.test(chunk);
  // A table, list or code block means little without the heading it sits under.
  const needsHeading = (chunk: string) => /^\s*(\||[-*+] |\d+[.)] |```|~~~)/.test(chunk);
  const keep = new Set<number>();
  if (parts[0] !== undefined && isHeading(parts[0])) keep.add(0);
  parts.forEach((chunk, i) => {
    if (old.has(chunk)) return;
    keep.add(i);
    if (!needsHeading(chunk)) return;
    for (let h = i - 1; h >= 0; h--) {
      if (isHeading(parts[h] as string)) {
        keep.add(h);
        break;
      }
    }
  });
  return [...keep]
    .sort((a, b) => a - b)
    .map((i) => parts[i])
    .join('\n\n');
}
