// The HTTP side: node:http on 127.0.0.1, an ephemeral port.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { actionRoutes } from './actions.js';
import { startAssetHost } from './asset-host.js';
import { checkRoutes } from './checks.js';
import { deploymentRoutes } from './deployments.js';
import { gitCommitRoutes } from './git-commits.js';
import { issueRecordRoutes } from './issue-ops.js';
import { issueRoutes } from './issues.js';
import { pullRoutes } from './pulls.js';
import { releaseRoutes } from './releases.js';
import { repoRoutes } from './repos.js';
import { Router } from './router.js';
import type { State } from './state.js';
import { statusRoutes } from './statuses.js';
import { teamRoutes } from './teams.js';

export interface Running {
  url: string;
  close(): Promise<void>;
}

export function buildRouter(state: State): Router {
  const r = new Router(state);
  repoRoutes(r);
  gitCommitRoutes(r);
  pullRoutes(r);
  issueRoutes(r);
  issueRecordRoutes(r);
  statusRoutes(r);
  deploymentRoutes(r);
  actionRoutes(r);
  teamRoutes(r);
  releaseRoutes(r);
  checkRoutes(r);
  return r;
}

export async function listen(state: State): Promise<Running> {
  const router = buildRouter(state);
  const server = createServer((req, res) => {
    router.handle(req, res).catch((e: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `stand-in error: ${String(e)}` }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  state.apiUrl = url;
  // Release downloads redirect there: another origin, as on GitHub.
  const assetHost = await startAssetHost(state);
  return {
    url,
    close: async () => {
      await assetHost.close();
      await new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
