// Where a request stands on approvals, recomputed from the PR's reviews on every run (SPEC §3,
// §4 invariants 2 and 3). Pure: the caller fetches reviews and team membership.
import type { ApprovalStage } from '../config/types.js';
import type { Review } from '../domain/review.js';
import { assignToStages } from './assign-to-stages.js';
import { listIgnored } from './ignored-reviews.js';
import { latestVerdicts, type PersonReviews } from './latest-verdicts.js';
import { isBotLogin, loginKey } from '../domain/logins.js';
import { indexTeams, resolveStage, type ResolvedStage } from './stage-members.js';

export interface ApprovalInput {
  author: string;
  headSha: string;
  /** In submission order, as GitHub lists them. */
  reviews: Review[];
  stages: ApprovalStage[];
  ordered: boolean;
  allowSelfApproval: boolean;
  /** 'acme/ops' -> member logins (slugs and logins compare case-insensitively). */
  teamMembers: ReadonlyMap<string, readonly string[]>;
  /**
   * Team entries whose members were not looked up because no decision depends on them (see
   * teamsToLookUp). Unknown, not empty: named as the team in `eligible`, and taken to have enough
   * members of their own when judging whether a stage can ever be met.
   */
  unknownTeams?: readonly string[];
}

export type StageStatus = 'met' | 'pending' | 'waiting' | 'blocked';

export type IgnoredReason =
  'author' | 'bot' | 'not-a-reviewer' | 'stale' | 'superseded' | 'already-counted';

export interface IgnoredApproval {
  user: string;
  reason: IgnoredReason;
  /** For 'already-counted': the stage this approval does not count for (it counts elsewhere). */
  stage?: string;
}

export interface StageState {
  name: string;
  required: number;
  status: StageStatus;
  /** Counted for this stage (approved on the head SHA), in submission order. */
  approvedBy: string[];
  /** Reviewers of this stage whose latest verdict is an approval of an older commit. */
  stale: { user: string; commitId: string }[];
  /** Reviewers of this stage whose latest verdict is "changes requested" (any commit). */
  changesRequestedBy: string[];
  /** Who could still approve: members not counted anywhere, never the author (unless allowed) or a
   * bot; then the stage's unknown teams ('acme/ops'), whose members were not looked up. */
  eligible: string[];
  /** required - approvedBy.length, at least 0. */
  missing: number;
  /** For 'waiting': the earlier stage that is not met yet. */
  waitingFor?: string;
  /** Why the stage can never be met, when it cannot. */
  unreachable?: string;
}

export interface ApprovalState {
  stages: StageState[];
  approved: boolean;
  /** Index of the first stage that is not met; null when approved. */
  currentStage: number | null;
  /** Approvals that do not count, each with the reason, in submission order. */
  ignored: IgnoredApproval[];
  /** Everyone who counted, in stage order. */
  approvers: string[];
  /** Reviewers whose "changes requested" blocks the whole request. */
  blockedBy: string[];
}

