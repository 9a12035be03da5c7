// Which release a /rollback switches to. Pure: the servers' ledgers come in as data (read in one
// round trip per server), the answer is a plan or the reason there is none. A release is offered
// only when every target server has it complete and none marks it bad: a rollback never switches
// one server to something another server lacks.

/** What the selection reads of a server's ledger (src/ledger/ gives more). */
export interface LedgerReleaseFacts {
  id: string;
  complete: boolean;
  bad: boolean;
  badReason?: string;
}

export type ServerReleases =
  | { server: string; ok: true; current: string | null; releases: LedgerReleaseFacts[] }
  | { server: string; ok: false; error: string };

export interface RollbackTarget {
  target: string;
  /** Per server (in the order given), the release `current` points to now. */
  expected: Record<string, string>;
}

export type Selection = ({ ok: true } & RollbackTarget) | { ok: false; reason: string };

/** Release ids start with their UTC time (YYYYMMDDTHHMMSSZ-…), so text order is age order. */
const newer = (a: string, b: string): boolean => a > b;

interface Reachable {
  server: string;
  current: string;
  byId: Map<string, LedgerReleaseFacts>;
}

/** Why `id` cannot be rolled back to, or undefined when it can. */
function whyNot(id: string, servers: Reachable[], newestCurrent: string): string | undefined {
  const missing = servers
    .filter((s) => !s.byId.get(id)?.complete)
    .map((s) => `${s.server}${s.byId.has(id) ? ' (unfinished)' : ' (missing)'}`);
  if (missing.length) return `release \`${id}\` is incomplete on ${missing.join(', ')}`;
  const bad = servers.find((s) => s.byId.get(id)!.bad);
  if (bad) {
    const reason = bad.byId.get(id)!.badReason ?? 'no reason recorded';
    return `release \`${id}\` is marked bad: ${reason} (on ${bad.server})`;
  }
  if (servers.every((s) => s.current === id))
    return `release \`${id}\` is already current on every server`;
  if (!newer(newestCurrent, id))
    return `release \`${id}\` is not older than the current release \`${newestCurrent}\`; a rollback only goes back`;
  return undefined;
}

/**
 * The plan for `named`, or without a name the newest candidate: complete on every server, not
 * marked bad, older than the newest current release and not already current everywhere.
 */
export function selectRelease(ledgers: ServerReleases[], named?: string): Selection {
  const refuse = (reason: string): Selection => ({ ok: false, reason });
  const unreachable = ledgers.flatMap((l) => (l.ok ? [] : [`${l.server} (${l.error})`]));
  if (unreachable.length) {
    const which = unreachable.join('; ');
    return refuse(
      `the releases of ${which} could not be read, so no rollback is offered: a release is offered only when every server is known to have it. Fix the connection and comment again.`,
    );
  }
  const servers: Reachable[] = [];
  for (const l of ledgers.flatMap((x) => (x.ok ? [x] : []))) {
    if (l.current === null)
      return refuse(
        `${l.server} has no \`current\` release, so there is nothing to roll back from.`,
      );
    servers.push({
      server: l.server,
      current: l.current,
      byId: new Map(l.releases.map((r) => [r.id, r])),
    });
  }
  if (!servers.length) return refuse('the request targets no server.');
  const expected = Object.fromEntries(servers.map((s) => [s.server, s.current]));
  const newestCurrent = servers.map((s) => s.current).reduce((a, b) => (newer(b, a) ? b : a));
  if (named !== undefined) {
    if (servers.every((s) => !s.byId.has(named)))
      return refuse(
        `unknown release \`${named}\`: no target server keeps it. ${keptHint(servers[0]!)}`,
      );
    const why = whyNot(named, servers, newestCurrent);
    return why ? refuse(`${why}.`) : { ok: true, target: named, expected };
  }
  const ids = [...new Set(servers.flatMap((s) => [...s.byId.keys()]))]
    .filter((id) => newer(newestCurrent, id))
    .sort()
    .reverse();
  const target = ids.find((id) => whyNot(id, servers, newestCurrent) === undefined);
  if (target) return { ok: true, target, expected };
  const reasons = ids.slice(0, 3).map((id) => whyNot(id, servers, newestCurrent)!);
  return refuse(
    `no earlier release is complete on every server and unmarked${reasons.length ? `: ${reasons.join('; ')}` : ' (the servers keep no release older than the current one)'}.`,
  );
}

function keptHint(server: Reachable): string {
  const ids = [...server.byId.keys()].sort().reverse().slice(0, 5);
  return ids.length
    ? `${server.server} keeps ${ids.map((id) => `\`${id}\``).join(', ')}.`
    : `${server.server} keeps no releases.`;
}

export type PlanCheck =
  | { ok: true }
  /** `stale`: the servers moved on, the plan can never run; otherwise it may, later. */
  | { ok: false; stale: boolean; reason: string };

/**
 * Whether a confirmed plan still fits the servers, read again under the lock: each still on the
 * release the plan expects, with the target complete. Anything else would be refused on the
 * server anyway; here it is refused before any server changes, with a reason.
 */
export function checkPlan(
  ledgers: ServerReleases[],
  target: string,
  expected: Record<string, string>,
  prefix: string,
): PlanCheck {
  const unreachable = ledgers.flatMap((l) => (l.ok ? [] : [`${l.server} (${l.error})`]));
  if (unreachable.length)
    return {
      ok: false,
      stale: false,
      reason: `the releases of ${unreachable.join('; ')} could not be read; nothing was switched and the plan stays open. Confirm again when every server answers.`,
    };
  const moved: string[] = [];
  for (const l of ledgers.flatMap((x) => (x.ok ? [x] : []))) {
    if (l.current !== expected[l.server])
      moved.push(`${l.server} is on \`${l.current ?? 'nothing'}\`, not \`${expected[l.server]}\``);
    else if (!l.releases.some((r) => r.id === target && r.complete))
      moved.push(`${l.server} no longer has \`${target}\` complete`);
  }
  if (!moved.length) return { ok: true };
  return {
    ok: false,
    stale: true,
    reason: `the servers changed since the plan (${moved.join('; ')}); nothing was switched. Comment \`${prefix}rollback\` for a new plan.`,
  };
}
