/**
 * Where to go after signing in: only a path on this site, never another origin (`//evil.example`
 * or `/\evil.example` would leave it), so a crafted link cannot send someone away.
 */
export function safeNext(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) {
    return fallback;
  }
  return next;
}

/**
 * The token of an e-mailed link. Links carry it in the fragment (`#token=…`), which browsers never
 * send to a server, so it stays out of access logs and Referer headers; links sent before that
 * carried it in the query (`?token=…`) and keep working for their lifetime.
 */
export function linkToken(route: { query: Record<string, unknown>; hash: string }): string {
  const fromHash = new URLSearchParams(route.hash.replace(/^#/, '')).get('token');
  if (fromHash) return fromHash;
  return typeof route.query.token === 'string' ? route.query.token : '';
}
