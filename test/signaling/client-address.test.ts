// Which address a request is keyed on: only the X-Forwarded-For entries the configured proxy hops
// appended count, and IPv6 clients are keyed on their /64.

import { describe, expect, it } from 'vitest';
import { addressKey, clientAddress } from '../../signaling/client-address.js';

describe('clientAddress', () => {
  it('ignores X-Forwarded-For without trusted hops', () => {
    expect(clientAddress('127.0.0.1', '203.0.113.7', 0)).toBe('127.0.0.1');
  });

  it('takes the entry the trusted hops appended, not what the client wrote', () => {
    // The client wrote "1.1.1.1, 2.2.2.2"; one proxy appended the address it saw.
    expect(clientAddress('10.0.0.2', '1.1.1.1, 2.2.2.2, 203.0.113.7', 1)).toBe('203.0.113.7');
    // Two hops: the outer proxy appended the client, the inner one the outer proxy.
    expect(clientAddress('10.0.0.2', '1.1.1.1, 203.0.113.7, 10.0.0.1', 2)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.2', ['9.9.9.9', '203.0.113.7'], 1)).toBe('203.0.113.7');
  });

  it('falls back to the left-most entry when there are fewer entries than hops, and to the peer on junk', () => {
    expect(clientAddress('10.0.0.2', '203.0.113.7', 2)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.2', 'not-an-address', 1)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', undefined, 1)).toBe('10.0.0.2');
    expect(clientAddress(undefined, undefined, 0)).toBe('unknown');
  });
});

describe('addressKey', () => {
  it('keys IPv6 on the /64 and IPv4-mapped addresses as IPv4', () => {
    expect(addressKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002::ffff:1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::ffff:198.51.100.9')).toBe('198.51.100.9');
    expect(addressKey('198.51.100.9')).toBe('198.51.100.9');
  });
});
