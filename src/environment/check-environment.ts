// The step the action runs once approvals are met: per server, connect once and run ONE script
// (one exec channel) that provisions, then checks.
import type { ChecksConfig, ProvisionConfig, ServerConfig } from '../config/types.js';
import { formatMs, runOnServers, type RunLog, type ServerLog } from '../ssh/run-on-servers.js';
import type { SshConnector } from '../ssh/types.js';
import { checksTimeoutMs, checkValues } from './check-script.js';
import { checkResults } from './checks.js';
import { environmentScript } from './environment-script.js';
import { provisionValues, parseProvisionOutput } from './provision-script.js';
import { provisionMissing } from './provision.js';
import type { CheckResult, ProvisionItemResult, ServerEnvironmentResult } from './types.js';

export interface CheckEnvironmentOptions {
  servers: ServerConfig[];
  provision: ProvisionConfig;
  checks: ChecksConfig;
  /** Servers worked on at once. */
  parallel: number;
  connector: SshConnector;
  log: RunLog;
}

interface Work {
  provision: ProvisionItemResult[];
  checks: CheckResult[];
  /** Set when the server was reached but the work broke off (e.g. connection lost). */
  error?: string;
}

function logItem(log: ServerLog, item: ProvisionItemResult): void {
  const detail = item.detail ? `: ${item.detail.split('\n').slice(-5).join(' | ')}` : '';
  log.info(`provision ${item.kind} ${item.target}: ${item.status}${detail}`);
}

function logCheck(log: ServerLog, check: CheckResult): void {
  if (check.info) log.info(`${check.name}: ${check.actual}`);
  else
    log.info(
      `${check.passed ? 'pass' : 'FAIL'} ${check.name}: ${check.actual} (expected ${check.expected})`,
    );
}

async function onServer(
  server: ServerConfig,
  opts: CheckEnvironmentOptions,
  log: ServerLog,
): Promise<Work> {
  const started = performance.now();
  const session = await opts.connector.connect(server);
  log.info(
    `connected to ${server.user}@${server.host}:${server.port} in ${formatMs(performance.now() - started)}`,
  );
  const work: Work = { provision: [], checks: [] };
  try {
    const { values, items } = provisionValues(opts.provision);
    const script = environmentScript(values, checkValues(opts.checks));
    // Provisioning commands may take long (the session's default bound, as they always had);
    // checks alone are bounded by what their probes may take.
    const provisions = items.some((item) => !item.refused);
    const result = await session.exec(script, {
      timeoutMs: provisions ? undefined : checksTimeoutMs(opts.checks),
    });
    work.provision = parseProvisionOutput(result.stdout, items, provisionMissing(result));
    work.provision.forEach((item) => logItem(log, item));
    work.checks = checkResults(result, opts.checks);
    work.checks.forEach((check) => logCheck(log, check));
  } catch (error) {
    work.error = error instanceof Error ? error.message : String(error);
    log.info(`error: ${work.error}`);
  } finally {
    await session.close();
  }
  return work;
}

export async function checkEnvironment(
  opts: CheckEnvironmentOptions,
): Promise<ServerEnvironmentResult[]> {
  const outcomes = await runOnServers(
    opts.servers,
    opts.parallel,
    (server, log) => onServer(server, opts, log),
    opts.log,
  );
  return outcomes.map((outcome): ServerEnvironmentResult => {
    const base = {
      server: outcome.server.name,
      host: outcome.server.host,
      ms: Math.round(outcome.ms),
    };
    if (!outcome.ok) {
      return {
        ...base,
        reachable: false,
        provision: [],
        checks: [],
        passed: false,
        error: outcome.error.message,
      };
    }
    const { provision, checks, error } = outcome.value;
    const passed =
      !error &&
      provision.every((item) => item.status !== 'failed') &&
      checks.every((check) => check.passed);
    return { ...base, reachable: true, provision, checks, passed, ...(error ? { error } : {}) };
  });
}
