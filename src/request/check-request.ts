// Checks a schema-valid request against the trusted configuration: the environment and servers
// exist, variables are allowed and small, and an artifact path cannot leave the workspace.
import type { DeployRequestConfig } from '../config/types.js';
import type { Issue } from '../yaml/locate.js';
import { relativePathProblem } from '../yaml/relative-path.js';
import type { DeployRequest } from './types.js';

/** Largest value a request variable may carry, in UTF-8 bytes. */
export const MAX_VARIABLE_BYTES = 4096;

function variableIssues(request: DeployRequest, allowed: readonly string[], env: string): Issue[] {
  const issues: Issue[] = [];
  for (const [name, value] of Object.entries(request.variables ?? {})) {
    const path = ['variables', name];
    if (!allowed.includes(name)) {
      const which =
        allowed.length === 0
          ? `environment \`${env}\` allows no request variables (its deploy.request_variables is empty)`
          : `allowed for environment \`${env}\`: ${allowed.join(', ')}`;
      issues.push({
        path,
        anchor: 'key',
        message: `variable \`${name}\` is not allowed; ${which}`,
      });
    } else if (value.includes('\0')) {
      issues.push({ path, anchor: 'value', message: 'must not contain NUL characters' });
    } else if (Buffer.byteLength(value, 'utf8') > MAX_VARIABLE_BYTES) {
      const bytes = Buffer.byteLength(value, 'utf8');
      issues.push({
        path,
        anchor: 'value',
        message: `must be at most 4 KiB (${MAX_VARIABLE_BYTES} bytes), got ${bytes} bytes`,
      });
    }
  }
  return issues;
}

export function checkRequest(
  request: DeployRequest,
  config: DeployRequestConfig,
  configFile: string,
): Issue[] {
  const issues: Issue[] = [];
  if ('path' in request.artifact) {
    const problem = relativePathProblem(request.artifact.path);
    if (problem) issues.push({ path: ['artifact', 'path'], anchor: 'value', message: problem });
  }
  const env = Object.hasOwn(config.environments, request.environment)
    ? config.environments[request.environment]
    : undefined;
  if (!env) {
    const known = Object.keys(config.environments).join(', ');
    issues.push({
      path: ['environment'],
      anchor: 'value',
      message: `\`${request.environment}\` is not an environment of ${configFile}; known: ${known}`,
    });
    return issues;
  }
  const names = env.servers.map((s) => s.name);
  const seen = new Set<string>();
  (request.servers ?? []).forEach((name, i) => {
    if (!names.includes(name)) {
      issues.push({
        path: ['servers', i],
        anchor: 'value',
        message: `\`${name}\` is not a server of environment \`${request.environment}\`; known: ${names.join(', ')}`,
      });
    } else if (seen.has(name)) {
      issues.push({
        path: ['servers', i],
        anchor: 'value',
        message: `\`${name}\` is listed twice`,
      });
    }
    seen.add(name);
  });
  issues.push(...variableIssues(request, env.deploy.request_variables, request.environment));
  return issues;
}
