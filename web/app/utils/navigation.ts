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
