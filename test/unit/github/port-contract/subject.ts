// The two GitHubPorts the contract runs against, made the same way: a repository with these
// files and teams, driven and inspected through the stand-in's API (`gh`).
import { afterEach } from 'vitest';
import { createClient } from '../../../../src/github/client.js';
import { createGitHubPort } from '../../../../src/github/octokit-port.js';
import type { GitHubPort } from '../../../../src/github/port.js';
import { FakeGitHub, type PortOptions } from '../../../support/fake-github/index.js';
import { GitHubStandIn, type StandInOptions } from '../../../support/github-stand-in/index.js';

export interface Subject {
  gh: GitHubStandIn;
  /** The port with the write token and the members token, unless told otherwise. */
  port(o?: PortOptions): GitHubPort;
}

export type MakeSubject = (o: StandInOptions) => Promise<Subject>;

const open: GitHubStandIn[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((gh) => gh.close()));
});

/** The real port: Octokit over HTTP to a started stand-in. */
export const realPort: MakeSubject = async (o) => {
  const gh = new GitHubStandIn(o);
  await gh.start();
  open.push(gh);
  return {
    gh,
    port: ({ token = gh.tokens.write, membersToken = gh.tokens.members } = {}) =>
      createGitHubPort(
        createClient({ token, baseUrl: gh.url }),
        { owner: gh.owner, repo: gh.repo },
        membersToken === null ? undefined : createClient({ token: membersToken, baseUrl: gh.url }),
        { settleMs: 0 },
      ),
  };
};

/** The fake: the same state, never started, answered in memory. */
export const fakePort: MakeSubject = async (o) => {
  const fake = new FakeGitHub(o);
  return { gh: fake.gh, port: (p) => (p === undefined ? fake.port : fake.portWith(p)) };
};

/** What a call threw (fails the test when it resolved). */
export async function failure(call: Promise<unknown>): Promise<Error> {
  return call.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error as Error,
  );
}
