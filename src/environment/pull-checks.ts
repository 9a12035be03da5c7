// The prerequisites of pull mode (deploy.transfer: pull), checked with the other preset
// conditions in the same channel: a download tool on the server (curl or wget) and the
// artifact's URL reachable from there (one byte asked for, nothing downloaded; src/remote/pull-probe.sh).
import type { ArtifactSource } from '../request/types.js';
import { pullLinkFor, pullable, type PullLinkOptions } from '../deploy/pull-source.js';
import {
  PROBE_TIMEOUT_S,
  PULL_PROBE,
  pullValues,
  type PullSource,
} from '../deploy/pull-artifact-script.js';
import type { ShellValues } from '../remote/assemble.js';
import { NO_ANSWER } from './check-output.js';
import { CHECK_MARK } from './environment-script.js';
import type { CheckResult } from './types.js';

/** What the servers will fetch, or why no URL could be had (then the reachability check fails). */
export type PullCheck = { source: PullSource } | { error: string };

/** Seconds the pull checks add to the check script's bound. */
export const PULL_CHECK_SECONDS = PROBE_TIMEOUT_S + 10;

const PULL_TOOL_MARK = `${CHECK_MARK} pull-tool`;
const PULL_URL_MARK = `${CHECK_MARK} pull-url`;
const TOOL = 'download tool (transfer: pull)';
const REACHABLE = 'artifact URL reachable (transfer: pull)';
const PUSH_INSTEAD = 'or set `deploy.transfer: push`';

/** The URL to check, when the environment pulls and the artifact can be pulled; else undefined. */
export async function pullCheckFor(
  transfer: 'push' | 'pull',
  artifact: ArtifactSource,
  findAsset: PullLinkOptions['findAsset'],
): Promise<PullCheck | undefined> {
  if (transfer !== 'pull' || !pullable(artifact)) return undefined;
  try {
    return { source: await (await pullLinkFor(artifact, { findAsset })).source() };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Values and script parts that add the probe after the environment script's checks. */
export function pullCheckScript(pull: PullCheck): { values: ShellValues; parts: string[] } {
  return {
    values: pullValues('source' in pull ? pull.source : undefined),
    parts: [PULL_PROBE],
  };
}

function line(stdout: string, mark: string): string | undefined {
  const found = stdout.split('\n').find((l) => l.startsWith(`${mark} `));
  return found?.slice(mark.length + 1);
}

export function pullCheckResults(stdout: string, pull: PullCheck): CheckResult[] {
  const tool = line(stdout, PULL_TOOL_MARK)?.trim();
  const hasTool = tool === 'curl' || tool === 'wget';
  const results: CheckResult[] = [
    {
      name: TOOL,
      expected: 'curl or wget on PATH',
      actual:
        tool === undefined
          ? NO_ANSWER
          : hasTool
            ? tool
            : `neither curl nor wget found: install curl (or wget) on the server, ${PUSH_INSTEAD}`,
      passed: hasTool,
    },
  ];
  if (!('source' in pull)) {
    results.push({
      name: REACHABLE,
      expected: 'a download link',
      actual: `no link to check: ${pull.error}`,
      passed: false,
    });
    return results;
  }
  const expected = `${pull.source.show} answers over HTTPS`;
  const probe = line(stdout, PULL_URL_MARK);
  const [rc = '', ...why] = (probe ?? '').split(' ');
  const reason = why.join(' ').trim();
  results.push({
    name: REACHABLE,
    expected,
    actual:
      probe === undefined
        ? NO_ANSWER
        : rc === '0'
          ? 'reachable'
          : rc === '-'
            ? 'not checked: no download tool'
            : `not reachable from the server (${tool} exit ${rc}${reason ? `: ${reason}` : ''}): check its DNS, firewall or proxy for this host, ${PUSH_INSTEAD}`,
    passed: rc === '0',
  });
  return results;
}
