import { describe, expect, it } from 'vitest';
import { fieldErrors, passwordRules, signUpSchema } from '~/utils/forms';
import { safeNext } from '~/utils/navigation';
import { needsVerifiedEmail, problemOf } from '~/utils/problem';

const metRules = (password: string, context = {}) =>
  passwordRules(password, context)
    .filter((rule) => rule.met)
    .map((rule) => rule.id);

describe('password rules shown while typing', () => {
  it('tick off length, character classes and personal parts one by one', () => {
    expect(metRules('')).toEqual([]);
    expect(metRules('short')).toEqual(['personal']);
    expect(metRules('alllowercaseletters')).toEqual(['length', 'personal']);
    expect(metRules('Correct-Horse-9')).toEqual(['length', 'classes', 'personal']);
    expect(metRules('Ada-Lovelace-1815', { displayName: 'Lovelace' })).toEqual(['length', 'classes']);
    expect(metRules('x'.repeat(129))).not.toContain('length');
  });
});

describe('the sign-up form', () => {
  it('names each field that is wrong', () => {
    const errors = fieldErrors(signUpSchema.safeParse({ email: 'nope', displayName: ' ', password: 'short' }));
    expect(errors).toEqual({
      email: 'Enter a valid e-mail address',
      displayName: 'Enter the name others will see',
      password: 'Password: 12 to 128 characters',
    });
  });

  it('accepts a good form, trimming the name and address', () => {
    const parsed = signUpSchema.safeParse({
      email: ' ada@example.com ',
      displayName: ' Ada ',
      password: 'Correct-Horse-9',
    });
    expect(parsed.success && parsed.data).toEqual({
      email: 'ada@example.com',
      displayName: 'Ada',
      password: 'Correct-Horse-9',
    });
  });
});

describe('where to go after signing in', () => {
  it('stays on this site', () => {
    expect(safeNext('/settings')).toBe('/settings');
    expect(safeNext('//evil.example/x')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext(undefined)).toBe('/');
  });
});

describe('API problems as sentences', () => {
  it('puts field errors first, keeps the wait of a 429, and recognises an unverified address', () => {
    const validation = problemOf(new Response(null, { status: 400 }), {
      type: 'about:blank',
      status: 400,
      detail: 'The request is invalid; see errors for each field.',
      errors: [{ field: 'password', pointer: '/password', detail: 'password is one of the most common passwords' }],
    });
    expect(validation.message).toBe('password is one of the most common passwords');
    expect(validation.fields).toEqual({ password: 'password is one of the most common passwords' });

    const limited = problemOf(new Response(null, { status: 429, headers: { 'retry-after': '42' } }), {});
    expect(limited.retryAfter).toBe(42);
    expect(limited.message).toMatch(/Too many attempts/);

    const unverified = problemOf(new Response(null, { status: 403 }), {
      type: 'https://nuell.dev/problems/email-not-verified',
      detail: 'Confirm your e-mail address first.',
    });
    expect(needsVerifiedEmail(unverified)).toBe(true);
  });
});
