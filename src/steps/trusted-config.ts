// The trusted configuration for a command that names its environment itself (/lock, /unlock):
// the default branch's, read at its tip now (invariant 1), in a run of the default branch's own
// workflow only (invariant 9: the run signs with the deployment key). No request is involved.
import { loadConfig } from '../config/load-config.js';
import type { DeployRequestConfig, EnvironmentConfig } from '../config/types.js';
import type { RunContext } from '../edge/run-context.js';
import { readTrustedConfig } from './resolve-request.js';
import { untrustedWorkflow } from './verify-request.js';

export type TrustedEnvironment =
  | { ok: true; config: DeployRequestConfig; environment: EnvironmentConfig }
  /** `reason` says what is wrong and what to do; `known` lists the environments there are. */
  | { ok: false; reason: string };

export async function trustedEnvironment(
  ctx: RunContext,
  name: string,
): Promise<TrustedEnvironment> {
  const { github, settings } = ctx;
  const defaultBranch = settings.defaultBranch ?? (await github.getDefaultBranch());
  const untrusted = untrustedWorkflow(settings.workflowRef, defaultBranch);
  if (untrusted) return { ok: false, reason: untrusted };
  const path = settings.configPath;
  const read = await readTrustedConfig(github, path, defaultBranch);
  const where = `\`${path}\` on \`${defaultBranch}\``;
  if ('problem' in read) return { ok: false, reason: `${where}: ${read.problem.message}` };
  if (read.file === null)
    return { ok: false, reason: `there is no configuration ${where}; add it first.` };
  const loaded = loadConfig(read.file.text, path);
  if (!loaded.ok) {
    return {
      ok: false,
      reason: `the configuration ${where} is not valid (${loaded.problems.length} problem(s), e.g. line ${loaded.problems[0]!.line}: ${loaded.problems[0]!.message}); fix it first.`,
    };
  }
  const config = loaded.value;
  const environment = Object.hasOwn(config.environments, name)
    ? config.environments[name]
    : undefined;
  if (!environment) {
    const known = Object.keys(config.environments).map((e) => `\`${e}\``);
    return {
      ok: false,
      reason: `there is no environment \`${name}\` in ${where}; the environments are ${known.join(', ')}.`,
    };
  }
  return { ok: true, config, environment };
}
