// Holds (/lock) on the in-memory fake of GitHub (real ref and commit semantics): placed once,
// read back only when signed by the trusted key and not expired, replaced when forged or expired,
// lifted compare-then-delete (invariant 11).
import { describe, expect, it } from 'vitest';
import type { GitHubPort } from '../../../src/github/port.js';
import {
  holdMessage,
  holdRefName,
  inspectHold,
  liftHold,
  parseHoldMessage,
  placeHold,
  readHold,
  type Hold,
} from '../../../src/state/environment-hold.js';
import { createFakeGitHub } from '../../support/fake-github/index.js';
import { OTHER_SIGNER, SIGNER, trust } from './records.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const LATER = new Date('2026-03-01T14:00:00.000Z');
const REQUEST = { environment: 'staging', holder: 'olga', reason: 'database migration' };
const HOLD: Hold = { ...REQUEST, since: NOW.toISOString() };

function setUp() {
  const fake = createFakeGitHub({ files: { 'README.md': '# app\n' } });
  const warnings: string[] = [];
  return { fake, github: fake.port, gh: fake.gh, warnings, trust: trust(warnings) };
}

/** What an attacker with write access does: any commit on the tip's tree, and the branch. */
async function forge(github: GitHubPort, message: string, environment = 'staging') {
  const tree = (await github.getCommit((await github.getRefSha('heads/main'))!))!.treeSha;
  const sha = await github.createCommit(message, tree);
  expect(await github.createRef(holdRefName(environment), sha)).toBe(true);
  return sha;
}

describe('holdMessage / parseHoldMessage', () => {
  it('a readable title and reason, then the signed facts; parses back to the hold', () => {
    const message = holdMessage(SIGNER, { ...HOLD, expiresAt: LATER.toISOString() });
    const lines = message.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'deploy-request hold: staging',
      '',
      'database migration',
      '',
    ]);
    expect(JSON.parse(lines[4]!)).toEqual({
      k: 'hold',
      ...HOLD,
      expiresAt: LATER.toISOString(),
    });
    expect(lines[5]).toMatch(/^\[dr1:[A-Za-z0-9_-]{22}\]$/);
    expect(parseHoldMessage(SIGNER, `${message}\n`, 'staging')).toEqual({
      hold: { ...HOLD, expiresAt: LATER.toISOString() },
    });
    expect(parseHoldMessage(SIGNER, holdMessage(SIGNER, HOLD), 'staging')).toEqual({ hold: HOLD });
  });

  it('holds nothing: unsigned, not JSON, not hold facts, another key, tampered, another environment', () => {
    const signed = holdMessage(SIGNER, HOLD);
    const [title, , , , facts, tag] = signed.split('\n') as string[];
    const why = (message: string, environment = 'staging') => {
      const read = parseHoldMessage(SIGNER, message, environment);
      return 'why' in read ? read.why : 'held';
    };
    expect(why('just a commit')).toBe('its commit message carries no signature');
    expect(why(tag!)).toBe('its commit message carries no signature');
    expect(why(`${title}\n{not json\n${tag}`)).toBe('its commit message carries no hold facts');
    expect(why(`x\nnull\n${tag}`)).toBe('its commit message carries no hold facts');
    const noHolder = JSON.stringify({ ...JSON.parse(facts!), holder: 1 });
    expect(why(`x\n${noHolder}\n${tag}`)).toBe('its commit message carries no hold facts');
    const badExpiry = JSON.stringify({ ...JSON.parse(facts!), expiresAt: 5 });
    expect(why(`x\n${badExpiry}\n${tag}`)).toBe('its commit message carries no hold facts');
    const noEnv = JSON.stringify({ ...JSON.parse(facts!), environment: undefined });
    expect(why(`x\n${noEnv}\n${tag}`)).toBe('its commit message carries no hold facts');
    const forged = 'its signature does not verify (not written by a trusted deploy-request run)';
    expect(why(holdMessage(OTHER_SIGNER, HOLD))).toBe(forged);
    const reason = JSON.stringify({ ...JSON.parse(facts!), reason: 'nothing to see' });
    expect(why(`${title}\n\ndatabase migration\n\n${reason}\n${tag}`)).toBe(forged);
    const expiry = JSON.stringify({ ...JSON.parse(facts!), expiresAt: '2099-01-01T00:00:00Z' });
    expect(why(`${title}\n\n${expiry}\n${tag}`)).toBe(forged);
    // The readable reason is for people: changing it changes nothing that counts.
    expect(why(signed.replace('\ndatabase migration\n', '\nsomething else\n'))).toBe('held');
    expect(why(signed, 'production')).toBe('it is a hold of staging');
  });
});

