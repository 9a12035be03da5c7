// Reads the release ledger of every server of an environment: one round trip per server
// (src/remote/ledger-read.sh), servers in parallel (deploy.parallel). A server that cannot be
// reached, or whose ledger cannot be read, gets a row saying why; the others still answer.
import type { EnvironmentConfig, ServerConfig } from '../config/types.js';
import type { RunContext } from '../edge/run-context.js';
import { trustedKey } from '../edge/trusted-key.js';
import { deployScript } from '../deploy/remote-shell.js';
import ledgerRead from '../remote/ledger-read.sh';
import { loadSshLibrary } from '../ssh/load-library.js';
import { runOnServers, type RunLog } from '../ssh/run-on-servers.js';
import { withSession } from '../deploy/server-batch.js';
import type { ServerSession, SshConnector } from '../ssh/types.js';
import { parseLedgerOutput } from './ledger-output.js';
import type { ServerLedger } from './types.js';

/** A listing is small and reads nothing large: a server that takes longer is stuck. */
const READ_TIMEOUT_MS = 60_000;

/** The read on the deployment scripts' library (it takes no lock: no digest, no staleness). */
export function ledgerScript(deployPath: string): string {
  return deployScript({ deployPath, digest: '', staleMinutes: 0 }, {}, ledgerRead);
}

/** One server's ledger over an open session. */
export async function readLedger(
  session: ServerSession,
  deployPath: string,
): Promise<ServerLedger> {
  const result = await session.exec(ledgerScript(deployPath), { timeoutMs: READ_TIMEOUT_MS });
  return parseLedgerOutput(session.server.name, result);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The ledgers of `servers` through `connector`, in the order of `servers`. */
export async function readLedgersWith(
  connector: SshConnector,
  servers: ServerConfig[],
  deployPath: string,
  parallel: number,
  log: RunLog,
): Promise<ServerLedger[]> {
  const outcomes = await runOnServers(
    servers,
    parallel,
    async (server, serverLog): Promise<ServerLedger> => {
      const ledger = await withSession(
        (s) => connector.connect(s),
        server,
        (session) =>
          readLedger(session, deployPath).catch((error: unknown): ServerLedger => ({
            server: server.name,
            ok: false,
            error: `reading the ledger: ${message(error)}`,
          })),
        (error): ServerLedger => ({ server: server.name, ok: false, error }),
      );
      serverLog.info(
        ledger.ok
          ? `ledger: current ${ledger.current ?? 'none'}, ${ledger.releases.length} release(s)`
          : `ledger: ${ledger.error}`,
      );
      return ledger;
    },
    log,
  );
  // The work above returns every failure as a row: a throw here would be a bug, said as such.
  return outcomes.map((o) =>
    o.ok ? o.value : { server: o.server.name, ok: false, error: `${o.error}` },
  );
}

export async function readLedgers(
  ctx: RunContext,
  environment: EnvironmentConfig,
  servers: ServerConfig[],
): Promise<ServerLedger[]> {
  const { createSshConnector } = await loadSshLibrary();
  const connector = createSshConnector({
    privateKey: (await trustedKey(ctx)).privateKey,
    servers: environment.servers,
  });
  const { path, parallel } = environment.deploy;
  return readLedgersWith(connector, servers, path, parallel, ctx.log);
}
