// Login helpers: GitHub logins compare case-insensitively, a leading "@" and spaces are dropped,
// apps end in "[bot]".
import { describe, expect, it } from 'vitest';
import {
  displayLogin,
  isBotAccount,
  isBotLogin,
  isTeamEntry,
  loginKey,
  splitTeam,
} from '../../../src/domain/logins.js';

describe('logins', () => {
  it('loginKey: trimmed, without one leading @, lower case', () => {
    expect(loginKey('  @Alice ')).toBe('alice');
    expect(loginKey('Bob')).toBe('bob');
    expect(loginKey('a@b')).toBe('a@b');
    expect(loginKey('@@x')).toBe('@x');
  });

  it('displayLogin keeps the spelling', () => {
    expect(displayLogin('  @Alice ')).toBe('Alice');
    expect(displayLogin('a@B')).toBe('a@B');
  });

  it('isBotLogin: a [bot] suffix only, any case, spaces ignored', () => {
    expect(isBotLogin('renovate[bot] ')).toBe(true);
    expect(isBotLogin('CI[BOT]')).toBe(true);
    expect(isBotLogin('[bot]-helper')).toBe(false);
    expect(isBotLogin('robot')).toBe(false);
  });

  it('isBotAccount: type "Bot" or a bot login; a person or a deleted account is not', () => {
    expect(isBotAccount({ login: 'github-actions[bot]', type: 'Bot' })).toBe(true);
    expect(isBotAccount({ login: 'my-app', type: 'Bot' })).toBe(true);
    expect(isBotAccount({ login: 'renovate[bot]' })).toBe(true);
    expect(isBotAccount({ login: 'alice', type: 'User' })).toBe(false);
    expect(isBotAccount(null)).toBe(false);
    expect(isBotAccount(undefined)).toBe(false);
  });

  it('teams', () => {
    expect(isTeamEntry('acme/ops')).toBe(true);
    expect(isTeamEntry('alice')).toBe(false);
    expect(splitTeam(' @acme/ops ')).toEqual({ org: 'acme', slug: 'ops' });
  });
});
