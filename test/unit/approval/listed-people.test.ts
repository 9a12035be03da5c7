// Who is among a config list of people (`operators`): logins case-insensitively, teams through
// their members, and the teams to read only when the login is not listed by name.
import { describe, expect, it } from 'vitest';
import { isListed, teamsDeciding } from '../../../src/approval/listed-people.js';

const ENTRIES = ['acme/Ops', '@Opal'];

describe('teamsDeciding', () => {
  it('no team is read for a login listed by name (any case, with or without @)', () => {
    expect(teamsDeciding(ENTRIES, 'opal')).toEqual([]);
    expect(teamsDeciding(ENTRIES, 'OLGA')).toEqual(['acme/Ops']);
    expect(teamsDeciding(['opal'], 'olga')).toEqual([]);
  });
});

describe('isListed', () => {
  const teams = new Map([['acme/ops', ['Olga']]]);
  it.each([
    ['opal', new Map<string, string[]>(), true],
    ['olga', teams, true],
    ['OLGA', teams, true],
    ['olga', new Map<string, string[]>(), false],
    ['mallory', teams, false],
  ])('%s (teams %j): %s', (login, members, listed) => {
    expect(isListed(ENTRIES, login, members)).toBe(listed);
  });
});
