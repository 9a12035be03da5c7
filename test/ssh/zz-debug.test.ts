import { it } from 'vitest';
import { startSshServers } from '../support/sshd.js';
import { createSshConnector } from '../../src/ssh/connector.js';
it('debug', async () => {
  const env = await startSshServers(1, { namePrefix: 'dbg' });
  const s = env.servers[0]!;
  const session = await createSshConnector({ privateKey: env.clientKey.privateKey, servers: [] }).connect(s.serverConfig());
  console.log(await session.exec('kill -TERM $$'));
  console.log(await session.exec('kill -TERM $$'));
  console.log(await session.exec('echo started; sleep 30', { timeoutMs: 300 }));
  console.log(await session.exec('ps -o pid,args -u "$(id -u)"'));
  await session.close();
  await env.stop();
});
