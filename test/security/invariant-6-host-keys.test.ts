// SPEC §4 invariant 6: host keys are pinned; a server whose key differs is refused before any
// command runs (before authentication even starts), and the error shows both SHA-256
// fingerprints: the one presented and the one pinned.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  currentOf,
  lockRefs,
  OLD_RELEASE,
  openFlow,
  promptedFlow,
  releases,
  resetHome,
  seedRelease,
  serverEntry,
  sessions,
  stickyOf,
  useSshServers,
  type TestServer,
} from './support.js';

const fleet = useSshServers(2);
beforeEach(() => fleet().servers.forEach(resetHome));

/** `SHA256:…` of a public key line, as ssh-keygen -l prints it. */
function fingerprintOf(line: string): string {
  const blob = Buffer.from(line.trim().split(/\s+/)[1]!, 'base64');
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** An impostor SSH server on `server`'s port (its sshd stopped): records every step a client takes. */
async function impostor(server: TestServer) {
  await server.kill();
  const key = ssh2.utils.generateKeyPairSync('ed25519');
  const events: string[] = [];
  const fake = new ssh2.Server({ hostKeys: [key.private] }, (client) => {
    events.push('handshake');
    client.on('authentication', (ctx) => {
      events.push(`auth ${ctx.method}`);
      ctx.reject();
    });
    client.on('session', () => events.push('session'));
    client.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => fake.listen(server.port, '127.0.0.1', resolve));
  return {
    publicKey: key.public,
    events,
    async restore() {
      await new Promise((resolve) => fake.close(resolve));
      await server.restart();
    },
  };
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('invariant 6: pinned host keys', () => {
  it('environment step: a server presenting another key is refused before any command; both fingerprints shown', async () => {
    const [web1, web2] = fleet().servers as [TestServer, TestServer];
    // web-1's address, but the config pins web-2's key.
    const pinnedWrong = { ...serverEntry(web1), host_key: web2.hostKey };
    const p = await openFlow([web1], fleet().clientKey.privateKey, {
      servers: [pinnedWrong],
      provision: { commands: [{ name: 'marker', run: 'touch "$HOME/provisioned"' }] },
    });
    const result = await p.dispatch();
    expect(result.outputs.phase).toBe('checks-failed');
    expect(result.code).toBe(1);
    const presented = fingerprintOf(web1.hostKey);
    const pinned = fingerprintOf(web2.hostKey);
    const message = new RegExp(
      `host key mismatch, refused before authentication \\(nothing was run\\)\\. The server presented ssh-ed25519 ${presented.replace(/[+/]/g, '\\$&')}; the configuration pins ssh-ed25519 ${pinned.replace(/[+/]/g, '\\$&')}`,
    );
    expect(result.stdout).toMatch(message);
    expect(stickyOf(p.gh, p.number)).toContain(presented);
    expect(stickyOf(p.gh, p.number)).toContain(pinned);
    expect(sessions(web1)).toBe(0);
    expect(existsSync(join(web1.home, 'provisioned'))).toBe(false);
    expect(p.gh.deployments()).toEqual([]);
  });

  it('deploy step: an impostor at the pinned address after the prompt gets no authentication and no command; nothing switched', async () => {
    const [web1] = fleet().servers as [TestServer];
    seedRelease(web1);
    const p = await promptedFlow([web1], fleet().clientKey.privateKey);
    const fake = await impostor(web1);
    cleanup = fake.restore;

    const result = await p.say('dev', `/confirm ${p.digest}`);
    expect(result.outputs.phase).toBe('deploy-failed');
    expect(result.stdout).toMatch(/host key mismatch, refused before authentication/);
    expect(result.stdout).toContain(fingerprintOf(fake.publicKey));
    expect(result.stdout).toContain(fingerprintOf(web1.hostKey));
    expect(fake.events).toEqual(['handshake']); // no auth attempt: the key never left the runner
    expect(currentOf(web1)).toBe(`releases/${OLD_RELEASE}`);
    expect(releases(web1)).toEqual([OLD_RELEASE]);
    expect(p.gh.deploymentState(p.deploymentId)).toBe('failure');
    expect(lockRefs(p.gh)).toEqual([]);
  });
});
