// Holds (/lock, /unlock) as people read them: the replies to the commands, the sentence a refused
// /confirm (or /rollback) gives, and the block the confirmation comment shows while a hold stands.
import type { Hold } from '../state/environment-hold.js';
import { renderMarkdown, type Block, type Inline } from './markdown.js';

function until(hold: Hold): string {
  return hold.expiresAt ? `until ${hold.expiresAt}` : 'until unlocked';
}

/** "environment `x` is held by @a since … (reason: …, until …); an operator can `/unlock x`." */
export function holdSentence(hold: Hold, prefix: string): Inline[] {
  return [
    'environment ',
    { code: hold.environment },
    ' is held by ',
    { mention: hold.holder },
    ` since ${hold.since} (reason: `,
    hold.reason,
    `, ${until(hold)}); an operator can `,
    { code: `${prefix}unlock ${hold.environment}` },
    '.',
  ];
}

export function holdPlacedReply(hold: Hold, prefix: string): string {
  return renderMarkdown([
    {
      kind: 'paragraph',
      text: [
        '🔒 Environment ',
        { code: hold.environment },
        ' is now held by ',
        { mention: hold.holder },
        ': ',
        hold.reason,
      ],
    },
    {
      kind: 'paragraph',
      text: [
        `Since ${hold.since}, ${until(hold)}. No deployment starts there (`,
        { code: `${prefix}confirm` },
        ' is refused) until an operator comments ',
        { code: `${prefix}unlock ${hold.environment}` },
        hold.expiresAt ? ' or the hold expires.' : '.',
      ],
    },
  ]);
}

/** The hold already standing when someone asked for one. */
export function alreadyHeldReason(hold: Hold, prefix: string): Inline[] {
  return ['it is already held: ', ...holdSentence(hold, prefix)];
}

export function holdLiftedReply(
  lifted: Hold,
  expired: boolean,
  by: string,
  prefix: string,
): string {
  const what: Inline[] = [
    'The hold of ',
    { code: lifted.environment },
    ' by ',
    { mention: lifted.holder },
    ` (since ${lifted.since}, reason: `,
    lifted.reason,
    ')',
  ];
  const text: Inline[] = expired
    ? [...what, ` had already expired at ${lifted.expiresAt}; `, { mention: by }, ' removed it.']
    : ['🔓 ', ...what, ' was lifted by ', { mention: by }, '.'];
  return renderMarkdown([
    { kind: 'paragraph', text },
    {
      kind: 'paragraph',
      text: [
        'Deployments to ',
        { code: lifted.environment },
        ' may start again; an open prompt is confirmed with ',
        { code: `${prefix}confirm <digest>` },
        ' as before.',
      ],
    },
  ]);
}

export function notHeldReason(environment: string): Inline[] {
  return ['environment ', { code: environment }, ' is not held; there is nothing to unlock.'];
}

/** Why `login` may not /lock or /unlock: who may, and where that is configured. */
export function notOperatorReason(
  login: string,
  environment: string,
  operators: readonly string[],
  configPath: string,
): Inline[] {
  const where: Inline[] = [
    ' (',
    { code: 'operators' },
    ' of environment ',
    { code: environment },
    ' in ',
    { code: configPath },
    ').',
  ];
  if (operators.length === 0) {
    return [
      { mention: login },
      ' may not lock or unlock ',
      { code: environment },
      ': the environment has no operators. Add logins or org/team slugs to it',
      ...where,
    ];
  }
  const who = operators.flatMap((entry, i): Inline[] => [
    i === 0 ? '' : ', ',
    entry.includes('/') ? { code: entry } : { mention: entry },
  ]);
  return [
    { mention: login },
    ' may not lock or unlock ',
    { code: environment },
    '; only ',
    ...who,
    ' may',
    ...where,
  ];
}

/** What the confirmation comment shows while a hold stands on its environment. */
export function holdBlocks(hold: Hold, prefix: string): Block[] {
  return [
    {
      kind: 'paragraph',
      text: [
        { strong: '🔒 Held:' },
        ' ',
        ...holdSentence(hold, prefix),
        ' Until then ',
        { code: `${prefix}confirm` },
        ' is refused; this prompt stays open.',
      ],
    },
  ];
}
