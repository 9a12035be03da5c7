// Issue 15 /status (e2e, built action, stand-in, real sshd): one table per environment from the
// ledger on every server; a server that cannot be reached keeps its row and the others still show;
// refusals for outsiders, unknown environments and a PR with no request to take one from.
import { readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { issueCommentEvent } from '../support/events.js';
import type { GitHubStandIn } from '../support/github-stand-in/index.js';
import { commentAndRun, promptedPull } from './deploy-scenario.js';
import { REQUEST_PATH, repoWithConfig, run } from './scenario.js';
import { configFor, requestFor, serverEntry, useSshServers } from './servers-scenario.js';

const fleet = useSshServers(2);

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function statusRun(gh: GitHubStandIn, number: number, user: string, body: string, key: string) {
  const id = gh.comment(number, user, body);
  return run(gh, {
    eventName: 'issue_comment',
    payload: issueCommentEvent(gh, 'created', id),
    inputs: { 'ssh-private-key': key },
  });
}

describe('/status (e2e, real sshd)', () => {
  it("after a deployment: each server's live release, when and by which PR, the locks free", async () => {
    const { servers, clientKey } = fleet();
    const p = await promptedPull(servers, clientKey.privateKey);
    expect((await commentAndRun(p, 'dev', `/confirm ${p.digest}`)).outputs.phase).toBe('deployed');
    const result = await commentAndRun(p, 'alice', '/status');
    expect(result.outputs.phase).toBe('ignored');
    expect(result.outputs.environment).toBe('staging');
    expect(result.code).toBe(0);
    const reply = p.gh.comments(p.number).at(-1)!.body;
    expect(reply).toContain('### 📋 Status of staging');
    for (const server of servers) {
      const id = readlinkSync(join(server.home, 'app/current')).replace('releases/', '');
      expect(reply).toMatch(
        new RegExp(
          `\\| ${server.name} \\| \`${id}\` 1\\.4\\.2 \\| .+ UTC \\(\\d+ min ago\\) \\| \\\\#${p.number} by @dev \\|`,
        ),
      );
    }
    expect(reply).toContain('**Deployment lock:** free');
    expect(reply).toContain('**Hold:** none');
    expect(reply).toContain(`**Open prompt on \\#${p.number}:** none`);
  });

  it('shows the hold (who, why, until when) and the open prompt with its command', async () => {
    const { servers, clientKey } = fleet();
    const p = await promptedPull(servers.slice(0, 1), clientKey.privateKey, {
      operators: ['otto'],
    });
    const lock = await commentAndRun(p, 'otto', '/lock staging db migration for 2h');
    expect(lock.outputs.phase, lock.stdout).not.toBe('refused');
    await commentAndRun(p, 'alice', '/status');
    const reply = p.gh.comments(p.number).at(-1)!.body;
    expect(reply).toMatch(/\*\*Hold:\*\* 🔒 @otto since .+: db migration; expires .+\(in 2 h\)/);
    expect(reply).toContain('`/unlock staging`');
    expect(reply).toContain(`deploy 1.4.2, \`/confirm ${p.digest}\``);
  });

  it('an unreachable server has a row saying so; the others still show', async () => {
    const { servers, clientKey } = fleet();
    const gone = { ...serverEntry(servers[0]!), name: 'web-gone', port: await closedPort() };
    const gh = await repoWithConfig(
      configFor(servers, { servers: [...servers.map(serverEntry), gone] }),
    );
    const { number } = gh.openPull({ author: 'dev', headFiles: { [REQUEST_PATH]: requestFor() } });
    const result = await statusRun(gh, number, 'alice', '/status staging', clientKey.privateKey);
    expect(result.outputs.phase).toBe('ignored');
    const reply = gh.comments(number).at(-1)!.body;
    expect(reply).toContain('1 of 3 server(s) could not be read');
    expect(reply).toMatch(/\| web-gone \| ⚠️ could not be read: .+\|/);
    for (const server of servers) expect(reply).toMatch(new RegExp(`\\| ${server.name} \\| `));
    expect(result.stdout).toContain('(1 server(s) could not be read)');
  });

  it('refused, nothing read: an outsider, an unknown environment, no request and no name', async () => {
    const { servers, clientKey } = fleet();
    const gh = await repoWithConfig(configFor(servers), { collaborators: ['alice'] });
    const { number } = gh.openPull({ author: 'dev', headFiles: { 'README.md': 'no request' } });
    const key = clientKey.privateKey;

    const outsider = await statusRun(gh, number, 'mallory', '/status staging', key);
    expect(outsider.outputs.phase).toBe('refused');
    expect(gh.comments(number).at(-1)!.body).toContain('only the repository');

    const unknown = await statusRun(gh, number, 'alice', '/status production', key);
    expect(unknown.outputs.phase).toBe('refused');
    expect(gh.comments(number).at(-1)!.body).toMatch(/no environment `production`.*`staging`/);

    const unnamed = await statusRun(gh, number, 'alice', '/status', key);
    expect(unnamed.outputs.phase).toBe('refused');
    expect(gh.comments(number).at(-1)!.body).toMatch(/name one: `\/status <environment>`/);
    expect(gh.comments(number).some((c) => c.body.includes('📋 Status of'))).toBe(false);
  });
});
