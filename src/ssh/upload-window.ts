// How much of an upload may be in flight to a server: less than sshd's window, on a local network.
import { BlockList, isIPv4 } from 'node:net';
import type { ClientChannel } from 'ssh2';

/**
 * What an upload may have in flight (sent, not yet credited back) to an OpenSSH server on a local
 * network. sshd offers a 2 MiB window and buffers all of it whenever the command reads slower than
 * the network delivers (always, on a LAN); growing and moving those buffers cost sshd ~0.85 s of
 * CPU per 64 MiB on the bench machine, against ~0.25 s with 512 KiB in flight. OpenSSH credits
 * consumed data once more than 3 packets (96 KiB) are outstanding (channel_check_window in
 * channels.c, unchanged since OpenSSH 5), so the data keeps moving.
 */
export const UPLOAD_IN_FLIGHT = 512 * 1024;

/** Loopback, private and link-local ranges: round trips under a millisecond, as a rule. */
const LOCAL = new BlockList();
LOCAL.addSubnet('127.0.0.0', 8);
LOCAL.addSubnet('10.0.0.0', 8);
LOCAL.addSubnet('172.16.0.0', 12);
LOCAL.addSubnet('192.168.0.0', 16);
LOCAL.addSubnet('169.254.0.0', 16);
LOCAL.addAddress('::1', 'ipv6');
LOCAL.addSubnet('fc00::', 7, 'ipv6');
LOCAL.addSubnet('fe80::', 10, 'ipv6');

/**
 * True for a peer on a local network. Elsewhere the round trip is what limits an upload (at most
 * window / RTT per connection: 512 KiB over 50 ms is 10 MiB/s), so those keep the full window; so
 * do connections through a bastion, whose last hop we cannot see. 100.64.0.0/10 (carrier-grade
 * NAT, also VPN overlays across the internet) is not counted as local.
 */
export function isLocalNetwork(address: string | undefined): boolean {
  if (!address) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  return LOCAL.check(ip, isIPv4(ip) ? 'ipv4' : 'ipv6');
}

/**
 * Lowers the window ssh2 sends against to UPLOAD_IN_FLIGHT, for OpenSSH only: other servers may
 * credit data only once half their window is used, which a lower cap would never reach.
 */
export function capUploadWindow(channel: ClientChannel, remoteSoftware: string | undefined): void {
  if (!remoteSoftware?.startsWith('OpenSSH_')) return;
  const outgoing = (channel as unknown as { outgoing?: { window: number } }).outgoing;
  if (outgoing && outgoing.window > UPLOAD_IN_FLIGHT) outgoing.window = UPLOAD_IN_FLIGHT;
}
