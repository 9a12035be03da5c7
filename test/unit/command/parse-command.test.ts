// Comment commands: only the first line counts, with the configured prefix (SPEC §3).
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/command/parse-command.js';

describe('parseCommand', () => {
  it.each([
    ['/confirm 0123456789ABCDEF', { kind: 'confirm', digest: '0123456789abcdef' }],
    ['/confirm', { kind: 'confirm', digest: '' }],
    ['  /Confirm   abc   extra  ', { kind: 'confirm', digest: 'abc' }],
    ['/recheck', { kind: 'recheck' }],
    ['/RECHECK now please', { kind: 'recheck' }],
    ['/cancel', { kind: 'cancel' }],
    ['/help', { kind: 'help' }],
    ['/deploy now', { kind: 'unknown', word: 'deploy' }],
    ['/roll-back', { kind: 'unknown', word: 'roll-back' }],
    ['\uFEFF/help', { kind: 'help' }],
    ['/help\r\n/confirm abc', { kind: 'help' }],
    ['/ help', { kind: 'help' }],
    ['/rollback', { kind: 'rollback' }],
    [
      '/rollback 20261204T101500Z-a1b2c3',
      { kind: 'rollback', releaseId: '20261204T101500Z-a1b2c3' },
    ],
    ['/status', { kind: 'status' }],
    ['/status production', { kind: 'status', environment: 'production' }],
    [
      '/lock production db migration',
      { kind: 'lock', environment: 'production', reason: 'db migration' },
    ],
    [
      '/lock production db migration for 2h',
      { kind: 'lock', environment: 'production', reason: 'db migration', forMinutes: 120 },
    ],
    [
      '/lock staging incident for 90 minutes',
      { kind: 'lock', environment: 'staging', reason: 'incident', forMinutes: 90 },
    ],
    [
      '/lock prod freeze for 1d',
      { kind: 'lock', environment: 'prod', reason: 'freeze', forMinutes: 1440 },
    ],
    [
      '/lock prod waiting for Bob',
      { kind: 'lock', environment: 'prod', reason: 'waiting for Bob' },
    ],
    ['/unlock production', { kind: 'unlock', environment: 'production' }],
  ])('%j → %j', (body, command) => {
    expect(parseCommand(body, '/')).toEqual(command);
  });

  it.each([
    ['looks good\n/confirm abc'],
    [''],
    ['/'],
    ['/123'],
    ['/-x'],
    ['/confirm_now'],
    ['confirm abc'],
    [`/confirm ${'a'.repeat(200)}`],
  ])('%j is not a command', (body) => {
    expect(parseCommand(body, '/')).toBeNull();
  });

  it.each([
    ['/lock', 'lock', 'name the environment'],
    ['/lock production', 'lock', 'say why'],
    ['/lock production for 2h', 'lock', 'say why'],
    ['/lock production hotfix for 2 weeks', 'lock', 'is not a duration'],
    ['/lock production hotfix for 0h', 'lock', 'is not a duration'],
    ['/lock ../x why', 'lock', 'not an environment name'],
    ['/unlock', 'unlock', 'exactly one'],
    ['/unlock a b', 'unlock', 'exactly one'],
    ['/unlock $x', 'unlock', 'not an environment name'],
    ['/status a b', 'status', 'at most one'],
    ['/status ../etc', 'status', 'not an environment name'],
    ['/rollback a b', 'rollback', 'at most one'],
    ['/rollback ../x', 'rollback', 'not a release id'],
    ['/emergency', 'emergency', 'say why'],
    ['/emergency   ', 'emergency', 'say why'],
  ])('%j is malformed: %s, %s', (body, word, problem) => {
    const command = parseCommand(body, '/');
    expect(command).toMatchObject({ kind: 'malformed', word });
    expect(command && 'problem' in command ? command.problem : '').toContain(problem);
    expect(command && 'usage' in command ? command.usage : '').toMatch(new RegExp(`^/${word}`));
  });

  it('a line of exactly 200 characters still counts', () => {
    const body = `/confirm ${'a'.repeat(191)}`;
    expect(body).toHaveLength(200);
    expect(parseCommand(body, '/')).toEqual({ kind: 'confirm', digest: 'a'.repeat(191) });
  });

  it('the configured prefix: another one, a word, and an empty prefix that matches nothing', () => {
    expect(parseCommand('!deploy confirm abc', '!deploy')).toEqual({
      kind: 'confirm',
      digest: 'abc',
    });
    expect(parseCommand('/confirm abc', '!deploy')).toBeNull();
    expect(parseCommand('.help', '.')).toEqual({ kind: 'help' });
    expect(parseCommand('help', '')).toBeNull();
  });
});

describe('parseCommand: byte order marks', () => {
  it('only a leading BOM is dropped; one inside a word splits it like a space', () => {
    expect(parseCommand('\uFEFF/cancel', '/')).toEqual({ kind: 'cancel' });
    expect(parseCommand('/can\uFEFFcel', '/')).toEqual({ kind: 'unknown', word: 'can' });
  });
});
