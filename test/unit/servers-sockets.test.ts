import { describe, expect, it } from 'vitest';
import { bindWarning } from '../../main/core/health/bind-check.js';
import { decodeAddress, formatSocket, isLoopback } from '../../main/core/health/sockets.js';

describe('listening sockets', () => {
  it('decodes /proc/net addresses (host-order words)', () => {
    expect(decodeAddress('0100007F')).toBe('127.0.0.1');
    expect(decodeAddress('00000000')).toBe('0.0.0.0');
    expect(decodeAddress('0101A8C0')).toBe('192.168.1.1');
    expect(decodeAddress('00000000000000000000000001000000')).toBe('::1');
    expect(decodeAddress('00000000000000000000000000000000')).toBe('::');
    expect(decodeAddress('0000000000000000FFFF00000100007F')).toBe('::ffff:127.0.0.1');
  });

  it('tells loopback from everything else', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '::', '192.168.1.10', '::ffff:10.0.0.1'].some(isLoopback)).toBe(false);
  });

  it('warns only about non-loopback sockets, naming them', () => {
    const lo = { address: '127.0.0.1', port: 8000, pid: 1, loopback: true };
    const any6 = { address: '::', port: 8001, pid: 1, loopback: false };
    expect(bindWarning('web', [lo])).toBeNull();
    expect(bindWarning('web', [lo, any6])).toMatch(/^web listens on \[::\]:8001, beyond loopback/);
    expect(formatSocket(lo)).toBe('127.0.0.1:8000');
  });
});
