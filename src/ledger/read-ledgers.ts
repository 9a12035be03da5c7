// Reads the release ledger of every server of an environment: one round trip per server
// (src/remote/ledger-read.sh), servers in parallel (deploy.parallel). A server that cannot be
// reached, or whose ledger cannot be read, gets a row saying why; the others still answer.
import type { EnvironmentConfig, ServerConfig } from '../config/types.js';
import type { RunContext } from '../edge/run-context.js';
import type { ServerLedger } from './types.js';

export async function readLedgers(
  ctx: RunContext,
  environment: EnvironmentConfig,
  servers: ServerConfig[],
): Promise<ServerLedger[]> {
  void ctx;
  void environment;
  return servers.map((server) => ({ server: server.name, ok: false, error: 'not yet' }));
}
