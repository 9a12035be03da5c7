// Opens pinned, key-authenticated SSH connections (node-ssh over ssh2), directly or via a bastion.
import type { Socket } from 'node:net';
import { NodeSSH, type Config } from 'node-ssh';
import type { AnyAuthMethod, ParsedKey } from 'ssh2';
import type { ServerConfig } from '../config/types.js';
import {
  connectFailure,
  describeTarget,
  hostKeyMismatch,
  invalidHostKey,
} from './connect-errors.js';
import { ignoreHostKeyAnnouncements } from './host-key-announcement.js';
import { blobType, hostKeyAlgorithms, parseHostKeyLine, type PinnedHostKey } from './host-key.js';
import { parsePrivateKey, type ValidPrivateKey } from './private-key.js';
import { createSession } from './session.js';
import { SshError, type ServerSession, type SshConnector } from './types.js';
import { isLocalNetwork } from './upload-window.js';

export interface SshConnectorOptions {
  /** Key text (parsed here), or a key parsePrivateKey already decrypted (no second decrypt). */
  privateKey: string | ValidPrivateKey;
  /** For key text only. */
  passphrase?: string;
  connectTimeoutMs?: number; // default 10 s
  commandTimeoutMs?: number; // default 30 min; 0 = none
  keepaliveMs?: number; // default 15 s
  /** Channels open at once per connection (default 8; OpenSSH's MaxSessions is 10). */
  maxChannels?: number;
  /** All servers of the environment, to resolve `via`. */
  servers: ServerConfig[];
  log?: { info(line: string): void };
}

interface Link {
  ssh: NodeSSH;
  /** The server is on a local network (loopback or private address, directly connected). */
  local: boolean;
  /** Closes this connection and releases the bastion it went through. */
  release(): void;
}

/**
 * Authenticates with the key parsePrivateKey decrypted once. node-ssh accepts only key text as
 * privateKey, which ssh2 would decrypt again for every connection; an already parsed key in an
 * authHandler is used as it is. Only `publickey`: ssh2's default first asks with `none` to learn
 * the methods, a round trip per connection that a key-only login never needs.
 */
function keyAuth(username: string, key: ParsedKey): AnyAuthMethod[] {
  return [{ type: 'publickey', username, key }];
}

/**
 * ssh2 writes every packet (at most 32 KiB) to the socket on its own: a system call each, a
 * quarter of the runner's CPU time when pushing an artifact. Packets written in the same tick go
 * out in one writev instead.
 */
function coalesceWrites(sock: Socket | undefined): void {
  if (!sock || typeof sock.cork !== 'function') return;
  const write = sock.write;
  let corked = false;
  sock.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    if (!corked) {
      corked = true;
      this.cork();
      process.nextTick(() => {
        corked = false;
        this.uncork();
      });
    }
    return write.apply(this, args);
  } as Socket['write'];
}

