// Turns what ssh2 reports while connecting into SshErrors that name the server and say what to do.
import type { ServerConfig } from '../config/types.js';
import { fingerprint, type PinnedHostKey } from './host-key.js';
import { SshError } from './types.js';

export function describeTarget(server: ServerConfig): string {
  const via = server.via ? ` via ${server.via}` : '';
  return `${server.name} (${server.host}:${server.port}${via})`;
}

export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

export function hostKeyMismatch(
  server: ServerConfig,
  pinned: PinnedHostKey,
  presented: { type: string; blob: Buffer },
): SshError {
  return new SshError(
    server.name,
    'host-key',
    `${describeTarget(server)}: host key mismatch, refused before authentication (nothing was run). ` +
      `The server presented ${presented.type} ${fingerprint(presented.blob)}; the configuration pins ` +
      `${pinned.type} ${pinned.fingerprint}. If the server's key really changed, verify the new key ` +
      `out of band and update host_key in the configuration; otherwise someone may be intercepting the connection.`,
  );
}

export function invalidHostKey(server: ServerConfig, reason: string): SshError {
  return new SshError(
    server.name,
    'host-key',
    `${describeTarget(server)}: host_key is ${reason}; unpinned hosts are refused. Pin the server's public ` +
      `host key, e.g. the output of ssh-keyscan -t ed25519 -p ${server.port} ${server.host} checked against ` +
      `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the server.`,
  );
}

interface Ssh2Failure {
  level?: string;
  code?: string;
  message?: string;
}

export function connectFailure(
  server: ServerConfig,
  raw: unknown,
  context: { timeoutMs: number; keyFingerprint: string },
): SshError {
  const error = (raw ?? {}) as Ssh2Failure;
  const label = describeTarget(server);
  const code = error.code ?? '';
  if (error.level === 'client-authentication') {
    return new SshError(
      server.name,
      'auth',
      `${label}: the server refused key authentication for user ${server.user} (key ${context.keyFingerprint}); ` +
        `add the public key to ~${server.user}/.ssh/authorized_keys`,
    );
  }
  if (error.level === 'client-timeout' || code === 'ETIMEDOUT') {
    return new SshError(
      server.name,
      'timeout',
      `${label}: no SSH answer within ${seconds(context.timeoutMs)}; check host/port and firewall`,
    );
  }
  if (code === 'ECONNREFUSED') {
    return new SshError(
      server.name,
      'connect',
      `${label}: connection refused; is sshd running and listening on port ${server.port}?`,
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new SshError(
      server.name,
      'connect',
      `${label}: the host name ${server.host} does not resolve`,
    );
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new SshError(
      server.name,
      'connect',
      `${label}: host unreachable; check the address and the network route`,
    );
  }
  const message = error.message ?? String(raw);
  return new SshError(server.name, 'connect', `${label}: SSH connection failed: ${message}`);
}
