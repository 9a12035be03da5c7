// main.ts run() in-process with holds (/lock): the operate job's own token places and lifts
// them (its permissions from the shipped workflow), the prompt shows a standing hold, and
// /confirm refuses while it stands, deploying nothing and leaving the prompt open (real sshd).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildWorkspace, checkout, DEPLOY_DEFAULTS, deployRequest } from '../deploy-scenario.js';
import { approveAll, configFor, useSshServers } from '../servers-scenario.js';
import { issueCommentEvent, workflowDispatchEvent } from '../../support/events.js';
import { seedHold } from '../../support/signed-hold.js';
import { runInProcess } from '../../unit/support/in-process.js';
import { lastComment, REQUEST_PATH, repoWith, stickyOf } from './support.js';
import { asRead as plain } from '../../support/as-read.js';

const fleet = useSshServers(1);
const HOUR = 3_600_000;

async function approvedPull() {
  const { servers, clientKey } = fleet();
  const { workspace, sha256 } = buildWorkspace();
  const config = configFor(servers, { operators: ['acme/ops'], deploy: DEPLOY_DEFAULTS });
  const gh = await repoWith(config);
  const { number, headSha } = gh.openPull({
    author: 'dev',
    headFiles: { [REQUEST_PATH]: deployRequest(sha256) },
  });
  approveAll(gh, number);
  checkout(workspace, headSha);
  const key = clientKey.privateKey;
  const inputs = { 'ssh-private-key': key };
  return {
    gh,
    number,
    key,
    dispatch: () =>
      runInProcess({
        gh,
        eventName: 'workflow_dispatch',
        payload: workflowDispatchEvent(gh, { inputs: { 'pull-request': String(number) } }),
        inputs,
        workspace,
      }),
    say: (user: string, body: string) =>
      runInProcess({
        gh,
        eventName: 'issue_comment',
        payload: issueCommentEvent(gh, 'created', gh.comment(number, user, body)),
        inputs,
        workspace,
      }),
  };
}

function releases(): string[] {
  const dir = join(fleet().servers[0]!.home, 'app/releases');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

describe('run(): holds', () => {
  it('a hold standing when the prompt opens is shown; /confirm is refused until /unlock, then deploys', async () => {
    const p = await approvedPull();
    const since = new Date(Date.now() - HOUR);
    await seedHold(
      p.gh,
      p.key,
      { environment: 'staging', holder: 'olga', reason: 'db migration', forMinutes: 180 },
      since,
    );
    const prompt = await p.dispatch();
    expect(prompt.outputs.phase).toBe('awaiting-confirmation');
    const held = `environment \`staging\` is held by @olga since ${since.toISOString()} (reason: db migration, until ${new Date(since.getTime() + 3 * HOUR).toISOString()}); an operator can \`/unlock staging\`.`;
    const confirmation = p.gh.comments(p.number).find((c) => c.body.includes('Confirm this'));
    expect(plain(confirmation!.body)).toContain(`**🔒 Held:** ${held}`);
    expect(plain(stickyOf(p.gh, p.number))).toContain(`**⚠️ Note:** ${held}`);
    const deploymentId = Number(prompt.outputs['deployment-id']);

    const before = releases();
    const refused = await p.say('dev', `/confirm ${prompt.outputs.digest}`);
    expect(refused.outputs).toMatchObject({ phase: 'refused', 'deployment-id': `${deploymentId}` });
    expect(plain(lastComment(p.gh, p.number))).toContain(
      `was refused: nothing was deployed and the prompt stays open: ${held}`,
    );
    expect(releases()).toEqual(before);
    expect(p.gh.deploymentState(deploymentId)).toBe('queued');
    expect(p.gh.branch('deploy-request/lock/staging')).toBeUndefined();

    const unlocked = await p.say('oscar', '/unlock staging');
    expect(unlocked.outputs).toMatchObject({ phase: 'ignored', environment: 'staging' });
    expect(plain(lastComment(p.gh, p.number))).toContain('was lifted by @oscar');
    const deployed = await p.say('dev', `/confirm ${prompt.outputs.digest}`);
    expect(deployed.outputs.phase).toBe('deployed');
    expect(releases()).toHaveLength(before.length + 1);
  });

  it("/lock with the operate job's token: a hold branch and a signed commit; a second /lock is refused", async () => {
    const p = await approvedPull();
    const locked = await p.say('otto', '/lock staging release freeze for 1d');
    expect(locked.outputs).toMatchObject({ phase: 'ignored', environment: 'staging' });
    expect(plain(lastComment(p.gh, p.number))).toMatch(
      /^🔒 Environment `staging` is now held by @otto: release freeze/,
    );
    expect(p.gh.branch('deploy-request/hold/staging')).toMatch(/^[0-9a-f]{40}$/);
    const again = await p.say('olga', '/lock staging mine');
    expect(again.outputs.phase).toBe('refused');
    expect(plain(lastComment(p.gh, p.number))).toContain('it is already held: environment');
  });
});
