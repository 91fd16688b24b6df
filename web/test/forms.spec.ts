import { describe, expect, it } from 'vitest';
import { fieldErrors, passwordRules, signUpSchema } from '~/utils/forms';
import { safeNext } from '~/utils/navigation';

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
