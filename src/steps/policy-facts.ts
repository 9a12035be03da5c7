// The facts the policy gates establish for a plan, read the same way where the prompt is made
// (environment-step.ts) and where /confirm checks it (handle-confirm.ts): both bind them into the
// digest, so the two must never compute them differently. One gate per block below; a gate that
// is not configured costs no API call.
import type { PolicyFacts } from '../confirm/digest.js';
import type { RunContext } from '../edge/run-context.js';
import {
  checksTarget,
  judgeChecks,
  namesWithoutRuns,
  type StatusFact,
} from '../policy/required-checks.js';
import type { RequiredChecksView } from '../report/required-checks-view.js';
import type { VerifiedRequest } from './verify-request.js';

export interface PolicyReading {
  /** What the digest binds (empty without gates: digests stay what they were). */
  facts: PolicyFacts;
  /** require_checks: the checks as read, for the sticky comment and the prompt. */
  requiredChecks?: RequiredChecksView & { tag?: string };
  /** Set when a gate cannot be met as configured: refuse, naming the file and the fix. */
  refusal?: string;
}

export async function readPolicyFacts(ctx: RunContext, v: VerifiedRequest): Promise<PolicyReading> {
  const facts: PolicyFacts = {};
  const reading: PolicyReading = { facts };
  const rule = v.environment.require_checks;
  if (rule) {
    const target = checksTarget(rule, v.request.artifact, v.pull.headSha, ctx.settings.configPath);
    if (target.kind === 'none') return { facts, refusal: target.reason };
    let commit: string;
    let what: string;
    if (target.kind === 'tag') {
      const sha = await ctx.github.commitOf(`tags/${target.tag}`);
      if (!sha) {
        return {
          facts,
          refusal: `require_checks reads the checks on the commit of the release's tag, and tag ${target.tag} names no commit in this repository: publish the release, then comment \`${ctx.settings.commandPrefix}recheck\`.`,
        };
      }
      commit = sha;
      what = `tag ${target.tag}`;
    } else {
      commit = target.sha;
      what = target.what;
    }
    const runs = await ctx.github.listCheckRuns(commit);
    // Commit statuses are read only for names no check run answers (most CI reports check runs).
    const statuses: StatusFact[] =
      namesWithoutRuns(rule.checks, runs).length > 0 ? await ctx.github.listStatuses(commit) : [];
    const verdict = judgeChecks(rule.checks, runs, statuses);
    reading.requiredChecks = {
      commit,
      what,
      checks: verdict.checks,
      passed: verdict.passed,
      ...(target.kind === 'tag' ? { tag: target.tag } : {}),
    };
    facts.checks = { commit, states: verdict.states };
  }
  // Break-glass: the switch (why, by whom, when) is bound, so a prompt made before /emergency
  // cannot be confirmed under the emergency policy, nor one made under it after a new switch.
  if (v.emergency) {
    const { reason, by, at } = v.emergency;
    facts.emergency = { reason, by, at };
  }
  return reading;
}
