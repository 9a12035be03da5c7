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
