/**
 * The shape of a personal access token, after GitHub's: `nuell_pat_`, 30 random base62
 * characters, then 6 base62 characters of the CRC-32 of those 30. The prefix lets secret scanners
 * (and people) recognise a leaked token; the checksum lets them, and the guard, tell a real-looking
 * token from a typo or a random string without asking the database. The checksum is no secret and
 * proves nothing: only the SHA-256 of the whole token, looked up in the table, does.
 */
import { randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';

export const PAT_PREFIX = 'nuell_pat_';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_LENGTH = 30; // 62^30 ≈ 2^178 guesses
const CHECKSUM_LENGTH = 6; // 62^6 > 2^32: every CRC-32 fits
const SHAPE = new RegExp(`^${PAT_PREFIX}[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);

/** `value` in base62, left-padded with zeros to `length` characters. */
function base62(value: number, length: number): string {
  let out = '';
  for (let rest = value; rest > 0; rest = Math.floor(rest / 62)) out = BASE62.charAt(rest % 62) + out;
  return out.padStart(length, BASE62.charAt(0));
}

const checksumOf = (random: string) => base62(crc32(random), CHECKSUM_LENGTH);

/** A fresh token from the CSPRNG (randomInt draws each character without modulo bias). */
export function newPersonalAccessToken(): string {
  let random = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) random += BASE62.charAt(randomInt(BASE62.length));
  return `${PAT_PREFIX}${random}${checksumOf(random)}`;
}

/** Whether a bearer token is meant as a personal access token (then it is never read as a JWT). */
export const isPersonalAccessTokenLike = (token: string): boolean => token.startsWith(PAT_PREFIX);

/** Whether the token has the exact shape and a checksum that matches: the cheap check before the database. */
export function hasValidChecksum(token: string): boolean {
  if (!SHAPE.test(token)) return false;
  const body = token.slice(PAT_PREFIX.length);
  return checksumOf(body.slice(0, RANDOM_LENGTH)) === body.slice(RANDOM_LENGTH);
}

/** The last four characters, kept to tell tokens apart in a list: `nuell_pat_…abcd`. */
export const lastFourOf = (token: string): string => token.slice(-4);

export const hintOf = (lastFour: string): string => `${PAT_PREFIX}…${lastFour}`;
