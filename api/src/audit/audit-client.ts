/**
 * Where an audited change came from: the client's IP address (as TRUST_PROXY resolves it, the same
 * address the rate limits count, see policy/client-address.ts) and its user agent. An entry takes
 * them from `AuditEntry.client` when the caller has them at hand (sign-ins), otherwise from the
 * request it is recorded in: the API's interceptor and the control panel's middleware run each
 * request's handler inside `withAuditClient`, so a service several calls deep audits where the
 * request came from without every signature carrying it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import ipaddr from 'ipaddr.js';

export interface AuditClient {
  readonly ip: string | null;
  readonly userAgent: string | null;
}

const MAX_USER_AGENT = 512;
const MAX_IP = 64;
const current = new AsyncLocalStorage<AuditClient>();

/** Runs `fn` (and everything it awaits) as part of a request from `client`. */
export function withAuditClient<T>(client: AuditClient, fn: () => T): T {
  return current.run(client, fn);
}

/** The client of the request being handled, if any. */
export function currentAuditClient(): AuditClient | undefined {
  return current.getStore();
}

/**
 * The client as the audit log stores it: an IPv4 address written as IPv6 (`::ffff:192.0.2.1`, as
 * dual-stack sockets report it) as the IPv4 address, other addresses in their canonical form,
 * the user agent cut at 512 characters.
 */
export function auditClient(ip: string | null | undefined, userAgent: unknown): AuditClient {
  return { ip: normaliseIp(ip), userAgent: typeof userAgent === 'string' ? userAgent.slice(0, MAX_USER_AGENT) : null };
}

function normaliseIp(ip: string | null | undefined): string | null {
  if (!ip) return null;
  try {
    const address = ipaddr.parse(ip.replace(/%.*$/, ''));
    if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress())
      return (address as ipaddr.IPv6).toIPv4Address().toString();
    return address.toString();
  } catch {
    return ip.slice(0, MAX_IP); // not an address (never from a socket): kept as given
  }
}