export function createSshConnector(opts: SshConnectorOptions): SshConnector {
  const key =
    typeof opts.privateKey === 'string'
      ? parsePrivateKey(opts.privateKey, opts.passphrase)
      : opts.privateKey;
  const timeoutMs = opts.connectTimeoutMs ?? 10_000;
  // A bastion connection is shared by every server behind it and closed with the last one.
  const bastions = new Map<string, { link: Promise<Link>; refs: number }>();

  function lookup(name: string, from: ServerConfig): ServerConfig {
    const found = opts.servers.find((server) => server.name === name);
    if (!found) {
      throw new SshError(
        from.name,
        'connect',
        `${from.name}: via ${name} is not a server of this environment`,
      );
    }
    return found;
  }

  async function acquireBastion(server: ServerConfig, chain: string[]): Promise<Link> {
    let entry = bastions.get(server.name);
    if (!entry) {
      entry = { link: open(server, chain), refs: 0 };
      bastions.set(server.name, entry);
      entry.link.catch(() => bastions.delete(server.name));
    }
    entry.refs++;
    const link = await entry.link;
    const held = entry;
    let released = false;
    return {
      ssh: link.ssh,
      local: link.local,
      release: () => {
        if (released) return;
        released = true;
        if (--held.refs === 0) {
          bastions.delete(server.name);
          link.release();
        }
      },
    };
  }

  async function open(server: ServerConfig, chain: string[]): Promise<Link> {
    if (!key.ok) throw new SshError(server.name, 'key-format', `ssh-private-key: ${key.message}`);
    if (chain.includes(server.name)) {
      throw new SshError(
        server.name,
        'connect',
        `${server.name}: via loop (${[...chain, server.name].join(' -> ')})`,
      );
    }
    const pinned = parseHostKeyLine(server.host_key);
    if ('error' in pinned) throw invalidHostKey(server, pinned.error);

    let bastion: Link | undefined;
    let sock: Config['sock'];
    if (server.via) {
      const via = lookup(server.via, server);
      try {
        bastion = await acquireBastion(via, [...chain, server.name]);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const kind = error instanceof SshError ? error.kind : 'connect';
        throw new SshError(
          server.name,
          kind,
          `${describeTarget(server)}: bastion unusable: ${reason}`,
        );
      }
      try {
        sock = await bastion.ssh.forwardOut('127.0.0.1', 0, server.host, server.port);
      } catch (error) {
        bastion.release();
        const reason = error instanceof Error ? error.message : String(error);
        throw new SshError(
          server.name,
          'connect',
          `${describeTarget(server)}: ${server.via} could not open a connection to ${server.host}:${server.port} (${reason})`,
        );
      }
    }

    let presented: { type: string; blob: Buffer } | undefined;
    const ssh = new NodeSSH();
    const started = Date.now();
    try {
      const connecting = ssh.connect({
        ...(sock ? { sock } : { host: server.host }),
        port: server.port,
        username: server.user,
        authHandler: keyAuth(server.user, key.parsed),
        readyTimeout: timeoutMs,
        keepaliveInterval: opts.keepaliveMs ?? 15_000,
        tryKeyboard: false,
        algorithms: { compress: ['none'], serverHostKey: hostKeyAlgorithms(pinned.type) },
        // Runs during key exchange, before any authentication: a wrong key ends it here.
        hostVerifier: (blob: Buffer) => {
          if (blob.equals(pinned.blob)) return true;
          presented = { type: blobType(blob) ?? 'unknown', blob };
          return false;
        },
      });
      ignoreHostKeyAnnouncements(ssh.connection);
      await connecting;
    } catch (error) {
      ssh.dispose();
      bastion?.release();
      if (presented) throw hostKeyMismatch(server, pinned as PinnedHostKey, presented);
      throw connectFailure(server, error, { timeoutMs, keyFingerprint: key.fingerprint });
    }
    // node-ssh drops its error listener once connected; a later socket error (a bastion going
    // away) must not become an uncaught exception. Sessions report the loss themselves.
    ssh.connection?.on('error', () => undefined);
    const socket = (ssh.connection as unknown as { _sock?: Socket })._sock;
    coalesceWrites(socket);
    opts.log?.info(`${describeTarget(server)}: connected in ${Date.now() - started} ms`);
    return {
      ssh,
      // Through a bastion the socket is a channel, without an address: not known to be local.
      local: !sock && isLocalNetwork(socket?.remoteAddress),
      release: () => {
        ssh.dispose();
        bastion?.release();
      },
    };
  }

  return {
    async connect(server: ServerConfig): Promise<ServerSession> {
      const link = await open(server, []);
      return createSession(server, link.ssh, {
        commandTimeoutMs: opts.commandTimeoutMs ?? 30 * 60_000,
        maxChannels: opts.maxChannels ?? 8,
        onClose: () => link.release(),
        capUploads: link.local,
      });
    },
  };
}
