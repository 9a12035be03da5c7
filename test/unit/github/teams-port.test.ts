// Team members through the members token; the workflow token is refused with the fix.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubAccessError, type GitHubPort } from '../../../src/github/port.js';
import type { GitHubStandIn } from '../../support/github-stand-in/index.js';
import { refused, startPortSetup, type PortFor } from './port-setup.js';

let gh: GitHubStandIn;
let port: GitHubPort;
let portFor: PortFor;

beforeEach(async () => {
  ({ gh, port, portFor } = await startPortSetup());
});
afterEach(() => gh.close());

describe('teams', () => {
  it('members through the members token; without it the workflow token is refused with the fix', async () => {
    expect(await port.listTeamMembers(gh.owner, 'ops')).toEqual(['olga', 'oscar']);
    const plain = portFor(gh.tokens.write);
    const error = await plain.listTeamMembers(gh.owner, 'ops').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubAccessError);
    expect((error as Error).message).toMatch(
      /^Cannot read the members of team acme\/ops \(403\)\. .*`members-token` input/,
    );
    await expect(port.listTeamMembers(gh.owner, 'nope')).rejects.toThrow(/acme\/nope \(404\)/);
    gh.inject({ path: '/orgs/acme/teams/ops/members', ...refused(400) });
    await expect(port.listTeamMembers(gh.owner, 'ops')).rejects.toMatchObject({ status: 400 });
  });
});
