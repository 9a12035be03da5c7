// The confirmation comment: the exact plan the requester is asked to confirm, and the command.
import type { EmergencyConfig } from '../config/types.js';
import type { EmergencySwitch } from '../policy/emergency-policy.js';
import { emergencyBanner } from './emergency-view.js';
import type { ServerEnvironmentResult } from '../environment/types.js';
import type { Plan } from '../request/plan.js';
import { DIGEST_SHOWN } from '../confirm/digest.js';
import type { Hold } from '../state/environment-hold.js';
import { holdBlocks } from './hold-view.js';
import { windowBlocks } from './window-view.js';
import { renderMarkdown, type Block, type Inline } from './markdown.js';
import { builtFrom, type RequiredChecksView } from './required-checks-view.js';

export interface ConfirmationView {
  plan: Plan;
  digest: string;
  expiresAt: string;
  requester: string;
  prefix: string;
  results: ServerEnvironmentResult[];
  approvers: string[];
  headSha: string;
  /** An operator's hold standing on the environment when the prompt opened (/lock). */
  hold?: Hold;
  /** The deployment-window state when the prompt opened, if the environment has `windows`. */
  window?: { line: Inline[]; open: boolean; opensAt?: Date };
  /** require_checks: the commit the checks passed on, bound into the digest. */
  requiredChecks?: RequiredChecksView;
  /** A break-glass request: the switch (bound into the digest) and the policy it runs under. */
  emergency?: { emergency: EmergencySwitch; policy: EmergencyConfig };
}

export function renderConfirmation(view: ConfirmationView): string {
  const { plan } = view;
  const artifact = plan.artifact;
  const where =
    'url' in artifact
      ? artifact.url
      : 'release_asset' in artifact
        ? `${artifact.release_asset.tag}/${artifact.release_asset.name}`
        : artifact.path;
  const source: Inline[] = [{ code: where }, ' sha256 ', { code: artifact.sha256 }];
  const command = `${view.prefix}confirm ${view.digest.slice(0, DIGEST_SHOWN)}`;
  const blocks: Block[] = [
    ...(view.emergency ? emergencyBanner(view.emergency.emergency, view.emergency.policy) : []),
    { kind: 'heading', level: 3, text: '🟡 Confirm this deployment' },
    {
      kind: 'paragraph',
      text: [
        'Every approval stage is met and every server passed its checks. ',
        { mention: view.requester },
        ', this is the exact plan:',
      ],
    },
    {
      kind: 'table',
      headers: ['', ''],
      rows: [
        [['Application'], [{ code: plan.application }]],
        [['Release'], [{ code: plan.release }]],
        [['Environment'], [{ code: plan.environment }]],
        [['Artifact'], source],
        [['Batches'], [plan.batches.map((b, i) => `${i + 1}: ${b.join(', ')}`).join(' → ')]],
        [
          ['Variables'],
          [
            Object.keys(plan.variables).length
              ? Object.entries(plan.variables)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(', ')
              : '—',
          ],
        ],
        [
          ['Approved by'],
          view.approvers.flatMap((a, i): Inline[] =>
            i ? [', ', { mention: a }] : [{ mention: a }],
          ),
        ],
        [['Head commit'], [{ code: view.headSha }]],
        ...(view.requiredChecks ? [[['Checks'], builtFrom(view.requiredChecks)]] : []),
        ...(view.emergency
          ? [[['Policy'], [{ strong: 'BREAK-GLASS' }, ': ', view.emergency.emergency.reason]]]
          : []),
        [['Digest'], [{ code: view.digest }]],
        ...(view.window ? [[['Window'], view.window.line]] : []),
      ],
    },
    { kind: 'paragraph', text: ['To deploy, comment exactly:'] },
    { kind: 'code', lang: '', text: command },
    {
      kind: 'paragraph',
      text: [
        `This prompt expires at ${view.expiresAt}. A new push, a change of the configuration or a lost approval voids it.`,
      ],
    },
    ...(view.hold ? holdBlocks(view.hold, view.prefix) : []),
    ...(view.window ? windowBlocks(view.window, view.expiresAt, view.prefix) : []),
  ];
  return renderMarkdown(blocks);
}
