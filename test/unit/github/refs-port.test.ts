// The environment lock's refs: created once (a second create is false), read, deleted.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GitHubPort } from '../../../src/github/port.js';
import type { GitHubStandIn } from '../../support/github-stand-in/index.js';
import { refused, startPortSetup, type PortFor } from './port-setup.js';

let gh: GitHubStandIn;
let port: GitHubPort;
let portFor: PortFor;

beforeEach(async () => {
  ({ gh, port, portFor } = await startPortSetup());
});
afterEach(() => gh.close());

describe('refs (the environment lock)', () => {
  it('create once (a second create is false), read, delete; absent refs are null; deleting twice is fine', async () => {
    const sha = gh.branch('main')!;
    expect(await port.createRef('heads/lock/x', sha)).toBe(true);
    expect(await port.createRef('heads/lock/x', sha)).toBe(false);
    expect(await port.getRefSha('heads/lock/x')).toBe(sha);
    await port.deleteRef('heads/lock/x');
    expect(await port.getRefSha('heads/lock/x')).toBeNull();
    await port.deleteRef('heads/lock/x');
    gh.inject({ method: 'DELETE', path: /\/git\/refs\//, ...refused(422) });
    await port.deleteRef('heads/lock/x');
  });

  it('refusals and server errors propagate', async () => {
    const sha = gh.branch('main')!;
    await expect(portFor(gh.tokens.readOnly).createRef('heads/l', sha)).rejects.toThrow(
      /create the environment lock .*contents: write/,
    );
    gh.inject({ method: 'POST', path: '/git/refs', ...refused(400) });
    await expect(port.createRef('heads/l', sha)).rejects.toMatchObject({ status: 400 });
    gh.inject({ method: 'GET', path: /\/git\/ref\//, ...refused(400) });
    await expect(port.getRefSha('heads/l')).rejects.toMatchObject({ status: 400 });
    gh.inject({ method: 'DELETE', path: /\/git\/refs\//, ...refused(400) });
    await expect(port.deleteRef('heads/l')).rejects.toMatchObject({ status: 400 });
  });
});
