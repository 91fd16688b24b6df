import { ipLimitKey } from './client-address.js';

describe('ipLimitKey', () => {
  it('keys IPv4 by the address, however it is written', () => {
    expect(ipLimitKey('192.0.2.1')).toBe('192.0.2.1');
    expect(ipLimitKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(ipLimitKey('192.0.2.1')).not.toBe(ipLimitKey('192.0.2.2'));
  });

  it('keys IPv6 by its /64, so rotating addresses inside one network gains nothing', () => {
    const key = ipLimitKey('2001:db8:1:2::1');
    expect(ipLimitKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(key);
    expect(ipLimitKey('2001:0db8:0001:0002:0:0:0:abcd')).toBe(key);
    expect(ipLimitKey('2001:db8:1:3::1')).not.toBe(key);
    expect(ipLimitKey('fe80::1%eth0')).toBe(ipLimitKey('fe80::2'));
  });

  it('keys a missing address as unknown', () => {
    expect(ipLimitKey(undefined)).toBe('unknown');
    expect(ipLimitKey(null)).toBe('unknown');
  });
});
