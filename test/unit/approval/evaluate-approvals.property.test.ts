// Properties over random reviews, stages and teams: the invariants of SPEC §4 (2 and 3) hold
// whatever the history, and nobody is ever deadlocked out of an approval that is possible.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { approvalStatusDescription } from '../../../src/approval/approval-summary.js';
import {
  evaluateApprovals,
  type ApprovalInput,
  type ApprovalState,
} from '../../../src/approval/evaluate-approvals.js';
import { planReviewRequests } from '../../../src/approval/plan-review-requests.js';
import { teamsToLookUp } from '../../../src/approval/teams-to-look-up.js';
import type { Review } from '../../../src/github/port.js';
import { HEAD, OLD } from './fixtures.js';

const PEOPLE = ['alice', 'Alice', 'bob', 'carol', 'dave', 'erin', 'dana', 'ci[bot]'];
const TEAMS = ['acme/t1', 'acme/t2', 'other/t3'];
const key = (login: string): string => login.toLowerCase();

const reviewArb = fc.record({
  user: fc.constantFrom(...PEOPLE),
  state: fc.constantFrom<Review['state'][]>(
    'APPROVED',
    'APPROVED',
    'CHANGES_REQUESTED',
    'COMMENTED',
    'DISMISSED',
    'PENDING',
  ),
  commitId: fc.constantFrom(HEAD, HEAD, OLD),
});

