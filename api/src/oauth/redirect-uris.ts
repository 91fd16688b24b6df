/**
 * Which redirect URIs an app may register (RFC 9700 §2.1, §4.1): absolute https URLs, or plain
 * http only to the loopback for native apps and local development; never a fragment (the code
 * would leak into it) nor credentials. Authorization requests must then name one exactly, byte for
 * byte: no prefix or pattern matching, the source of most open-redirect bugs.
 */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
export const REDIRECT_URI_MAX = 2000;

/** What is wrong with `uri` as a redirect URI, in words; null when it may be registered. */
export function redirectUriProblem(uri: string): string | null {
  if (uri.length > REDIRECT_URI_MAX) return `a redirect URI must be at most ${REDIRECT_URI_MAX} characters`;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `${uri} is not an absolute URL`;
  }
  if (uri.includes('#')) return `${uri}: a redirect URI must not have a fragment (#)`;
  if (url.username || url.password) return `${uri}: a redirect URI must not carry a user name or password`;
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return null;
  return `${uri}: use https, or http only for localhost or 127.0.0.1`;
}
