/**
 * PKCE (RFC 7636), S256 only: `plain` gives nothing against a stolen authorization request, so it
 * is refused, and so is a request without a challenge (RFC 9700 §2.1.1).
 */
import { createHash } from 'node:crypto';

/** A verifier: 43–128 unreserved characters (RFC 7636 §4.1). */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
/** A challenge: base64url of a SHA-256, 43 characters. */
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export const isCodeChallenge = (value: string): boolean => CHALLENGE.test(value);

/** Whether `verifier` is the one whose S256 challenge is `challenge`. */
export function verifierMatches(verifier: string, challenge: string): boolean {
  if (!VERIFIER.test(verifier)) return false;
  return createHash('sha256').update(verifier).digest('base64url') === challenge;
}
