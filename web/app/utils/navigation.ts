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

const tokenKey = (page: string) => `nuell:link-token:${page}`;

/**
 * The token of an e-mailed link, kept for the page's life: the address bar loses it at once (see
 * the pages), so a reload would find nothing; the tab's session storage keeps it until the page is
 * done with it (`forgetLinkToken`) or the tab is closed. A new link replaces the kept token.
 */
export function keptLinkToken(route: { query: Record<string, unknown>; hash: string }, page: string): string {
  const fromLink = linkToken(route);
  try {
    if (fromLink) sessionStorage.setItem(tokenKey(page), fromLink);
    return fromLink || (sessionStorage.getItem(tokenKey(page)) ?? '');
  } catch {
    return fromLink; // storage blocked: the link works, a reload does not
  }
}

export function forgetLinkToken(page: string): void {
  try {
    sessionStorage.removeItem(tokenKey(page));
  } catch {
    // nothing was kept
  }
}

let typedEmail = '';

/**
 * The address typed on one account page, handed to the next one the user goes to (sign-up's
 * "sign in with it", sign-in's "forgot your password?"): kept in memory for the page's life only,
 * never put in the URL.
 */
export function carryEmail(email: string): void {
  typedEmail = email.trim();
}

/** The address carried from the last account page, or ''. */
export function carriedEmail(): string {
  return typedEmail;
}
