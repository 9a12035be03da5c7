// Break-glass switches on the in-memory fake of GitHub (real ref and commit semantics): recorded
// once, read back only when signed by the trusted key for this pull request, a forged branch
// replaced by /emergency (invariant 11).
import { describe, expect, it } from 'vitest';
import type { GitHubPort } from '../../../src/github/port.js';
import type { EmergencySwitch } from '../../../src/policy/emergency-policy.js';
import {
  emergencyMessage,
  emergencyRefName,
  parseEmergencyMessage,
  readEmergency,
  recordEmergency,
} from '../../../src/state/emergency-record.js';
import { createFakeGitHub } from '../../support/fake-github/index.js';
import { OTHER_SIGNER, SIGNER, trust } from './records.js';

const SWITCH: EmergencySwitch = {
  pr: 7,
  environment: 'production',
  reason: 'payments down',
  by: 'dev',
  at: '2026-03-01T03:00:00.000Z',
};

function setUp() {
  const fake = createFakeGitHub({ files: { 'README.md': '# app\n' } });
  const warnings: string[] = [];
  return { github: fake.port, warnings, trust: trust(warnings) };
}

async function forge(github: GitHubPort, message: string, pr = 7) {
  const tree = (await github.getCommit((await github.getRefSha('heads/main'))!))!.treeSha;
  const sha = await github.createCommit(message, tree);
  expect(await github.createRef(emergencyRefName(pr), sha)).toBe(true);
  return sha;
}

describe('emergencyMessage / parseEmergencyMessage', () => {
  it('a readable title and reason, then the signed facts; parses back to the switch', () => {
    const message = emergencyMessage(SIGNER, SWITCH);
    expect(message.split('\n').slice(0, 3)).toEqual([
      'deploy-request emergency: #7 → production',
      '',
      'payments down',
    ]);
    expect(parseEmergencyMessage(SIGNER, message, 7)).toEqual({ emergency: SWITCH });
  });

  it.each([
    ['unsigned', 'hello', 'its commit message carries no signature'],
    [
      'not JSON',
      'x\n{nope\n[dr1:AAAAAAAAAAAAAAAAAAAAAA]',
      'its commit message carries no emergency facts',
    ],
    [
      'a hold, not a switch',
      'x\n{"k":"hold"}\n[dr1:AAAAAAAAAAAAAAAAAAAAAA]',
      'its commit message carries no emergency facts',
    ],
    [
      'facts of the wrong type',
      'x\n{"k":"emergency","pr":"7","environment":"p","reason":"r","by":"b","at":"t"}\n[dr1:AAAAAAAAAAAAAAAAAAAAAA]',
      'its commit message carries no emergency facts',
    ],
  ])('switches nothing: %s', (_name, message, why) => {
    expect(parseEmergencyMessage(SIGNER, message, 7)).toEqual({ why });
  });

  it('switches nothing under another key, tampered, or for another pull request', () => {
    expect(parseEmergencyMessage(SIGNER, emergencyMessage(OTHER_SIGNER, SWITCH), 7)).toEqual({
      why: expect.stringContaining('does not verify'),
    });
    const tampered = emergencyMessage(SIGNER, SWITCH).replace('"by":"dev"', '"by":"eve"');
    expect(parseEmergencyMessage(SIGNER, tampered, 7)).toEqual({
      why: expect.stringContaining('does not verify'),
    });
    expect(parseEmergencyMessage(SIGNER, emergencyMessage(SIGNER, SWITCH), 8)).toEqual({
      why: 'it is the switch of pull request #7',
    });
  });
});

describe('recordEmergency / readEmergency', () => {
  it('records once; a second switch reports the first; read back verified', async () => {
    const { github, trust: t } = setUp();
    expect(await readEmergency(github, t, 7)).toBeNull();
    expect(await recordEmergency(github, t, SWITCH)).toEqual({ recorded: true, emergency: SWITCH });
    expect(await readEmergency(github, t, 7)).toEqual(SWITCH);
    const again = await recordEmergency(github, t, { ...SWITCH, by: 'ops', reason: 'other' });
    expect(again).toEqual({ recorded: false, existing: SWITCH });
  });

  it('a forged branch switches nothing (logged) and /emergency replaces it', async () => {
    const { github, warnings, trust: t } = setUp();
    await forge(github, emergencyMessage(OTHER_SIGNER, SWITCH));
    expect(await readEmergency(github, t, 7)).toBeNull();
    expect(warnings.join('\n')).toMatch(/Ignored the emergency branch of #7 .*does not verify/);
    expect(await recordEmergency(github, t, SWITCH)).toEqual({ recorded: true, emergency: SWITCH });
    expect(await readEmergency(github, t, 7)).toEqual(SWITCH);
  });

  it('a branch whose commit cannot be read switches nothing', async () => {
    const { github, warnings, trust: t } = setUp();
    await forge(github, emergencyMessage(SIGNER, SWITCH));
    const unreadable: GitHubPort = { ...github, getCommit: async () => null };
    expect(await readEmergency(unreadable, t, 7)).toBeNull();
    expect(warnings.join('\n')).toContain('its commit cannot be read');
  });

  it('losing the race to another /emergency reports that switch', async () => {
    const { github, trust: t } = setUp();
    const racing: GitHubPort = {
      ...github,
      createRef: async (ref, sha) => {
        await recordEmergency(github, t, { ...SWITCH, by: 'ops' });
        return github.createRef(ref, sha);
      },
    };
    expect(await recordEmergency(racing, t, SWITCH)).toEqual({
      recorded: false,
      existing: { ...SWITCH, by: 'ops' },
    });
  });

  it('a branch that cannot be created and holds no switch is an error to retry', async () => {
    const { github, trust: t } = setUp();
    const stuck: GitHubPort = { ...github, createRef: async () => false };
    await expect(recordEmergency(stuck, t, SWITCH)).rejects.toThrow(
      'Could not create the branch deploy-request/emergency/7; comment the command again.',
    );
  });
});
