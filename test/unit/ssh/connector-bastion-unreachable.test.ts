// A server behind a bastion the bastion cannot reach: refused with both hops named, and the
// shared bastion connection is released (real sshd).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerConfig } from '../../../src/config/types.js';
import { createSshConnector } from '../../../src/ssh/connector.js';
import { SshError } from '../../../src/ssh/types.js';
import { startSshServers, type SshServers } from '../../support/sshd.js';

let env: SshServers;
beforeAll(async () => {
  env = await startSshServers(1, { namePrefix: 'hop' });
});
afterAll(() => env?.stop());

describe('createSshConnector through a bastion', () => {
  it('the bastion cannot open the forward: an SshError naming the target, then the next try works', async () => {
    const jump = env.servers[0]!.serverConfig();
    const behind: ServerConfig = {
      ...jump,
      name: 'behind',
      host: '127.0.0.1',
      port: 1,
      via: jump.name,
    };
    const connector = createSshConnector({
      privateKey: env.clientKey.privateKey,
      servers: [jump, behind],
    });
    const error = await connector.connect(behind).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SshError);
    expect(error).toMatchObject({
      server: 'behind',
      kind: 'connect',
      message: expect.stringMatching(
        new RegExp(
          `^behind \\(127\\.0\\.0\\.1:1 via ${jump.name}\\): ${jump.name} could not open a connection to 127\\.0\\.0\\.1:1 \\(`,
        ),
      ),
    });
    // The bastion link was released with the failure: a direct session still works.
    const session = await connector.connect(jump);
    expect((await session.exec('echo ok')).stdout).toBe('ok\n');
    await session.close();
  });
});
