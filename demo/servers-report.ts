// After the deployment: what is on each server, read over SSH with the pinned host key, as an
// operator would check it. `current`, the release's .deploy-request.json, the health check.
import { createSshConnector } from '../src/ssh/connector.js';
import { shellQuote } from '../src/ssh/shell-quote.js';
import type { TestServer } from '../test/support/sshd.js';
import { DEPLOY_PATH } from './fixture.js';

export interface ServerReport {
  name: string;
  target: string;
  /** What `current` points to ("releases/<id>"), or '' when it is missing. */
  current: string;
  metadata: Record<string, unknown> | undefined;
  health: { ok: boolean; output: string };
  /** What the activate command wrote to shared/live. */
  live: string;
}

export async function inspectServers(
  servers: TestServer[],
  privateKey: string,
): Promise<ServerReport[]> {
  const configs = servers.map((server) => server.serverConfig());
  const connector = createSshConnector({ privateKey, servers: configs });
  return Promise.all(
    configs.map(async (config) => {
      const session = await connector.connect(config);
      try {
        const sh = async (command: string) => session.exec(command, { timeoutMs: 15_000 });
        const current = (await sh(`readlink ${DEPLOY_PATH}/current`)).stdout.trim();
        const metaText = (await sh(`cat ${DEPLOY_PATH}/current/.deploy-request.json`)).stdout;
        let metadata: Record<string, unknown> | undefined;
        try {
          metadata = JSON.parse(metaText) as Record<string, unknown>;
        } catch {
          metadata = undefined;
        }
        const release = String(metadata?.release ?? '');
        const health = await sh(
          `cd ${DEPLOY_PATH}/current && RELEASE_DIR="$(pwd -P)" RELEASE=${shellQuote(release)} ./bin/health`,
        );
        const live = (await sh(`cat ${DEPLOY_PATH}/shared/live`)).stdout.trim();
        return {
          name: config.name,
          target: `${config.user}@${config.host}:${config.port}`,
          current,
          metadata,
          health: { ok: health.code === 0, output: (health.stdout + health.stderr).trim() },
          live,
        };
      } finally {
        await session.close();
      }
    }),
  );
}
