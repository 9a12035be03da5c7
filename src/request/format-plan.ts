// The plan as plain text for a terminal (`deploy-request plan`).
import type { DeployRequestConfig } from '../config/types.js';
import type { Plan } from './plan.js';

function artifactLine(plan: Plan): string {
  const a = plan.artifact;
  const sha = ` (sha256 ${a.sha256})`;
  if ('url' in a) return `${a.url}${sha}`;
  if ('release_asset' in a)
    return `release asset ${a.release_asset.name} of ${a.release_asset.tag}${sha}`;
  return `workspace file ${a.path}${sha}`;
}

export function formatPlan(plan: Plan, config: DeployRequestConfig): string {
  const env = config.environments[plan.environment];
  const out: string[] = [];
  const row = (label: string, value: string) => out.push(`  ${label.padEnd(12)} ${value}`);
  out.push(`Deploy ${plan.application} ${plan.release} to ${plan.environment}`);
  row(
    'reason',
    plan.reason
      .trim()
      .split('\n')
      .join('\n' + ' '.repeat(15)),
  );
  row('artifact', artifactLine(plan));
  out.push('', `Approval stages (${env?.approval.ordered === false ? 'any order' : 'in order'}):`);
  plan.stages.forEach((stage, i) => {
    out.push(
      `  ${i + 1}. ${stage.name}: ${stage.required} approval${stage.required === 1 ? '' : 's'} from ${stage.reviewers.join(', ')}`,
    );
  });
  out.push('', `Servers (${plan.servers.length}):`);
  const width = Math.max(...plan.servers.map((s) => s.name.length));
  for (const s of plan.servers) {
    const host = s.host.includes(':') ? `[${s.host}]` : s.host;
    out.push(
      `  ${s.name.padEnd(width)}  ${s.user}@${host}:${s.port}${s.via ? ` via ${s.via}` : ''}`,
    );
  }
  if (env) {
    const d = env.deploy;
    const tolerance =
      d.max_failed_servers === 0
        ? 'no failed server tolerated'
        : `up to ${d.max_failed_servers} failed tolerated`;
    const rollback = d.rollback_on_failure ? 'rollback on failure' : 'no rollback';
    out.push(
      '',
      `Batches (${d.batch_size} server${d.batch_size === 1 ? '' : 's'} each, ${tolerance}, ${rollback}):`,
    );
  } else out.push('', 'Batches:');
  plan.batches.forEach((batch, i) => out.push(`  ${i + 1}. ${batch.join(', ')}`));
  out.push('', 'Checks on every server:');
  if (plan.checks.length === 0) out.push('  (none)');
  for (const check of plan.checks) out.push(`  - ${check}`);
  const variables = Object.entries(plan.variables);
  if (variables.length > 0) {
    out.push('', 'Variables:');
    for (const [name, value] of variables) out.push(`  ${name}=${JSON.stringify(value)}`);
  }
  if (env)
    out.push(
      '',
      `Deploys into ${env.deploy.path}/releases/<id>, then switches ${env.deploy.path}/current.`,
    );
  return out.join('\n') + '\n';
}
