import { describe, expect, it } from 'vitest';
import { changePasswordSchema, fieldErrors, newPasswordProblem, signUpSchema } from '~/utils/forms';
import { loadedStrengthCheck, loadStrengthCheck } from '~/utils/password-strength';

describe('the "hard to guess" estimate in the browser', () => {
  it('loads only when asked, then refuses common passwords and their variants as the API does', async () => {
    // Nothing is fetched until a password field asks: the dictionaries stay off the first page.
    expect(loadedStrengthCheck()).toBeNull();
    const check = await loadStrengthCheck();
    expect(loadedStrengthCheck()).toBe(check);

    // The API's own cases (api/src/users/password-policy.spec.ts): the same verdicts.
    for (const common of ['Password123!', 'P@ssw0rd2024!', 'Jennifer1990!', 'Qwertyuiop123!', 'Aa1!Aa1!Aa1!Aa1!']) {
      const verdict = check(common, []);
      expect(verdict.hardToGuess, common).toBe(false);
      expect(verdict.tooEasy, common).toMatch(/^is too easy to guess/);
    }
    expect(check('Password123!', []).tooEasy).toMatch(
      /^is too easy to guess: this is similar to a commonly used password\. \S/,
    );
    for (const strong of [
      'Correct-Horse-Battery-9',
      'Analytical-Engine-1843',
      'Zürich Größe 12345 Öl-Ä!',
      'Brand-New-Secret-77',
    ]) {
      expect(check(strong, ['ada', 'ada lovelace']), strong).toEqual({ hardToGuess: true, tooEasy: null });
    }
  });

  it('makes the forms refuse a guessable password before sending, in the API’s words', async () => {
    await loadStrengthCheck();
    expect(newPasswordProblem('Password123!', {})).toMatch(/^The password is too easy to guess/);
    expect(newPasswordProblem('Correct-Horse-Battery-9', {})).toBeNull();
    const errors = fieldErrors(
      signUpSchema.safeParse({ email: 'ada@example.com', displayName: 'Ada', password: 'Password123!' }),
    );
    expect(errors.password).toMatch(/^The password is too easy to guess/);
    // The checklist's own rules still come first.
    expect(newPasswordProblem('short', {})).toBe('Password: 12 to 128 characters');
  });
});

describe('changing the password', () => {
  const schema = changePasswordSchema(() => ({ email: 'ada@example.com', displayName: 'Ada' }));

  it('says the new password must differ from the current one before sending', () => {
    const same = 'Correct-Horse-Battery-9';
    expect(fieldErrors(schema.safeParse({ currentPassword: same, newPassword: same }))).toEqual({
      newPassword: 'The new password must differ from your current one.',
    });
    expect(schema.safeParse({ currentPassword: 'Old-Horse-9-Staple', newPassword: same }).success).toBe(true);
  });
});
