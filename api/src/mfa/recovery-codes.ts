/**
 * Recovery codes: what lets an owner in when the authenticator app is gone. Ten per account, each
 * 50 random bits written as `xxxxx-xxxxx` in an alphabet without look-alikes (no 0/o, 1/l/i),
 * shown once and stored only as SHA-256: the random bits make a slow hash unnecessary, and the
 * sign-in limits bound guessing like a password's.
 */
import { createHash, randomInt } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // 31 symbols; 10 of them carry ~49.5 bits

export function newRecoveryCode(): string {
  const chars = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

/** What a person may type for a code: any case, spaces or dashes anywhere. */
export function normaliseRecoveryCode(typed: string): string {
  return typed.toLowerCase().replace(/[\s-]/g, '');
}

export function hashRecoveryCode(typed: string): string {
  return createHash('sha256').update(normaliseRecoveryCode(typed)).digest('hex');
}
