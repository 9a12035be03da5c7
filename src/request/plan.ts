// What a valid request would do, spelled out: who approves, which servers in which batches, what
// is checked. Shown by `deploy-request plan` and in the confirmation comment.
import type { ApprovalStage, DeployRequestConfig, ServerConfig } from '../config/types.js';
import type { ArtifactSource, DeployRequest } from './types.js';

export interface Plan {
  application: string;
  release: string;
  environment: string;
  reason: string;
  artifact: ArtifactSource;
  /** In request order when the request lists servers, else in configuration order. */
  servers: ServerConfig[];
  /** Server names, `deploy.batch_size` per batch, in the order of `servers`. */
  batches: string[][];
  stages: ApprovalStage[];
  /** Human lines, e.g. "disk free on /srv ≥ 512 MB". */
  checks: string[];
  variables: Record<string, string>;
}

function checkLines(config: DeployRequestConfig['environments'][string]['checks']): string[] {
  const lines: string[] = [];
  if (config.disk_free)
    lines.push(`disk free on ${config.disk_free.path} ≥ ${config.disk_free.min_mb} MB`);
  if (config.memory_available_mb !== undefined) {
    lines.push(`memory available ≥ ${config.memory_available_mb} MB`);
  }
  for (const binary of config.binaries) lines.push(`\`${binary}\` on PATH`);
  for (const port of config.ports_free) lines.push(`port ${port} free`);
  for (const command of config.commands) {
    lines.push(
      command.expect === undefined
        ? `${command.name}: \`${command.run}\` succeeds`
        : `${command.name}: \`${command.run}\` output matches /${command.expect}/`,
    );
  }
  return lines;
}

/**
 * Expects a request that loadRequest accepted against this config; throws (a programming error)
 * when its environment or servers are unknown.
 */
export function buildPlan(request: DeployRequest, config: DeployRequestConfig): Plan {
  const env = Object.hasOwn(config.environments, request.environment)
    ? config.environments[request.environment]
    : undefined;
  if (!env) throw new Error(`buildPlan: unknown environment ${request.environment}`);
  const servers = request.servers
    ? request.servers.map((name) => {
        const server = env.servers.find((s) => s.name === name);
        if (!server) throw new Error(`buildPlan: unknown server ${name}`);
        return server;
      })
    : [...env.servers];
  const size = Math.max(1, env.deploy.batch_size);
  const batches: string[][] = [];
  for (let i = 0; i < servers.length; i += size) {
    batches.push(servers.slice(i, i + size).map((s) => s.name));
  }
  return {
    application: request.application,
    release: request.release,
    environment: request.environment,
    reason: request.reason,
    artifact: request.artifact,
    servers,
    batches,
    stages: env.approval.stages,
    checks: checkLines(env.checks),
    variables: { ...(request.variables ?? {}) },
  };
}
