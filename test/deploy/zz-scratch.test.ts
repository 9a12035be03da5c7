import { it } from 'vitest';
import { deployToServer } from '../../src/deploy/deploy-server.js';
import { createSshConnector } from '../../src/ssh/connector.js';
import { startSshServers } from '../support/sshd.js';
import { collectLog, deployConfig, deployInput, LOG_ACTIVATION, makeTarball } from './support.js';

it('scratch', async () => {
  const env = await startSshServers(1, { namePrefix: 'scr' });
  const s = env.servers[0]!;
  const session = await createSshConnector({ privateKey: env.clientKey.privateKey, servers: [] }).connect(s.serverConfig());
  const deploy = deployConfig({ activate: LOG_ACTIVATION + '; echo activated; echo warn >&2', health_check: { run: 'echo checking; test -f healthy', retries: 2, interval_s: 0.1 } });
  for (const [i, files, links] of [[1, { healthy: 'y' }, {}], [2, { x: 'n' }, {}], [3, { healthy: 'y' }, { evil: '/etc' }]] as const) {
    const log = collectLog();
    const r = await deployToServer(session, deployInput(await makeTarball(files, links), deploy, 'v' + i, i, { log }));
    console.log(JSON.stringify(r, null, 1), '\n', log.lines.join('\n'));
  }
  await session.close(); await env.stop();
});
