import { describe, expect, it } from 'vitest';
import { teamsOf } from '../../../src/approval/team-slugs.js';
import { isBotLogin, splitTeam } from '../../../src/domain/logins.js';

describe('teamsOf', () => {
  it.each([
    { name: 'no stages', stages: [], teams: [] },
    {
      name: 'distinct org/team entries in config order, users left out',
      stages: [
        { name: 'lead', reviewers: ['alice', 'acme/leads'], required: 1 },
        { name: 'ops', reviewers: ['acme/ops', 'ACME/Leads', 'bob', 'other/sec'], required: 2 },
      ],
      teams: ['acme/leads', 'acme/ops', 'other/sec'],
    },
    {
      name: 'a leading @ is dropped',
      stages: [{ name: 'ops', reviewers: ['@acme/ops'], required: 1 }],
      teams: ['acme/ops'],
    },
  ])('$name', ({ stages, teams }) => {
    expect(teamsOf(stages)).toEqual(teams);
  });
});

describe('logins', () => {
  it.each([
    ['dependabot[bot]', true],
    ['Renovate[BOT]', true],
    ['robot', false],
    ['bot-alice', false],
  ])('isBotLogin(%s) = %s', (login, bot) => {
    expect(isBotLogin(login)).toBe(bot);
  });

  it('splits a team entry into org and bare slug', () => {
    expect(splitTeam('@acme/ops')).toEqual({ org: 'acme', slug: 'ops' });
  });
});
