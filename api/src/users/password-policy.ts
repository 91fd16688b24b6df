/**
 * The password rules: 12–128 characters counted as Unicode code points (nothing is truncated), at
 * least three of lower case, upper case, digit and symbol, not containing the e-mail's local part
 * or the display name, and hard to guess: zxcvbn's estimate (its common-password and English
 * dictionaries, keyboard patterns, l33t, dates, repeats) must reach PASSWORD_MIN_SCORE. The web
 * app's checklist (web/app/utils/password-strength.ts) runs the same estimate with the same
 * options, so what it ticks off is what this accepts. `checkPassword` names the first rule a
 * password breaks, in a sentence a person can act on.
 */
import { type OptionsType, type ZxcvbnResult, ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';
import { ValidationProblem } from '../http/problem.js';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

/**
 * zxcvbn's score 3: at least 10^8 guesses, "safely unguessable" against an online attack and
 * moderate against a stolen argon2id hash. It refuses every entry of the 10,000 most common
 * passwords the API used to list, and their capitalised, suffixed and l33t variants.
 */
export const PASSWORD_MIN_SCORE = 3;

/**
 * The estimator's options, which the web app repeats. `maxLength` and `l33tMaxSubstitutions`
 * bound the work: with zxcvbn's defaults a 128-character password costs over a second of CPU on
 * the event loop, with these about 25 ms at worst; a long password is judged by its first 64
 * characters, which is the stricter reading.
 */
export const STRENGTH_OPTIONS = { maxLength: 64, l33tMaxSubstitutions: 3 } as const satisfies OptionsType;

const CLASSES: readonly RegExp[] = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{L}\p{Nd}]/u];

/** Length in Unicode code points: what a person counts as characters, bar combining marks. */
const codePoints = (value: string): number => Array.from(value).length;

// Loading the dictionaries takes about 30 MB and a few hundred ms of CPU: only a process that
// checks a password pays, once (the control panel never does).
let estimator: ZxcvbnFactory | undefined;
function estimate(password: string, userInputs: string[]): ZxcvbnResult {
  estimator ??= new ZxcvbnFactory({
    ...STRENGTH_OPTIONS,
    dictionary: { ...commonDictionary, ...englishDictionary },
    graphs: adjacencyGraphs,
    translations,
  });
  return estimator.check(password, userInputs);
}

/** Parts of the account a password must not contain; too short to matter below 3 characters. */
function personalParts(context: { email?: string; displayName?: string }): string[] {
  const local = context.email?.split('@')[0];
  return [local, context.displayName]
    .map((part) => part?.trim().toLowerCase())
    .filter((part): part is string => part !== undefined && codePoints(part) >= 3);
}

/** Why zxcvbn finds it easy, as the end of a sentence, and what would help. */
function tooEasy(result: ZxcvbnResult): string {
  const warning = result.feedback.warning?.replace(/\.$/, '');
  const why = warning ? `: ${warning.charAt(0).toLowerCase()}${warning.slice(1)}` : '';
  const help = result.feedback.suggestions[0] ?? 'Add another word or two that are less common.';
  return `is too easy to guess${why}. ${help}`;
}

/** The field as the sentence names it: "The password", "The new password". */
const subject = (field: string) => (field === 'newPassword' ? 'The new password' : 'The password');

export function checkPassword(
  password: string,
  context: { email?: string; displayName?: string } = {},
  field = 'password',
): string | null {
  const it = subject(field);
  const length = codePoints(password);
  if (length < PASSWORD_MIN) return `${it} must have at least ${PASSWORD_MIN} characters; this has ${length}.`;
  if (length > PASSWORD_MAX) {
    return `${it} must have at most ${PASSWORD_MAX} characters; this has ${length.toLocaleString('en')}.`;
  }
  if (CLASSES.filter((c) => c.test(password)).length < 3) {
    return `${it} must mix at least three of: lower case, upper case, digits, symbols.`;
  }
  const lower = password.toLowerCase();
  const parts = personalParts(context);
  if (parts.some((part) => lower.includes(part))) return `${it} must not contain your e-mail name or display name.`;
  const result = estimate(password, parts);
  if (result.score < PASSWORD_MIN_SCORE) return `${it} ${tooEasy(result)}`;
  return null;
}

/** Throws a 400 naming the password rule that `password` breaks, if any. */
export function assertPasswordPolicy(
  password: string,
  context: { email?: string; displayName?: string },
  field = 'password',
): void {
  const broken = checkPassword(password, context, field);
  if (broken) throw new ValidationProblem([{ field, pointer: `/${field}`, detail: broken }]);
}

/** The sentence for a new password that is the one the account has. */
export const samePasswordDetail = (field: string) => `${subject(field)} must differ from your current one.`;