describe('placeHold / readHold', () => {
  it('places a hold once: the branch points at a parentless commit on the tip tree; a second /lock is told who holds it', async () => {
    const { github, gh, trust: t } = setUp();
    expect(await readHold(github, t, 'staging', NOW)).toBeNull();
    const placed = await placeHold(github, t, { ...REQUEST, forMinutes: 90 }, NOW);
    const hold = { ...HOLD, expiresAt: '2026-03-01T13:30:00.000Z' };
    expect(placed).toEqual({ placed: true, hold });
    const sha = gh.branch('deploy-request/hold/staging') as string;
    expect(gh.state.git.get(sha)?.parents).toEqual([]);
    expect(gh.state.git.tree(sha)).toEqual(gh.state.git.tree(gh.branch('main')!));
    expect(await readHold(github, t, 'staging', NOW)).toEqual(hold);
    const again = await placeHold(github, t, { ...REQUEST, holder: 'oscar' }, NOW);
    expect(again).toEqual({ placed: false, held: hold });
    expect(gh.branch('deploy-request/hold/staging')).toBe(sha);
    expect(await readHold(github, t, 'production', NOW)).toBeNull();
  });

  it('an expired hold holds nothing (logged) and a new /lock replaces it', async () => {
    const { github, gh, warnings, trust: t } = setUp();
    await placeHold(github, t, { ...REQUEST, forMinutes: 60 }, NOW);
    const old = gh.branch('deploy-request/hold/staging');
    expect(await readHold(github, t, 'staging', LATER)).toBeNull();
    expect(warnings).toEqual([
      'The hold of staging by olga expired at 2026-03-01T13:00:00.000Z; it holds nothing.',
    ]);
    const placed = await placeHold(github, t, { ...REQUEST, holder: 'oscar' }, LATER);
    expect(placed).toEqual({
      placed: true,
      hold: { ...REQUEST, holder: 'oscar', since: LATER.toISOString() },
    });
    expect(gh.branch('deploy-request/hold/staging')).not.toBe(old);
  });

  it('a forged hold (a writer makes the branch and a commit) holds nothing (logged) and /lock replaces it', async () => {
    const { github, gh, warnings, trust: t } = setUp();
    await forge(github, holdMessage(OTHER_SIGNER, { ...HOLD, holder: 'mallory' }));
    expect(await readHold(github, t, 'staging', NOW)).toBeNull();
    expect(warnings[0]).toMatch(
      /^Ignored the hold branch of staging \(commit [0-9a-f]{7}\): its signature does not verify \(not written by a trusted deploy-request run\); it holds nothing\.$/,
    );
    expect((await placeHold(github, t, REQUEST, NOW)).placed).toBe(true);
    expect(await readHold(github, t, 'staging', NOW)).toEqual(HOLD);
    expect(gh.branch('deploy-request/hold/staging')).toBeDefined();
  });

  it("a genuine hold of one environment copied to another's branch holds nothing there", async () => {
    const { github, trust: t } = setUp();
    await placeHold(github, t, REQUEST, NOW);
    const sha = (await github.getRefSha(holdRefName('staging')))!;
    expect(await github.createRef(holdRefName('production'), sha)).toBe(true);
    expect(await inspectHold(github, t, 'production', NOW)).toEqual({
      kind: 'unverified',
      why: 'it is a hold of staging',
      sha,
    });
  });

  it('a branch whose commit cannot be read holds nothing', async () => {
    const { github, trust: t } = setUp();
    await placeHold(github, t, REQUEST, NOW);
    const blind = { ...github, getCommit: async () => null };
    expect(await inspectHold(blind, t, 'staging', NOW)).toMatchObject({
      kind: 'unverified',
      why: 'its commit cannot be read',
    });
  });

  it('races: a branch gone between create and read is created on the second try; a /lock that wins meanwhile is reported', async () => {
    const { github, trust: t } = setUp();
    // The first create answers false although nothing is there (deleted in between).
    let lose = true;
    const flaky = {
      ...github,
      createRef: async (ref: string, sha: string) => {
        if (!lose) return github.createRef(ref, sha);
        lose = false;
        return false;
      },
    };
    expect(await placeHold(flaky, t, REQUEST, NOW)).toEqual({ placed: true, hold: HOLD });

    // Another operator's /lock lands between our look and our create: theirs is reported.
    const raced = setUp();
    const beaten = {
      ...raced.github,
      createRef: async (ref: string, sha: string) => {
        await placeHold(raced.github, raced.trust, { ...REQUEST, holder: 'otto' }, NOW);
        return raced.github.createRef(ref, sha);
      },
    };
    expect(await placeHold(beaten, raced.trust, REQUEST, NOW)).toEqual({
      placed: false,
      held: { ...HOLD, holder: 'otto' },
    });

    // Two forged branches in a row; after the second is removed, another operator's /lock wins.
    const other = setUp();
    let deleted = 0;
    const contested = {
      ...other.github,
      createRef: async (ref: string, sha: string) => {
        await forge(other.github, 'forged');
        return other.github.createRef(ref, sha);
      },
      deleteRef: async (ref: string) => {
        await other.github.deleteRef(ref);
        if (++deleted === 2)
          await placeHold(other.github, other.trust, { ...REQUEST, holder: 'oscar' }, NOW);
      },
    };
    expect(await placeHold(contested, other.trust, REQUEST, NOW)).toEqual({
      placed: false,
      held: { ...HOLD, holder: 'oscar' },
    });
  });

  it('a writer who keeps forging the branch: /lock gives up saying to try again', async () => {
    const { github, trust: t } = setUp();
    let n = 0;
    const forging = {
      ...github,
      createRef: async (ref: string, sha: string) => {
        await forge(github, `forged ${++n}`);
        return github.createRef(ref, sha);
      },
    };
    await expect(placeHold(forging, t, REQUEST, NOW)).rejects.toThrow(
      'Could not create the branch deploy-request/hold/staging; try again.',
    );
  });

  it('without a default branch tip to take a tree from, /lock fails saying so', async () => {
    const { github, trust: t } = setUp();
    const headless = { ...github, getRefSha: async () => null };
    await expect(placeHold(headless, t, REQUEST, NOW)).rejects.toThrow(
      'Cannot read the tip of the default branch main.',
    );
  });
});

