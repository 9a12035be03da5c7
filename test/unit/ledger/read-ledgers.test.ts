// readLedgers over real sshd servers: one round trip per server lists current, every release
// with its entry (older formats and broken files included) and the remote lock; a server that
// cannot be reached gets a row saying so while the others still answer.
import { chown, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLedgers, readLedgersWith } from '../../../src/ledger/read-ledgers.js';
import { createSshConnector } from '../../../src/ssh/connector.js';
import { startSshServers, type SshServers } from '../../support/sshd.js';
import {
  deployConfig,
  deployReleases,
  environmentOf,
  releaseMetadata,
  sshContext,
} from '../deploy/support.js';

const OLD = '20261101T000000Z-0123456789ab';
const BROKEN = '20261102T000000Z-0123456789ab';
const deploy = deployConfig({ path: 'ledger' });
let fleet: SshServers;
const ids: string[][] = [];

beforeAll(async () => {
  fleet = await startSshServers(2, { namePrefix: 'led' });
  const connector = createSshConnector({ privateKey: fleet.clientKey.privateKey, servers: [] });
  for (const server of fleet.servers) {
    const session = await connector.connect(server.serverConfig());
    ids.push(await deployReleases(session, deploy, ['1.0.0', '1.1.0']));
    await session.close();
  }
  // On led-1, what older versions and accidents left: a pretty-printed entry with fewer fields,
  // a file that is no JSON, and a lock of a deployment that is running.
  const base = path.join(fleet.servers[0]!.home, 'ledger');
  await mkdir(path.join(base, 'releases', OLD));
  await mkdir(path.join(base, 'releases', BROKEN));
  const { application, release, digest, deployed_at } = releaseMetadata({ release: '0.9.0' });
  const old = { application, release, digest, deployed_at };
  await writeFile(
    path.join(base, 'releases', OLD, '.deploy-request.json'),
    JSON.stringify(old, null, 2),
  );
  await writeFile(
    path.join(base, 'releases', BROKEN, '.deploy-request.json'),
    '{"release": "0.9.5",',
  );
  await writeFile(path.join(base, '.deploy-request.lock'), 'feedfacefeedface 1764064800\n');
  for (const dir of [OLD, BROKEN]) await chown(path.join(base, 'releases', dir), 0, 0);
});
afterAll(() => fleet?.stop());

describe('readLedgers', () => {
  it('reads current, every release newest first with its entry, and the remote lock', async () => {
    const servers = fleet.servers.map((s) => s.serverConfig());
    const ctx = sshContext(fleet.clientKey.privateKey);
    const [one, two] = await readLedgers(ctx, environmentOf(servers, deploy), servers);
    const [a1, b1] = ids[0]!;
    expect(one).toMatchObject({
      server: 'led-1',
      ok: true,
      current: b1,
      remoteLock: { digest: 'feedfacefeedface', since: '2025-11-25T10:00:00.000Z' },
    });
    if (!one?.ok) throw new Error('led-1 unread');
    expect(one.releases.map((r) => [r.id, r.complete, r.meta?.release, r.meta?.result])).toEqual([
      [b1, true, '1.1.0', 'deployed'],
      [a1, true, '1.0.0', 'deployed'],
      [BROKEN, false, undefined, undefined],
      [OLD, true, '0.9.0', undefined],
    ]);
    expect(one.releases[0]).toMatchObject({
      bad: false,
      meta: { server: 'led-1', release_id: b1, finished_at: expect.stringMatching(/Z$/) },
    });
    expect(two).toMatchObject({ server: 'led-2', ok: true, current: ids[1]![1] });
    expect(two).not.toHaveProperty('remoteLock');
    // Each server's group says what it found (groups print as servers finish).
    expect(ctx.recorded.groups.map((g) => g.lines.join('\n')).sort()).toEqual([
      `ledger: current ${ids[1]![1]}, 2 release(s)`,
      `ledger: current ${b1}, 4 release(s)`,
    ]);
  });

  it('a deploy path that is not there yet: no current, no releases', async () => {
    const servers = [fleet.servers[1]!.serverConfig()];
    const ctx = sshContext(fleet.clientKey.privateKey);
    const env = environmentOf(servers, deployConfig({ path: 'never-deployed' }));
    expect(await readLedgers(ctx, env, servers)).toEqual([
      { server: 'led-2', ok: true, current: null, releases: [] },
    ]);
  });

  it('a read cut off on the way gets a row saying why', async () => {
    const server = fleet.servers[0]!.serverConfig();
    const connector = {
      connect: () =>
        Promise.resolve({
          server,
          exec: () => Promise.reject(new Error('channel closed')),
          close: () => Promise.reject(new Error('already closed')),
        }),
    };
    const log = { group: () => undefined, info: () => undefined };
    expect(await readLedgersWith(connector, [server], 'ledger', 1, log)).toEqual([
      { server: 'led-1', ok: false, error: 'reading the ledger: channel closed' },
    ]);
  });

  it('an unreachable server gets a row saying why; the other still answers', async () => {
    await fleet.servers[1]!.kill();
    const servers = fleet.servers.map((s) => s.serverConfig());
    const ctx = sshContext(fleet.clientKey.privateKey);
    const [one, two] = await readLedgers(ctx, environmentOf(servers, deploy), servers);
    expect(one).toMatchObject({ server: 'led-1', ok: true, current: ids[0]![1] });
    expect(two).toEqual({
      server: 'led-2',
      ok: false,
      error: expect.stringMatching(/^connect: .*led-2/),
    });
  });
});
