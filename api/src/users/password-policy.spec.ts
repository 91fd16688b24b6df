import { checkPassword } from './password-policy.js';

describe('checkPassword', () => {
  it.each([
    ['a common password with a capital, digits and a symbol', 'Password123!', /commonly used password/],
    ['its l33t spelling', 'P@ssw0rd2024!', /commonly used password/],
    ['a first name and a year', 'Jennifer1990!', /commonly used password/],
    ['a keyboard walk', 'Qwertyuiop123!', /^The password is too easy to guess\. /],
    ['a repeated pattern', 'Aa1!Aa1!Aa1!Aa1!', /repeated character patterns/],
  ])('refuses %s, saying why and what would help', (_case, password, why) => {
    const refusal = checkPassword(password);
    expect(refusal).toMatch(/^The password is too easy to guess/);
    expect(refusal).toMatch(why);
    expect(refusal).toMatch(/Add more words that are less common\.$/);
  });

  it.each(['Correct-Horse-Battery-9', 'Analytical-Engine-1843', 'Zürich Größe 12345 Öl-Ä!', 'Brand-New-Secret-77'])(
    'accepts %s',
    (password) => {
      expect(checkPassword(password, { email: 'ada@example.test', displayName: 'Ada Lovelace' })).toBeNull();
    },
  );

  it('names the rule and the count, and calls a new password one', () => {
    expect(checkPassword('Abcdefgh1!x')).toBe('The password must have at least 12 characters; this has 11.');
    expect(checkPassword(`Aa1!${'x'.repeat(1_000)}`)).toBe(
      'The password must have at most 128 characters; this has 1,004.',
    );
    expect(checkPassword('abcdefgh12345', {}, 'newPassword')).toBe(
      'The new password must mix at least three of: lower case, upper case, digits, symbols.',
    );
  });

  it('counts characters, not UTF-16 units', () => {
    expect(checkPassword('Ab1!😀😀😀😀😀😀😀')).toMatch(/this has 11\./);
  });

  it('checks the cheap rules before the estimate, and the account before the dictionaries', () => {
    expect(checkPassword('My-Rosalind-2026', { displayName: 'Rosalind' })).toBe(
      'The password must not contain your e-mail name or display name.',
    );
    expect(checkPassword('Password-margaret99', { email: 'margaret99@example.test' })).toMatch(/e-mail name/);
  });
});