describe('liftHold', () => {
  it('lifts a standing hold; then there is none', async () => {
    const { github, gh, trust: t } = setUp();
    await placeHold(github, t, REQUEST, NOW);
    expect(await liftHold(github, t, 'staging', NOW)).toEqual({ lifted: HOLD, expired: false });
    expect(gh.branch('deploy-request/hold/staging')).toBeUndefined();
    expect(await liftHold(github, t, 'staging', NOW)).toEqual({ none: true });
  });

  it('an expired hold is tidied away and said to have expired', async () => {
    const { github, gh, trust: t } = setUp();
    await placeHold(github, t, { ...REQUEST, forMinutes: 60 }, NOW);
    expect(await liftHold(github, t, 'staging', LATER)).toEqual({
      lifted: { ...HOLD, expiresAt: '2026-03-01T13:00:00.000Z' },
      expired: true,
    });
    expect(gh.branch('deploy-request/hold/staging')).toBeUndefined();
  });

  it('a forged branch is removed (logged): there was no hold', async () => {
    const { github, gh, warnings, trust: t } = setUp();
    await forge(github, 'not a hold');
    expect(await liftHold(github, t, 'staging', NOW)).toEqual({ none: true });
    expect(gh.branch('deploy-request/hold/staging')).toBeUndefined();
    expect(warnings[0]).toContain('its commit message carries no signature');
  });

  it('a hold placed after it was read is not removed with the old one (compare, then delete)', async () => {
    const { github, gh, trust: t } = setUp();
    await placeHold(github, t, REQUEST, NOW);
    const replacing = {
      ...github,
      deleteRef: async () => {
        throw new Error('must not delete');
      },
      getRefSha: async (ref: string) => {
        const sha = await github.getRefSha(ref);
        // The first read sees the old hold; the compare sees a new one.
        replacing.getRefSha = async () => 'f'.repeat(40);
        return sha;
      },
    };
    expect(await liftHold(replacing, t, 'staging', NOW)).toEqual({ lifted: HOLD, expired: false });
    expect(gh.branch('deploy-request/hold/staging')).toBeDefined();
  });
});
