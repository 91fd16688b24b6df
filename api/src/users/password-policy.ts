/**
 * The password rules: 12–128 characters counted as Unicode code points
 * (nothing is truncated), not one of the 10,000 most common passwords, at least three of lower
 * case, upper case, digit and symbol, and not containing the e-mail's local part or the display
 * name. `check` names the first rule a password breaks.
 */
import { readFileSync } from 'node:fs';
import { ValidationProblem } from '../http/problem.js';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

const COMMON = new Set(
  readFileSync(new URL('../../data/common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .filter(Boolean),
);

const CLASSES: readonly RegExp[] = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{L}\p{Nd}]/u];

/** Length in Unicode code points: what a person counts as characters, bar combining marks. */
const codePoints = (value: string): number => Array.from(value).length;

/** Parts of the account a password must not contain; too short to matter below 3 characters. */
function personalParts(context: { email?: string; displayName?: string }): string[] {
  const local = context.email?.split('@')[0];
  return [local, context.displayName]
    .map((part) => part?.trim().toLowerCase())
    .filter((part): part is string => part !== undefined && codePoints(part) >= 3);
}

export function checkPassword(password: string, context: { email?: string; displayName?: string } = {}): string | null {
  const length = codePoints(password);
  if (length < PASSWORD_MIN) return `password must be at least ${PASSWORD_MIN} characters long`;
  if (length > PASSWORD_MAX) return `password must be at most ${PASSWORD_MAX} characters long`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'password is one of the most common passwords; choose another';
  if (CLASSES.filter((c) => c.test(password)).length < 3) {
    return 'password must mix at least three of: lower case, upper case, digits, symbols';
  }
  for (const part of personalParts(context)) {
    if (lower.includes(part)) return 'password must not contain your e-mail name or display name';
  }
  return null;
}

/** Throws a 400 naming the password rule that `password` breaks, if any. */
export function assertPasswordPolicy(
  password: string,
  context: { email?: string; displayName?: string },
  field = 'password',
): void {
  const broken = checkPassword(password, context);
  if (broken) throw new ValidationProblem([{ field, pointer: `/${field}`, detail: broken }]);
}
