// require_checks: which commit the checks are read on, each named check's state from the check
// runs and commit statuses found there, and what changed between the prompt and a /confirm. Pure.
import type { RequireChecksConfig } from '../config/types.js';
import type { ArtifactSource } from '../request/types.js';

export type CheckState = 'success' | 'failure' | 'pending' | 'missing';

/** A check run as the checks API lists it (only what the decision reads). */
export interface CheckRunFact {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
}

/** The newest commit status of a context (the combined status lists one per context). */
export interface StatusFact {
  context: string;
  state: string;
}

export interface RequiredCheck {
  name: string;
  state: CheckState;
  /** What GitHub says, for people: `completed: timed_out`, `status: error`, `in_progress`. */
  detail: string;
}

export interface ChecksVerdict {
  checks: RequiredCheck[];
  /** Every named check is `success`. */
  passed: boolean;
  /** Name → state: the facts bound into the digest. */
  states: Record<string, CheckState>;
}

/** The commit the checks are read on, or why there is none. */
export type ChecksTarget =
  | { kind: 'commit'; sha: string; what: string }
  | { kind: 'tag'; tag: string }
  | { kind: 'none'; reason: string };

/**
 * `on: head` reads the pull request's head. `on: artifact` reads the commit the artifact was
 * built from: a release asset's tag; for `path`, the head too (the trusted workflow builds the
 * pull request's head, and deploy-step refuses a `path` from any other checkout). A `url` names
 * no commit at all, so the gate cannot be met: the config needs `on: head`, or the artifact a release.
 */
export function checksTarget(
  rule: RequireChecksConfig,
  artifact: ArtifactSource,
  headSha: string,
  configFile: string,
): ChecksTarget {
  if (rule.on !== 'artifact') return { kind: 'commit', sha: headSha, what: 'the head commit' };
  if ('release_asset' in artifact) return { kind: 'tag', tag: artifact.release_asset.tag };
  if ('path' in artifact)
    return {
      kind: 'commit',
      sha: headSha,
      what: 'the head commit, which artifact.path is built from',
    };
  return {
    kind: 'none',
    reason:
      `${configFile}: require_checks.on: artifact needs a release_asset or path artifact, and this ` +
      'request downloads a url, which names no commit; use on: head or publish the artifact as a release asset.',
  };
}

/** The named checks no check run reports: only those are looked up in the commit statuses. */
export function namesWithoutRuns(names: string[], runs: CheckRunFact[]): string[] {
  return names.filter((n) => !runs.some((r) => r.name === n));
}

function ofRun(run: CheckRunFact): { state: CheckState; detail: string } {
  if (run.status !== 'completed') return { state: 'pending', detail: run.status };
  const conclusion = run.conclusion ?? 'none';
  return {
    state: conclusion === 'success' ? 'success' : 'failure',
    detail: `completed: ${conclusion}`,
  };
}

function ofStatus(status: StatusFact): { state: CheckState; detail: string } {
  const state: CheckState =
    status.state === 'success' ? 'success' : status.state === 'pending' ? 'pending' : 'failure';
  return { state, detail: `status: ${status.state}` };
}

/**
 * Each named check's state: a check run of that name wins over a commit status of that context;
 * of several runs of one name the newest (highest id, a re-run) counts. Only `success` passes:
 * neutral, skipped and cancelled runs do not show that CI built and tested this commit.
 */
export function judgeChecks(
  names: string[],
  runs: CheckRunFact[],
  statuses: StatusFact[],
): ChecksVerdict {
  const checks = names.map((name): RequiredCheck => {
    const run = runs.filter((r) => r.name === name).sort((a, b) => b.id - a.id)[0];
    const status = statuses.find((s) => s.context === name);
    const found = run ? ofRun(run) : status ? ofStatus(status) : undefined;
    return { name, ...(found ?? { state: 'missing', detail: 'not reported' }) };
  });
  return {
    checks,
    passed: checks.every((c) => c.state === 'success'),
    states: Object.fromEntries(checks.map((c) => [c.name, c.state])),
  };
}

export interface ChecksFacts {
  commit: string;
  states: Record<string, string>;
}

const short = (sha: string): string => sha.slice(0, 7);

/**
 * Why the checks facts of a /confirm differ from the prompt's, in words (undefined: they do not).
 * `tag` is the release's tag when the commit was read from one.
 */
export function checksChange(
  before: ChecksFacts | undefined,
  now: ChecksFacts | undefined,
  tag?: string,
): string | undefined {
  if (!before || !now) return undefined;
  if (before.commit !== now.commit) {
    return tag
      ? `tag ${tag} now points to ${short(now.commit)}, not ${short(before.commit)} as when the prompt was posted.`
      : `the checks are now read on ${short(now.commit)}, not ${short(before.commit)} as when the prompt was posted.`;
  }
  const changed = Object.keys({ ...before.states, ...now.states })
    .sort()
    .filter((name) => before.states[name] !== now.states[name])
    .map(
      (name) =>
        `${name} was ${before.states[name] ?? 'not required'}, is now ${now.states[name] ?? 'not required'}`,
    );
  if (changed.length === 0) return undefined;
  return `the checks on ${short(now.commit)} changed since the prompt (${changed.join('; ')}).`;
}
