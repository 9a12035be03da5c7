// Whether a commenter is one of a config list of people (logins and org/team slugs), as for
// `operators`: named entries match by login (case-insensitive), team entries through their
// members, which come in as data so that teams are looked up (members-token) only when needed.
import { displayLogin, isTeamEntry, loginKey } from '../domain/logins.js';
import { indexTeams } from './stage-members.js';

/** The team entries whose members decide: none when `login` is listed by name. */
export function teamsDeciding(entries: readonly string[], login: string): string[] {
  if (entries.some((e) => !isTeamEntry(e) && loginKey(e) === loginKey(login))) return [];
  return entries.filter(isTeamEntry).map(displayLogin);
}

export function isListed(
  entries: readonly string[],
  login: string,
  teamMembers: ReadonlyMap<string, readonly string[]>,
): boolean {
  const key = loginKey(login);
  const teams = indexTeams(teamMembers);
  return entries.some((entry) =>
    isTeamEntry(entry)
      ? (teams.get(loginKey(entry)) ?? []).some((member) => loginKey(member) === key)
      : loginKey(entry) === key,
  );
}
