// Break-glass as people read it: the reply to /emergency, the banner the confirmation prompt shows,
// the refusals, and the follow-up review issue. Loud on purpose: an emergency deployment bypasses
// part of the usual policy, and everyone on the pull request should see that it did.
import type { EmergencyConfig } from '../config/types.js';
import type { EmergencySwitch } from '../policy/emergency-policy.js';
import { renderMarkdown, type Block, type Inline } from './markdown.js';

/** People and teams, each mentioned: GitHub notifies a team's members through `@org/team`. */
function list(names: string[]): Inline[] {
  return names.flatMap((n, i): Inline[] => [...(i ? [', '] : []), { mention: n }]);
}

function skipped(policy: EmergencyConfig): string {
  const skips = policy.may_skip.map((s) =>
    s === 'windows' ? 'deployment windows and freezes' : 'the usual approval stages',
  );
  return skips.length ? `It skips ${skips.join(' and ')}.` : 'It skips no gate.';
}

/** The banner shown above the prompt and in the reply: who switched, why, what is skipped. */
export function emergencyBanner(sw: EmergencySwitch, policy: EmergencyConfig): Block[] {
  return [
    { kind: 'heading', level: 3, text: '🚨 BREAK-GLASS: emergency deployment' },
    {
      kind: 'paragraph',
      text: [
        { mention: sw.by },
        ` switched this request for `,
        { code: sw.environment },
        ` to the emergency policy at ${sw.at}: `,
        { strong: sw.reason },
      ],
    },
    {
      kind: 'paragraph',
      text: [
        `${skipped(policy)} Host-key pinning, artifact verification and the environment lock are never skipped. After the deployment, a review issue goes to `,
        ...list(policy.review.reviewers),
        ` (due within ${policy.review.within_hours} hours).`,
      ],
    },
  ];
}

/** The status comment's line while a request is under the emergency policy. */
export function emergencyNote(sw: EmergencySwitch): Inline[] {
  return [
    { strong: '🚨 BREAK-GLASS' },
    ': switched to the emergency policy by ',
    { mention: sw.by },
    ` at ${sw.at}: `,
    sw.reason,
  ];
}

export interface EmergencyReplyView {
  emergency: EmergencySwitch;
  policy: EmergencyConfig;
  /** Whom GitHub was asked for a review (logins and team slugs). */
  asked: string[];
  prefix: string;
}

export function emergencySwitchedReply(view: EmergencyReplyView): string {
  const { policy, prefix } = view;
  return renderMarkdown([
    ...emergencyBanner(view.emergency, policy),
    {
      kind: 'paragraph',
      text: [
        `Next: ${policy.required} approval${policy.required === 1 ? '' : 's'} from `,
        ...list(policy.approvers),
        view.asked.length ? ' (review requested from ' : '',
        ...(view.asked.length ? list(view.asked) : []),
        view.asked.length ? ')' : '',
        policy.may_skip.includes('stages') ? '' : ' after the usual stages',
        '; the requester never counts. Once they approve, the trusted run opens the confirmation prompt (or comment ',
        { code: `${prefix}recheck` },
        '); confirm it with its digest as usual.',
      ],
    },
  ]);
}

export function notConfiguredReason(environment: string, configPath: string): Inline[] {
  return [
    'environment ',
    { code: environment },
    ' has no break-glass policy. Add ',
    { code: `environments.${environment}.emergency` },
    ' to ',
    { code: configPath },
    ' on the default branch (see the README, "Break-glass").',
  ];
}

export function alreadySwitchedReason(sw: EmergencySwitch): Inline[] {
  return [
    'this request is already on the emergency policy (switched by ',
    { mention: sw.by },
    ` at ${sw.at}: `,
    sw.reason,
    ').',
  ];
}

export function overdueReviewReason(
  late: { review: { issue: number; at: string }; closedBy?: string },
  environment: string,
  review: { reviewers: string[]; within_hours: number },
): Inline[] {
  const { issue, at } = late.review;
  const head: Inline[] = [
    'the emergency deployment to ',
    { code: environment },
    ` at ${at} has not been reviewed within ${review.within_hours} hours`,
  ];
  if (late.closedBy === undefined)
    return [...head, `: review it and close issue #${issue}, then try again.`];
  return [
    ...head,
    `: issue #${issue} was closed by `,
    { mention: late.closedBy },
    ', who is not among ',
    { code: 'review.reviewers' },
    ' (',
    ...list(review.reviewers),
    '). One of them reviews it: reopen the issue and let them close it, then try again.',
  ];
}

export interface ReviewIssueView {
  emergency: EmergencySwitch;
  policy: EmergencyConfig;
  pr: number;
  release: string;
  application: string;
  result: string;
  runUrl: string;
  /** When the review is due (ISO). */
  dueAt: string;
  /** The signed record line that a later /emergency reads (hidden). */
  record: string;
}

export function reviewIssue(view: ReviewIssueView): { title: string; body: string } {
  const { emergency: sw, policy } = view;
  const body = renderMarkdown([
    {
      kind: 'paragraph',
      text: [
        '🚨 An emergency deployment went out under the break-glass policy and needs a review: ',
        ...list(policy.review.reviewers),
        `. Close this issue once it is reviewed; until then, after ${view.dueAt}, the next `,
        { code: '/emergency' },
        ' for ',
        { code: sw.environment },
        ' is refused.',
      ],
    },
    {
      kind: 'table',
      headers: ['', ''],
      rows: [
        [['Pull request'], [`#${view.pr}`]],
        [
          ['Deployed'],
          [{ code: `${view.application} ${view.release}` }, ` → `, { code: sw.environment }],
        ],
        [['Result'], [view.result]],
        [['Switched by'], [{ mention: sw.by }, ` at ${sw.at}`]],
        [['Reason'], [sw.reason]],
        [['Skipped'], [policy.may_skip.length ? policy.may_skip.join(', ') : 'nothing']],
        [['Run'], [{ link: 'workflow run', href: view.runUrl }]],
        [['Review due'], [view.dueAt]],
      ],
    },
  ]);
  return {
    title: `Break-glass review: ${sw.environment} (#${view.pr}, ${view.application} ${view.release})`,
    body: `${body}\n${view.record}\n`,
  };
}
