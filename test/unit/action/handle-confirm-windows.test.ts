// /confirm against deployment windows, on the in-memory fake: outside a window or in a freeze it
// is refused with the next opening, before the hold and the lock; nothing is written but the reply,
// and the prompt stays open (queued). The clock is the context's (GitHub's, in the action).
import { describe, expect, it } from 'vitest';
import { handleConfirm } from '../../../src/action/handle-confirm.js';
import { requestDigest } from '../../../src/confirm/digest.js';
import { testDeployKey, trustOf } from '../../support/signed-state.js';
import { CONFIG, openRequest, REQUEST } from '../../e2e/in-process/support.js';
import { fakeContextFor, fakeRepoWith, seedPromptOn } from '../support/fake-run-context.js';
import { configSha, loaded } from '../support/run-context.js';

const WINDOWS =
  '    windows:\n' +
  '      timezone: Europe/Berlin\n' +
  '      allow: [{ days: [mon, tue, wed, thu], from: "09:00", to: "16:00" }]\n' +
  '      freezes: [{ from: 2026-12-20, to: 2027-01-04, reason: "holiday freeze" }]\n';
const WITH_WINDOWS = CONFIG.replace('\n  production:\n', `\n${WINDOWS}  production:\n`);

async function prompted() {
  const fake = fakeRepoWith(WITH_WINDOWS);
  const { gh, port } = fake;
  const { number, headSha } = openRequest(gh);
  for (const user of ['tina', 'olga', 'oscar']) gh.review(number, user, 'APPROVED');
  const { config, request } = loaded(WITH_WINDOWS, REQUEST);
  expect(config.environments.staging?.windows?.timezone).toBe('Europe/Berlin');
  const digest = requestDigest(
    request,
    config.environments.staging!,
    headSha,
    await configSha(port),
  );
  const trust = trustOf(gh, testDeployKey());
  const id = await seedPromptOn(port, trust, {
    sha: headSha,
    payload: { pr: number, digest, expiresAt: '2027-02-01T00:00:00.000Z' },
  });
  return { fake, gh, number, digest, id };
}

describe('/confirm and deployment windows', () => {
  it.each([
    [
      'Friday 17:00 in Berlin: outside the windows',
      '2026-12-04T16:00:00Z',
      '`staging` is outside its deployment windows; confirm again from Mon 7 Dec 09:00 CET (Europe/Berlin).',
    ],
    [
      'a Monday in the holiday freeze',
      '2026-12-21T10:00:00Z',
      '`staging` is frozen until Mon 4 Jan 2027 (holiday freeze); confirm again from Tue 5 Jan 2027 09:00 CET (Europe/Berlin).',
    ],
  ])('%s: refused with the next opening; no lock, the prompt stays open', async (_n, now, why) => {
    const { fake, gh, number, digest, id } = await prompted();
    const ctx = fakeContextFor(fake, { now: new Date(now) });
    const outcome = await handleConfirm(ctx, number, 'dev', digest);
    expect(outcome).toMatchObject({ phase: 'refused', deploymentId: id, digest });
    const reply = gh.comments(number).at(-1)?.body ?? '';
    expect(reply.replace(/\\([`*_()[\]])/g, '$1')).toBe(
      `⛔ \`/confirm\` was refused: nothing was deployed and the prompt stays open: ${why}\n\nNothing was run.\n`,
    );
    expect(gh.deploymentState(id)).toBe('queued');
    expect(gh.branch('deploy-request/lock/staging')).toBeUndefined();
    expect(fake.count('createRef')).toBe(0);
  });
});
