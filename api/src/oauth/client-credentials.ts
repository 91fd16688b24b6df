/**
 * The identifiers and secrets of registered apps: prefixed so that people and secret scanners can
 * tell what they are (`nuell_app_…` is public, `nuell_secret_…` is not), random base62 from the
 * CSPRNG. Only a secret's SHA-256 is stored; comparing hashes in constant time.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import { hashToken } from '../auth/opaque-token.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const CLIENT_ID_PREFIX = 'nuell_app_';
export const CLIENT_SECRET_PREFIX = 'nuell_secret_';

function base62(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62.charAt(randomInt(BASE62.length));
  return out;
}

export const newClientId = (): string => CLIENT_ID_PREFIX + base62(24);
export const newClientSecret = (): string => CLIENT_SECRET_PREFIX + base62(40);
export const hashSecret = (secret: string): string => hashToken(secret);

/** Whether `secret` is the one whose hash is `secretHash`, without leaking where they differ. */
export function secretMatches(secret: string, secretHash: string | null): boolean {
  if (secretHash === null) return false;
  return timingSafeEqual(Buffer.from(hashSecret(secret)), Buffer.from(secretHash));
}
