// Rules of the configuration that a JSON Schema cannot express: names unique per environment,
// `via` pointing at a sibling without loops, satisfiable approval stages, valid `expect` regexes,
// sensible deployment windows (check-windows.ts).
import { EMERGENCY_STAGE } from '../policy/emergency-policy.js';
import type { Issue } from '../yaml/locate.js';
import type { PathSegment } from '../yaml/path.js';
import type { DeployRequestConfig, EnvironmentConfig } from './types.js';
import { windowsIssues } from './check-windows.js';

function duplicates(
  names: readonly string[],
  path: (i: number) => PathSegment[],
  what: string,
): Issue[] {
  const first = new Map<string, number>();
  const issues: Issue[] = [];
  names.forEach((name, i) => {
    const earlier = first.get(name);
    if (earlier === undefined) first.set(name, i);
    else
      issues.push({
        path: path(i),
        anchor: 'value',
        message: `${what} \`${name}\` is already used by item ${earlier + 1}; ${what} names must be unique in an environment`,
      });
  });
  return issues;
}

function viaIssues(env: EnvironmentConfig, base: PathSegment[]): Issue[] {
  const issues: Issue[] = [];
  const byName = new Map(env.servers.map((s) => [s.name, s]));
  const known = [...byName.keys()].join(', ');
  const reported = new Set<string>();
  env.servers.forEach((server, i) => {
    if (server.via === undefined) return;
    const path = [...base, 'servers', i, 'via'];
    if (server.via === server.name) {
      issues.push({
        path,
        anchor: 'value',
        message: 'a server cannot jump through itself; name another server of this environment',
      });
      return;
    }
    if (!byName.has(server.via)) {
      issues.push({
        path,
        anchor: 'value',
        message: `\`${server.via}\` is not a server of environment \`${String(base[1])}\`; known: ${known}`,
      });
      return;
    }
    // Follow the chain; meeting a server twice means the jumps never reach a direct host.
    const chain = [server.name];
    for (let hop = byName.get(server.via); hop; hop = hop.via ? byName.get(hop.via) : undefined) {
      if (chain.includes(hop.name)) {
        const loop = [...chain.slice(chain.indexOf(hop.name)), hop.name];
        const key = [...loop].slice(0, -1).sort().join(',');
        if (!reported.has(key) && hop.name === server.name) {
          reported.add(key);
          issues.push({
            path,
            anchor: 'value',
            message: `\`via\` servers form a loop: ${loop.join(' → ')}; one of them must be reachable directly`,
          });
        }
        break;
      }
      chain.push(hop.name);
    }
  });
  return issues;
}

function stageIssues(env: EnvironmentConfig, base: PathSegment[]): Issue[] {
  const issues = duplicates(
    env.approval.stages.map((s) => s.name),
    (i) => [...base, 'approval', 'stages', i, 'name'],
    'stage',
  );
  env.approval.stages.forEach((stage, i) => {
    const users = stage.reviewers.filter((r) => !r.includes('/'));
    if (users.length < stage.reviewers.length || stage.required <= users.length) return;
    issues.push({
      path: [...base, 'approval', 'stages', i, 'required'],
      anchor: 'value',
      message: `${stage.required} approvals required but only ${users.length} reviewer${users.length === 1 ? '' : 's'} listed (${users.join(', ')}); list more reviewers, add a team (org/team) or lower \`required\``,
    });
  });
  return issues;
}

/** Break-glass: an approvers' stage that can never be met, or a stage name it would clash with. */
function emergencyIssues(env: EnvironmentConfig, base: PathSegment[]): Issue[] {
  const policy = env.emergency;
  if (!policy) return [];
  const issues: Issue[] = [];
  const users = policy.approvers.filter((r) => !r.includes('/'));
  if (users.length === policy.approvers.length && policy.required > users.length) {
    issues.push({
      path: [...base, 'emergency', 'required'],
      anchor: 'value',
      message: `${policy.required} emergency approvals required but only ${users.length} approver${users.length === 1 ? '' : 's'} listed (${users.join(', ')}); list more approvers, add a team (org/team) or lower \`required\``,
    });
  }
  env.approval.stages.forEach((stage, i) => {
    if (stage.name !== EMERGENCY_STAGE) return;
    issues.push({
      path: [...base, 'approval', 'stages', i, 'name'],
      anchor: 'value',
      message: `the stage name \`${EMERGENCY_STAGE}\` is the emergency approvers' stage when \`emergency\` is configured; rename this stage`,
    });
  });
  return issues;
}

function expectIssues(env: EnvironmentConfig, base: PathSegment[]): Issue[] {
  const issues: Issue[] = [];
  env.checks.commands.forEach((command, i) => {
    if (command.expect === undefined) return;
    try {
      new RegExp(command.expect);
    } catch (error) {
      const why =
        error instanceof Error
          ? error.message.replace(/^Invalid regular expression: /, '')
          : String(error);
      issues.push({
        path: [...base, 'checks', 'commands', i, 'expect'],
        anchor: 'value',
        message: `not a valid regular expression: ${why}`,
      });
    }
  });
  return issues;
}

/** Semantic problems of a schema-valid configuration, in file order of environments. */
export function checkConfig(config: DeployRequestConfig): Issue[] {
  const issues: Issue[] = [];
  for (const [name, env] of Object.entries(config.environments)) {
    const base: PathSegment[] = ['environments', name];
    issues.push(
      ...duplicates(
        env.servers.map((s) => s.name),
        (i) => [...base, 'servers', i, 'name'],
        'server',
      ),
      ...viaIssues(env, base),
      ...stageIssues(env, base),
      ...expectIssues(env, base),
      ...windowsIssues(env.windows, base),
      ...emergencyIssues(env, base),
    );
  }
  return issues;
}