export function evaluateApprovals(input: ApprovalInput): ApprovalState {
  const people = latestVerdicts(input.reviews);
  const teams = indexTeams(input.teamMembers);
  const unknown = new Set((input.unknownTeams ?? []).map(loginKey));
  const stages = input.stages.map((stage) => resolveStage(stage, teams, unknown));
  const authorKey = loginKey(input.author);
  const mayCount = (key: string): boolean =>
    !(people.get(key)?.isBot ?? isBotLogin(key)) && (input.allowSelfApproval || key !== authorKey);
  // Per stage, the people whose approval could count for it.
  const pools = stages.map((stage) => new Set([...stage.members.keys()].filter(mayCount)));
  const inSomePool = (key: string): boolean => pools.some((pool) => pool.has(key));

  const head = input.headSha.toLowerCase();
  const byVerdict = [...people.values()]
    .filter((person) => person.verdict !== null)
    .sort((a, b) => a.verdict!.index - b.verdict!.index);
  const withVerdict = (state: string): PersonReviews[] =>
    byVerdict.filter((person) => person.verdict!.state === state && inSomePool(person.key));
  const approvals = withVerdict('APPROVED');
  const current = approvals.filter((p) => p.verdict!.commitId.toLowerCase() === head);
  const staleOnes = approvals.filter((p) => !current.includes(p));
  const requestingChanges = withVerdict('CHANGES_REQUESTED');

  const slots = stages.map((stage, i) => ({ members: pools[i]!, required: stage.required }));
  const currentKeys = current.map((person) => person.key);
  const assigned = assignToStages(slots, currentKeys);
  // Approvals beyond what a stage needs still count (and show) in their earliest stage.
  // (Unassigned means every stage they belong to is already full.)
  for (const key of currentKeys.filter((k) => !assigned.has(k))) {
    assigned.set(
      key,
      pools.findIndex((pool) => pool.has(key)),
    );
  }

  // Could every stage be met if everyone still eligible approved? If not, say which cannot.
  // Unknown teams join as stand-ins, enough to fill every stage that lists them, so no stage is
  // called unreachable for want of members that were not looked up.
  const standIns = standInsOf(stages);
  const bestSlots = slots.map((slot, i) => ({
    members: new Set([...slot.members, ...standIns[i]!]),
    required: slot.required,
  }));
  const everyone = [...new Set([...currentKeys, ...bestSlots.flatMap((s) => [...s.members])])];
  const bestCase = [...assignToStages(bestSlots, everyone).values()];

  const displayOf = (stage: ResolvedStage, key: string): string =>
    people.get(key)?.display ?? stage.members.get(key)!;
  let firstUnmet: string | undefined;
  const states = stages.map((stage, i): StageState => {
    const pool = pools[i]!;
    const approvedBy = current.filter((p) => assigned.get(p.key) === i).map((p) => p.display);
    const changesRequestedBy = requestingChanges
      .filter((p) => pool.has(p.key))
      .map((p) => p.display);
    const metCount = approvedBy.length >= stage.required;
    let status: StageStatus = metCount ? 'met' : 'pending';
    const waitingFor = input.ordered ? firstUnmet : undefined;
    if (changesRequestedBy.length > 0) status = 'blocked';
    else if (waitingFor !== undefined) status = 'waiting';
    if (status !== 'met') firstUnmet ??= stage.name;
    const reachable = bestCase.filter((s) => s === i).length >= stage.required;
    return {
      name: stage.name,
      required: stage.required,
      status,
      approvedBy,
      stale: staleOnes
        .filter((p) => pool.has(p.key))
        .map((p) => ({ user: p.display, commitId: p.verdict!.commitId })),
      changesRequestedBy,
      eligible: [
        ...[...pool].filter((key) => !assigned.has(key)).map((key) => displayOf(stage, key)),
        ...stage.unknownTeams,
      ],
      missing: Math.max(0, stage.required - approvedBy.length),
      ...(status === 'waiting' ? { waitingFor } : {}),
      ...(reachable ? {} : { unreachable: unreachableReason(stage, pool, authorKey) }),
    };
  });

  const currentStage = states.findIndex((state) => state.status !== 'met');
  return {
    stages: states,
    approved: currentStage === -1,
    currentStage: currentStage === -1 ? null : currentStage,
    ignored: listIgnored({
      people,
      head,
      authorKey,
      allowSelfApproval: input.allowSelfApproval,
      assigned,
      stages: states.map((s, i) => ({ name: s.name, pool: pools[i]!, open: s.missing > 0 })),
    }),
    approvers: states.flatMap((state) => state.approvedBy),
    blockedBy: requestingChanges.map((person) => person.display),
  };
}

/**
 * Per stage, stand-in keys for the members of its unknown teams: as many per team as all stages
 * listing it require, so those stages can all be met by stand-ins alone. A key holds a "/", which
 * no login has, so a stand-in is never mistaken for a person.
 */
function standInsOf(stages: readonly ResolvedStage[]): string[][] {
  const need = new Map<string, number>();
  for (const stage of stages) {
    for (const team of stage.unknownTeams.map(loginKey)) {
      need.set(team, (need.get(team) ?? 0) + stage.required);
    }
  }
  return stages.map((stage) =>
    stage.unknownTeams
      .map(loginKey)
      .flatMap((team) => Array.from({ length: need.get(team)! }, (_, n) => `${team}#${n}`)),
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function unreachableReason(
  stage: ResolvedStage,
  pool: ReadonlySet<string>,
  authorKey: string,
): string {
  const need = `needs ${plural(stage.required, 'approval')}`;
  if (pool.size >= stage.required) {
    return `${need}, but its reviewers are needed by other stages too and a person counts once`;
  }
  const notes = stage.emptyTeams.map((team) => `team ${team} has no known members`);
  if (stage.members.has(authorKey) && !pool.has(authorKey)) notes.push('the author cannot approve');
  const detail = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  return `${need} but has only ${plural(pool.size, 'eligible reviewer')}${detail}`;
}
