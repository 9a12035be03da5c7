// An in-memory GitHubPort for handler unit tests: no server, no HTTP client, no sockets.
//
//   const fake = createFakeGitHub({ files: { '.github/deploy-request.yml': cfg }, teams: { ops: ['olga'] } });
//   const { number } = fake.gh.openPull({ author: 'dev', headFiles: { 'deploy-requests/web.yml': req } });
//   fake.gh.review(number, 'olga', 'APPROVED');
//   await handleGate({ ...ctx, github: fake.port }, await fake.port.getPull(number), 'main');
//   expect(fake.gh.comments(number)).toHaveLength(1);
//   expect(fake.count('createComment')).toBe(1);
//
// Its state is the GitHub stand-in's (test/support/github-stand-in/), never started: `fake.gh`
// is the stand-in's driving API (openPull, push, review, comment, setBranch, commitOn,
// createRelease, addTeam, … and what to assert on: comments, deploymentState, branch, …), and the
// port applies the same rule functions the stand-in's HTTP routes apply. The fake answers what
// GitHub answers through the real port: the same values, `null`/`false` for the same absences,
// the same domain error classes and messages (the contract suite, test/unit/github/
// port-contract.test.ts, runs one set of cases against both). It checks the token's job
// permissions like the stand-in does; it does not retry (write-once.ts is tested over HTTP).
import type { GitHubPort } from '../../../src/github/port.js';
import { GitHubStandIn, type StandInOptions } from '../github-stand-in/index.js';
import { checksPort } from './checks-port.js';
import { commitsPort } from './commits-port.js';
import { deploymentsPort } from './deployments-port.js';
import { issuesPort } from './issues-port.js';
import { pullsPort } from './pulls-port.js';
import { repoPort } from './repo-port.js';
import { answer, CALL_NEED, injectedError, type FakeContext, type PortCall } from './request.js';

export type { PortCall } from './request.js';

/** One call of a port method, in the order made (failed ones too). */
export interface PortCallRec {
  call: PortCall;
  args: unknown[];
}

/** The next `times` calls of `call` fail as GitHub answering `status` with `body` would make them. */
export interface Injection {
  call: PortCall;
  status: number;
  /** GitHub's JSON answer; default `{ message: 'Injected fault' }` (the stand-in's). */
  body?: Record<string, unknown>;
  /** Default 1. */
  times?: number;
  /** Do the work first, then fail anyway (GitHub completing a write and answering 502). */
  afterApply?: boolean;
}

export interface PortOptions {
  /** Default: the stand-in's write token (every scope write); `gh.tokenFor({…})` for fewer. */
  token?: string;
  /** Team members are read with it (default the stand-in's members token); null: with `token`. */
  membersToken?: string | null;
}

export class FakeGitHub {
  /** GitHub's state and the API that sets it up and reads it back. */
  readonly gh: GitHubStandIn;
  /** The port with the write token and the members token. */
  readonly port: GitHubPort;
  private readonly log: PortCallRec[] = [];
  private readonly injections: (Injection & { left: number })[] = [];

  constructor(o: StandInOptions = {}) {
    this.gh = new GitHubStandIn(o);
    this.port = this.portWith();
  }

  /** Another port on the same state and call log, with other tokens. */
  portWith({ token = this.gh.tokens.write, membersToken }: PortOptions = {}): GitHubPort {
    const state = this.gh.state;
    const members = membersToken === undefined ? this.gh.tokens.members : (membersToken ?? token);
    const context: FakeContext = {
      state,
      request: (call, work) => answer(call, state, token, CALL_NEED[call], work),
      membersRequest: (call, work) => answer(call, state, members, [], work),
    };
    const port: GitHubPort = {
      ...repoPort(context),
      ...commitsPort(context),
      ...pullsPort(context),
      ...deploymentsPort(context),
      ...checksPort(context),
      ...issuesPort(context),
    };
    return this.recorded(port);
  }

  /** Port calls so far, oldest first; only those of `call` when given. */
  calls(call?: PortCall): PortCallRec[] {
    return this.log.filter((c) => call === undefined || c.call === call).map((c) => ({ ...c }));
  }

  count(call?: PortCall): number {
    return this.calls(call).length;
  }

  clearCalls(): void {
    this.log.length = 0;
  }

  inject(injection: Injection): void {
    this.injections.push({ ...injection, left: injection.times ?? 1 });
  }

  /** Every method records its call and meets the injected failures first. */
  private recorded(port: GitHubPort): GitHubPort {
    const out: Record<string, unknown> = {};
    for (const [name, fn] of Object.entries(port) as [PortCall, (...a: unknown[]) => unknown][]) {
      out[name] = async (...args: unknown[]) => {
        this.log.push({ call: name, args });
        const injected = this.injections.find((i) => i.call === name && i.left > 0);
        if (!injected) return fn(...args);
        injected.left--;
        if (injected.afterApply) await Promise.resolve(fn(...args)).catch(() => undefined);
        throw injectedError(name, injected.status, injected.body ?? { message: 'Injected fault' });
      };
    }
    return out as unknown as GitHubPort;
  }
}

/** A fake GitHub: the stand-in's options (files on the default branch, teams, users, clock, …). */
export function createFakeGitHub(o: StandInOptions = {}): FakeGitHub {
  return new FakeGitHub(o);
}
