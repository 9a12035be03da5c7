// Comment commands (SPEC §3): only the first line counts, with the configured prefix.
// Pure: returns what was asked, or null when the comment is not for us.

export type Command =
  | { kind: 'confirm'; digest: string }
  | { kind: 'recheck' }
  | { kind: 'cancel' }
  | { kind: 'help' }
  /** /rollback [release-id]: without an id, the newest earlier release that qualifies. */
  | { kind: 'rollback'; releaseId?: string }
  /** /status [environment]: without one, the environment of this pull request's request. */
  | { kind: 'status'; environment?: string }
  /** /lock <environment> <reason> [for <duration>] */
  | { kind: 'lock'; environment: string; reason: string; forMinutes?: number }
  | { kind: 'unlock'; environment: string }
  /** /emergency <reason>: the requester switches the request to the break-glass policy. */
  | { kind: 'emergency'; reason: string }
  /** A known command with arguments that do not fit: `problem` says what is wrong. */
  | { kind: 'malformed'; word: string; problem: string; usage: string }
  | { kind: 'unknown'; word: string };

const MAX_LINE = 200;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const UNIT_MINUTES: Record<string, number> = { m: 1, min: 1, h: 60, d: 1440 };
const UNIT_WORDS: Record<string, string> = {
  minute: 'm',
  minutes: 'm',
  mins: 'min',
  hour: 'h',
  hours: 'h',
  day: 'd',
  days: 'd',
};

export const COMMAND_USAGE = {
  rollback: 'rollback [release-id]',
  status: 'status [environment]',
  lock: 'lock <environment> <reason> [for <duration>, e.g. 2h, 30m, 1d]',
  unlock: 'unlock <environment>',
  emergency: 'emergency <reason>',
} as const;

/** "2h", "30m", "1d", "90 minutes", "2 hours" → minutes; undefined when it is none of these. */
export function parseDuration(words: string[]): number | undefined {
  const text = words.join(' ').toLowerCase();
  const m = /^(\d{1,5})\s*([a-z]+)$/.exec(text);
  if (!m) return undefined;
  const unit = UNIT_WORDS[m[2]!] ?? m[2]!;
  const per = UNIT_MINUTES[unit];
  const n = Number(m[1]);
  return per === undefined || n === 0 ? undefined : n * per;
}

function parseLock(args: string[], prefix: string): Command {
  const usage = `${prefix}${COMMAND_USAGE.lock}`;
  const malformed = (problem: string): Command => ({
    kind: 'malformed',
    word: 'lock',
    problem,
    usage,
  });
  const [environment, ...rest] = args;
  if (!environment) return malformed('name the environment to lock and say why.');
  if (!NAME.test(environment)) return malformed(`\`${environment}\` is not an environment name.`);
  // "for <duration>" at the end: the last one or two words after the last "for".
  let forMinutes: number | undefined;
  let reasonWords = rest;
  const at = rest.map((w) => w.toLowerCase()).lastIndexOf('for');
  if (at >= 0 && rest.length - at <= 3 && rest.length - at >= 2) {
    const duration = parseDuration(rest.slice(at + 1));
    // "for 2 weeks" is a duration we cannot read; "waiting for Bob" is just the reason.
    if (duration === undefined && /^\d/.test(rest[at + 1]!)) {
      return malformed(
        `\`for ${rest.slice(at + 1).join(' ')}\` is not a duration; write e.g. \`for 2h\`, \`for 30m\` or \`for 1d\`.`,
      );
    }
    if (duration !== undefined) {
      forMinutes = duration;
      reasonWords = rest.slice(0, at);
    }
  }
  const reason = reasonWords.join(' ').trim();
  if (!reason) return malformed('say why the environment is locked, after its name.');
  return forMinutes === undefined
    ? { kind: 'lock', environment, reason }
    : { kind: 'lock', environment, reason, forMinutes };
}

export function parseCommand(body: string, prefix: string): Command | null {
  const firstLine = body
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/, 1)[0]!
    .trim();
  if (!prefix || !firstLine.startsWith(prefix) || firstLine.length > MAX_LINE) return null;
  const [word = '', ...args] = firstLine.slice(prefix.length).trim().split(/\s+/);
  if (!/^[a-z][a-z-]*$/i.test(word)) return null;
  const malformed = (name: keyof typeof COMMAND_USAGE, problem: string): Command => ({
    kind: 'malformed',
    word: name,
    problem,
    usage: `${prefix}${COMMAND_USAGE[name]}`,
  });
  switch (word.toLowerCase()) {
    case 'confirm':
      return { kind: 'confirm', digest: (args[0] ?? '').toLowerCase() };
    case 'recheck':
      return { kind: 'recheck' };
    case 'cancel':
      return { kind: 'cancel' };
    case 'help':
      return { kind: 'help' };
    case 'rollback':
      if (args.length > 1) return malformed('rollback', 'it takes at most one release id.');
      if (args[0] !== undefined && !NAME.test(args[0]))
        return malformed('rollback', `\`${args[0]}\` is not a release id.`);
      return args[0] === undefined
        ? { kind: 'rollback' }
        : { kind: 'rollback', releaseId: args[0] };
    case 'status':
      if (args.length > 1) return malformed('status', 'it takes at most one environment name.');
      if (args[0] !== undefined && !NAME.test(args[0]))
        return malformed('status', `\`${args[0]}\` is not an environment name.`);
      return args[0] === undefined ? { kind: 'status' } : { kind: 'status', environment: args[0] };
    case 'lock':
      return parseLock(args, prefix);
    case 'unlock':
      if (args.length !== 1) return malformed('unlock', 'name exactly one environment.');
      if (!NAME.test(args[0]!))
        return malformed('unlock', `\`${args[0]}\` is not an environment name.`);
      return { kind: 'unlock', environment: args[0]! };
    case 'emergency': {
      const reason = args.join(' ').trim();
      if (!reason) return malformed('emergency', 'say why this cannot wait for the usual policy.');
      return { kind: 'emergency', reason };
    }
    default:
      return { kind: 'unknown', word };
  }
}
