import type { ApprovalStage } from '../config/types.js';
import { displayLogin, isTeamEntry, loginKey } from '../domain/logins.js';

/** A stage with its reviewer entries expanded to the people who belong to it. */
export interface ResolvedStage {
  name: string;
  required: number;
  /** login key -> login as spelled in config or the team listing, in config order. */
  members: Map<string, string>;
  /** Team entries with no known members (unresolved, empty, or everyone left). */
  emptyTeams: string[];
  /** Team entries whose members were deliberately not looked up: unknown, not empty. */
  unknownTeams: string[];
}

/** Team slugs are case-insensitive too: index the caller's map by key once. */
export function indexTeams(
  teamMembers: ReadonlyMap<string, readonly string[]>,
): Map<string, readonly string[]> {
  return new Map([...teamMembers].map(([team, logins]) => [loginKey(team), logins]));
}

/**
 * Expands "org/team" entries with the given membership. Membership is taken as given: someone
 * who left the team is simply not in the list any more, so their approval no longer counts.
 */
export function resolveStage(
  stage: ApprovalStage,
  teams: ReadonlyMap<string, readonly string[]>,
  unknown: ReadonlySet<string> = new Set(),
): ResolvedStage {
  const members = new Map<string, string>();
  const emptyTeams: string[] = [];
  const unknownTeams: string[] = [];
  const add = (login: string): void => {
    if (!members.has(loginKey(login))) members.set(loginKey(login), displayLogin(login));
  };
  for (const entry of stage.reviewers) {
    if (!isTeamEntry(entry)) {
      add(entry);
      continue;
    }
    if (unknown.has(loginKey(entry))) {
      // Listed once even when config spells it twice in different case.
      if (!unknownTeams.some((team) => loginKey(team) === loginKey(entry)))
        unknownTeams.push(displayLogin(entry));
      continue;
    }
    const logins = teams.get(loginKey(entry)) ?? [];
    if (logins.length === 0) emptyTeams.push(displayLogin(entry));
    logins.forEach(add);
  }
  return { name: stage.name, required: stage.required, members, emptyTeams, unknownTeams };
}
