// Which peers count as a local network, where uploads keep less than sshd's window in flight.
import { describe, expect, it } from 'vitest';
import { isLocalNetwork } from '../../../src/ssh/upload-window.js';

describe('isLocalNetwork', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.31.255.254', true],
    ['192.168.1.10', true],
    ['169.254.10.1', true],
    ['::1', true],
    ['fd12:3456::1', true],
    ['fe80::1', true],
    ['::ffff:10.0.0.7', true],
    ['172.32.0.1', false],
    ['100.64.1.1', false], // carrier-grade NAT, VPN overlays across the internet
    ['8.8.8.8', false],
    ['2001:db8::1', false],
    ['::ffff:8.8.8.8', false],
    ['', false],
    [undefined, false],
  ])('%s: %s', (address, local) => {
    expect(isLocalNetwork(address)).toBe(local);
  });
});
