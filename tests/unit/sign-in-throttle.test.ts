import { describe, expect, it } from 'vitest';
import { accountKey, sourceKey, sourcePrefix } from '../../src/server/core/auth/sign-in-throttle.ts';

describe('the source of a sign-in attempt', () => {
  it('is an IPv4 address as it is, also when mapped into IPv6', () => {
    expect(sourcePrefix('192.0.2.7')).toBe('192.0.2.7');
    expect(sourcePrefix('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(sourcePrefix('::ffff:c000:207')).toBe('192.0.2.7');
  });

  it('is the /64 network of an IPv6 address, however it is written', () => {
    const same = ['2001:db8:1:2::1', '2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:DB8:1:2:0:0:0:9', 'fe80::1%eth0'];
    expect(sourcePrefix(same[0]!)).toBe('2001:db8:1:2::/64');
    expect(new Set(same.slice(0, 3).map(sourcePrefix))).toEqual(new Set(['2001:db8:1:2::/64']));
    expect(sourcePrefix('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(sourcePrefix('::1')).toBe('0:0:0:0::/64');
    expect(sourcePrefix('2001:db8:1:3::1')).not.toBe(sourcePrefix('2001:db8:1:2::1'));
  });

  it('keys are digests, the same for every spelling of an e-mail address', () => {
    expect(accountKey(' Iemand@Test.Example ')).toBe(accountKey('iemand@test.example'));
    expect(accountKey('iemand@test.example')).toMatch(/^[0-9a-f]{64}$/);
    expect(sourceKey('2001:db8:1:2::1')).toBe(sourceKey('2001:db8:1:2::abcd'));
    expect(sourceKey('192.0.2.7')).not.toBe(accountKey('192.0.2.7'));
  });
});
