import { createHash, randomBytes } from 'node:crypto';

/** A fresh opaque token: 256 bits from the CSPRNG, base64url. Only its hash is ever stored. */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 in hex: how refresh and account tokens are stored and looked up. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
