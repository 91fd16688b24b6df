/**
 * The key a per-IP limit counts a client under. An IPv4 client is its address. An IPv6 client is
 * its /64: a single host or home network gets a whole /64 and can pick any address in it, so
 * keying by the full /128 would give it 2^64 fresh budgets. An IPv4 address written as IPv6
 * (`::ffff:192.0.2.1`, as dual-stack sockets report it) counts as the IPv4 address.
 */
import ipaddr from 'ipaddr.js';

export function ipLimitKey(ip: string | null | undefined): string {
  if (!ip) return 'unknown';
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = ipaddr.parse(ip.replace(/%.*$/, '')); // without an IPv6 zone (fe80::1%eth0)
  } catch {
    return ip; // not an address (never from a socket): counted as it is
  }
  if (address.kind() === 'ipv4') return address.toString();
  const v6 = address as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  return `${v6.parts
    .slice(0, 4)
    .map((part) => part.toString(16))
    .join(':')}::/64`;
}
