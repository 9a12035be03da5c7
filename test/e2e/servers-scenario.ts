// Real sshd servers for a test file (its hooks), and the trusted-run fixtures (test/support/fixtures.ts).
import { afterAll, beforeAll } from 'vitest';
import {
  approveAll,
  configFor,
  requestText,
  serverEntry,
  SHA,
  type EnvironmentOverrides,
} from '../support/fixtures.js';
import { startSshServers, type SshServers, type StartOptions } from '../support/sshd.js';

/** Starts `count` sshd servers for the test file; stopped after it. */
export function useSshServers(count: number, opts: StartOptions = {}): () => SshServers {
  let fleet: SshServers | undefined;
  beforeAll(async () => {
    fleet = await startSshServers(count, opts);
  });
  afterAll(async () => {
    await fleet?.stop();
  });
  return () => {
    if (!fleet) throw new Error('sshd servers not started');
    return fleet;
  };
}

export { approveAll, configFor, serverEntry, SHA, type EnvironmentOverrides };

/** A request with the example.com URL artifact (never downloaded by these tests), plus `extra`. */
export function requestFor(extra = ''): string {
  return requestText({ extra });
}
