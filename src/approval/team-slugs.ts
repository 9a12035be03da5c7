import type { ApprovalStage } from '../config/types.js';
import { displayLogin, isTeamEntry, loginKey } from '../domain/logins.js';

/**
 * The distinct "org/team" reviewer entries of all stages, in config order, so the caller can
 * resolve each team's members once. Duplicates differing only in case are dropped (slugs are
 * case-insensitive); the first spelling is kept.
 */
export function teamsOf(stages: ApprovalStage[]): string[] {
  const seen = new Set<string>();
  const teams: string[] = [];
  for (const stage of stages) {
    for (const entry of stage.reviewers) {
      if (!isTeamEntry(entry) || seen.has(loginKey(entry))) continue;
      seen.add(loginKey(entry));
      teams.push(displayLogin(entry));
    }
  }
  return teams;
}
