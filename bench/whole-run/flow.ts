// One deployment request, start to finish, as GitHub would run it: a fresh repository on the
// GitHub stand-in, the PR opened (validate), three approvals (the last hands over), the dispatched
// run (provision + checks on real sshd servers) and the `/confirm` run (download over HTTPS,
// deploy). Each run is `dist/index.js` in its own process (test/support/run-action.ts), timed from
// spawn to exit, its API requests read from the stand-in's log, its own cost from the probe.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  issueCommentEvent,
  pullRequestEvent,
  pullRequestReviewEvent,
  workflowDispatchEvent,
} from '../../test/support/events.js';
import * as fixtures from '../../test/support/fixtures.js';
import { startGitHub, type GitHubStandIn } from '../../test/support/github-stand-in/index.js';
import { runAction, type RunResult } from '../../test/support/run-action.js';
import type { TestServer } from '../../test/support/sshd.js';
import { CHECKS } from '../lib/checks-cases.js';

export type Transfer = 'push' | 'pull';
export type EventKind = 'validate' | 'review' | 'dispatch' | 'confirm';

/** What the action process reported about itself at exit (bench/whole-run/action-probe.mjs). */
export interface Probe {
  cpuS: number;
  maxRssMiB: number;
  /** Bytes the process wrote into its connections to the sshd ports. */
  sshBytes: number;
  sshConnections: number;
}

export interface ActionRun {
  event: EventKind;
  label: string;
  /** Spawn to exit of the action process. */
  ms: number;
  calls: string[];
  probe: Probe | undefined;
}

export interface FlowSetup {
  root: string;
  dir: string;
  servers: TestServer[];
  privateKey: string;
  /** The artifact as the request names it. */
  artifact: { url: string; sha256: string };
  /** NODE_EXTRA_CA_CERTS: the HTTPS origin's certificate. */
  caFile: string;
  /** Where the release lives on each server (relative to the login user's home). */
  deployPath: string;
  transfer: Transfer;
}

/**
 * The issue's environment: 1 provisioned directory, 5 checks, every server in one batch (what the
 * baselines do), no activate or health check (baseline A has none). Approval as the SPEC's example:
 * a lead (a user or a member of acme/team-leads), then 2 of acme/ops.
 */
export function wholeRunConfig(s: FlowSetup): string {
  const n = s.servers.length;
  return fixtures.configFor(s.servers, {
    approval: {
      stages: [
        { name: 'lead', reviewers: ['alice', 'acme/team-leads'], required: 1 },
        { name: 'ops', reviewers: ['acme/ops'], required: 2 },
      ],
    },
    provision: { directories: [{ path: `${s.deployPath}/shared`, mode: '0750' }] },
    checks: { ...CHECKS },
    deploy: {
      path: s.deployPath,
      parallel: n,
      batch_size: n,
      ...(s.transfer === 'pull' ? { transfer: 'pull' } : {}),
    },
  });
}

let flows = 0;

/** Runs the whole flow once; throws when a run does not reach the phase it should. */
export async function runFlow(s: FlowSetup): Promise<ActionRun[]> {
  const seq = ++flows;
  const gh = await startGitHub({
    files: fixtures.repoFiles(wholeRunConfig(s)),
    teams: fixtures.TEAMS,
  });
  const runs: ActionRun[] = [];
  try {
    const { number } = gh.openPull({
      author: 'dev',
      headFiles: {
        [fixtures.REQUEST_PATH]: fixtures.requestText({
          artifact: { url: s.artifact.url },
          sha256: s.artifact.sha256,
        }),
      },
    });
    const act = async (
      event: EventKind,
      label: string,
      eventName: string,
      payload: object,
      want: string,
      trusted = false,
    ): Promise<RunResult> => {
      gh.clearCalls();
      const probeFile = path.join(s.dir, `probe-${process.pid}-${seq}-${runs.length}.json`);
      const result = await runAction({
        gh,
        eventName,
        payload,
        entry: path.join(s.root, 'dist/index.js'),
        timeoutMs: 600_000,
        inputs: {
          'members-token': gh.tokens.members,
          ...(trusted ? { 'ssh-private-key': s.privateKey } : {}),
        },
        env: {
          NODE_OPTIONS: `--import=${path.join(s.root, 'bench/whole-run/action-probe.mjs')}`,
          NODE_EXTRA_CA_CERTS: s.caFile,
          BENCH_PROBE_FILE: probeFile,
          BENCH_SSH_PORTS: s.servers.map((x) => x.port).join(','),
        },
      });
      // BENCH_LOG_DIR: each run's log (the per-server step timings are in it).
      const logDir = process.env.BENCH_LOG_DIR;
      if (logDir) {
        const name = `${s.transfer}-${s.servers.length}-${event}-${seq}-${runs.length}.log`;
        await writeFile(path.join(logDir, name), result.stdout);
      }
      const phase = result.outputs.phase ?? `none (exit ${result.code})`;
      if (phase !== want) {
        throw new Error(
          `whole run, ${label}: expected phase ${want}, got ${phase}\n` +
            `${result.stdout.slice(-3000)}\n${result.stderr.slice(-2000)}`,
        );
      }
      const probe = await readFile(probeFile, 'utf8').then(
        (text) => JSON.parse(text) as Probe,
        () => undefined,
      );
      await rm(probeFile, { force: true });
      runs.push({
        event,
        label,
        ms: result.durationMs,
        calls: gh.calls({}).map((c) => `${c.method} ${c.path} ${c.status}`),
        probe,
      });
      return result;
    };

    await act(
      'validate',
      'PR opened',
      'pull_request',
      pullRequestEvent(gh, 'opened', number),
      'awaiting-approval',
    );
    const reviews: Array<[string, string, string]> = [
      ['tina', 'lead approves', 'awaiting-approval'],
      ['olga', 'ops 1 of 2', 'awaiting-approval'],
      ['oscar', 'ops 2 of 2, hand-over', 'approved'],
    ];
    for (const [user, label, want] of reviews) {
      const id = gh.review(number, user, 'APPROVED');
      await act(
        'review',
        label,
        'pull_request_review',
        pullRequestReviewEvent(gh, 'submitted', number, id),
        want,
      );
    }
    const dispatch = lastDispatch(gh);
    const prompt = await act(
      'dispatch',
      'workflow_dispatch',
      'workflow_dispatch',
      workflowDispatchEvent(gh, dispatch),
      'awaiting-confirmation',
      true,
    );
    const comment = gh.comment(number, 'dev', `/confirm ${prompt.outputs.digest ?? ''}`);
    await act(
      'confirm',
      '/confirm',
      'issue_comment',
      issueCommentEvent(gh, 'created', comment),
      'deployed',
      true,
    );
    return runs;
  } finally {
    await gh.close();
  }
}

function lastDispatch(gh: GitHubStandIn) {
  const dispatch = gh.dispatches().at(-1);
  if (!dispatch) throw new Error('whole run: the last approval dispatched nothing');
  return dispatch;
}