const inputArb: fc.Arbitrary<ApprovalInput> = fc
  .record({
    author: fc.constantFrom(...PEOPLE),
    reviews: fc.array(reviewArb, { maxLength: 12 }),
    stages: fc.array(
      fc.record({
        reviewers: fc.subarray([...PEOPLE, ...TEAMS]),
        required: fc.integer({ min: 0, max: 3 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    teams: fc.tuple(...TEAMS.map(() => fc.subarray(PEOPLE))),
    ordered: fc.boolean(),
    allowSelfApproval: fc.boolean(),
  })
  .map((r) => ({
    author: r.author,
    headSha: HEAD,
    reviews: r.reviews.map((rv, id) => ({
      ...rv,
      id,
      userIsBot: false,
      submittedAt: new Date(id * 1000).toISOString(),
    })),
    stages: r.stages.map((s, i) => ({ name: `s${i}`, ...s })),
    ordered: r.ordered,
    allowSelfApproval: r.allowSelfApproval,
    teamMembers: new Map(TEAMS.map((team, i) => [team, r.teams[i]!])),
  }));

/** Reference model: the person's standing verdict, by GitHub's rule. */
function verdictOf(input: ApprovalInput, login: string): Review | undefined {
  let verdict: Review | undefined;
  for (const r of input.reviews) {
    if (key(r.user) !== key(login)) continue;
    if (r.state === 'APPROVED' || r.state === 'CHANGES_REQUESTED') verdict = r;
    if (r.state === 'DISMISSED') verdict = undefined;
  }
  return verdict;
}

function membersOf(input: ApprovalInput, stage: number): Set<string> {
  const out = new Set<string>();
  for (const entry of input.stages[stage]!.reviewers) {
    const logins = entry.includes('/') ? input.teamMembers.get(entry)! : [entry];
    logins.forEach((l) => out.add(key(l)));
  }
  const may = (k: string) =>
    !k.endsWith('[bot]') && (input.allowSelfApproval || k !== key(input.author));
  return new Set([...out].filter(may));
}

/** Brute force: can the valid approvers be spread, one stage each, so that every stage is met? */
function feasible(input: ApprovalInput, approvers: string[]): boolean {
  const members = input.stages.map((_, i) => membersOf(input, i));
  const counts = input.stages.map(() => 0);
  const go = (n: number): boolean => {
    if (n === approvers.length) return counts.every((c, i) => c >= input.stages[i]!.required);
    for (let s = -1; s < members.length; s++) {
      if (s >= 0 && !members[s]!.has(approvers[n]!)) continue;
      if (s >= 0) counts[s]! += 1;
      const ok = go(n + 1);
      if (s >= 0) counts[s]! -= 1;
      if (ok) return true;
    }
    return false;
  };
  return go(0);
}

describe('evaluateApprovals properties', () => {
  it('holds the approval invariants for any history', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const state = evaluateApprovals(input);
        const counted = state.stages.flatMap((s) => s.approvedBy.map(key));

        // A person counts once: never in approvedBy of two stages.
        expect(new Set(counted).size).toBe(counted.length);
        expect(state.approvers.map(key)).toEqual(counted);
        // approved ⇔ every stage met ⇔ no current stage.
        expect(state.approved).toBe(state.stages.every((s) => s.status === 'met'));
        expect(state.currentStage === null).toBe(state.approved);
        if (state.blockedBy.length > 0) expect(state.approved).toBe(false);
        // The author never counts unless allowed; bots never count.
        if (!input.allowSelfApproval) expect(counted).not.toContain(key(input.author));
        expect(counted.some((k) => k.endsWith('[bot]'))).toBe(false);

        state.stages.forEach((stage, i) => {
          expect(stage.missing).toBe(Math.max(0, stage.required - stage.approvedBy.length));
          for (const user of stage.approvedBy) {
            // Counted only from a member of that stage, approving the head commit.
            expect(membersOf(input, i).has(key(user))).toBe(true);
            const verdict = verdictOf(input, user);
            expect(verdict?.state).toBe('APPROVED');
            expect(verdict?.commitId).toBe(HEAD);
          }
          if (stage.status === 'met') {
            expect(stage.missing).toBe(0);
            expect(stage.changesRequestedBy).toEqual([]);
          }
          if (state.approved) expect(stage.unreachable).toBeUndefined();
        });

        // No deadlock: when some one-stage-each assignment meets all stages and nobody blocks,
        // the request is approved.
        const valid = [...new Set(input.reviews.map((r) => key(r.user)))].filter((u) => {
          const v = verdictOf(input, u);
          return v?.state === 'APPROVED' && v.commitId === HEAD;
        });
        if (state.blockedBy.length === 0) expect(state.approved).toBe(feasible(input, valid));

        // "Unreachable" is said exactly when no one-stage-each assignment of everyone who may
        // still approve could meet all stages.
        const everyone = [...new Set(input.stages.flatMap((_, i) => [...membersOf(input, i)]))];
        const someUnreachable = state.stages.some((s) => s.unreachable !== undefined);
        expect(someUnreachable).toBe(!feasible(input, everyone));

        expect(Array.from(approvalStatusDescription(state)).length).toBeLessThanOrEqual(140);

        const plan = planReviewRequests({
          state,
          stages: input.stages,
          author: input.author,
          draft: false,
          alreadyRequested: { users: [], teams: [] },
          repoOwner: 'acme',
        });
        expect(plan.users.map(key)).not.toContain(key(input.author));
        for (const user of plan.users) expect(counted).not.toContain(key(user));
        for (const team of plan.teams) expect(team).not.toContain('/');
        if (state.approved) expect(plan).toEqual({ users: [], teams: [] });
      }),
      { numRuns: 500 },
    );
  });

  it('looking up only the teams teamsToLookUp names changes no decision', () => {
    // Everything but what needs every member of a team: who is still eligible, and reachability.
    const decisions = (state: ApprovalState) => ({
      ...state,
      stages: state.stages.map(({ eligible: _e, unreachable: _u, ...rest }) => rest),
    });
    fc.assert(
      fc.property(inputArb, (input) => {
        const full = evaluateApprovals(input);
        const { lookUp, unknown } = teamsToLookUp(input);
        const partial = evaluateApprovals({
          ...input,
          teamMembers: new Map([...input.teamMembers].filter(([team]) => lookUp.includes(team))),
          unknownTeams: unknown,
        });
        expect(decisions(partial)).toEqual(decisions(full));
        // Never a "can never be met" that looking every team up would not also find.
        if (full.stages.every((s) => s.unreachable === undefined)) {
          expect(partial.stages.every((s) => s.unreachable === undefined)).toBe(true);
        }
        partial.stages.forEach((stage, i) => {
          const people = stage.eligible.filter((e) => !e.includes('/')).map(key);
          const fullPeople = full.stages[i]!.eligible.map(key);
          for (const person of people) expect(fullPeople).toContain(person);
          const listed = input.stages[i]!.reviewers.filter((r) => unknown.includes(r));
          expect(stage.eligible.filter((e) => e.includes('/'))).toEqual(listed);
        });
      }),
      { numRuns: 1000 },
    );
  });
});
