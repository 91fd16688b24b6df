/**
 * Form rules checked in the browser before anything is sent. They mirror the API's rules so the
 * user sees them live; the API stays the judge, and its field errors are shown in the same places.
 * The "hard to guess" estimate joins them once its dictionaries have loaded (password-strength.ts):
 * a form sent before that is judged by the API alone.
 */
import { z } from 'zod';
import { loadedStrengthCheck } from './password-strength';
import { plainCode, plainRecoveryCode } from './second-factor';

/** The API's limit on display names (the input stops there too). */
export const DISPLAY_NAME_MAX = 80;
const PASSWORD_MIN = 12;
const PASSWORD_MAX = 128;
const codePoints = (value: string) => Array.from(value).length;

interface PasswordRule {
  readonly id: 'length' | 'classes' | 'personal';
  readonly label: string;
  readonly met: boolean;
}

type PasswordContext = { email?: string | undefined; displayName?: string | undefined };

/** The parts of the account a password must not contain (the API's list: 3 characters or more). */
export function personalParts(context: PasswordContext): string[] {
  return [context.email?.split('@')[0], context.displayName]
    .map((part) => part?.trim().toLowerCase() ?? '')
    .filter((part) => codePoints(part) >= 3);
}

/** Each rule and whether the password meets it, for the live checklist under the field. */
export function passwordRules(password: string, context: PasswordContext = {}): PasswordRule[] {
  const length = codePoints(password);
  const classes = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{L}\p{Nd}]/u].filter((c) => c.test(password)).length;
  const lower = password.toLowerCase();
  const personal = personalParts(context);
  return [
    {
      id: 'length',
      label: `${PASSWORD_MIN} to ${PASSWORD_MAX} characters`,
      met: length >= PASSWORD_MIN && length <= PASSWORD_MAX,
    },
    { id: 'classes', label: 'Three of: lower case, upper case, digits, symbols', met: classes >= 3 },
    {
      id: 'personal',
      label: 'Not containing your e-mail name or display name',
      met: password !== '' && !personal.some((part) => lower.includes(part)),
    },
  ];
}

const email = z
  .string()
  .trim()
  .min(1, 'Enter your e-mail address')
  .max(254)
  .pipe(z.email('Enter a valid e-mail address'));
const displayName = z
  .string()
  .trim()
  .min(1, 'Enter the name others will see')
  .max(DISPLAY_NAME_MAX, `At most ${DISPLAY_NAME_MAX} characters`)
  .regex(/^[^\p{Cc}\p{Cf}]+$/u, 'No control characters');

/**
 * What is wrong with a new password, if anything: the first rule of the checklist it breaks, or the
 * estimate's refusal in the API's words once the estimate has loaded.
 */
export function newPasswordProblem(
  password: string,
  context: PasswordContext,
  subject = 'The password',
): string | null {
  const broken = passwordRules(password, context).find((rule) => !rule.met);
  if (broken) return `Password: ${broken.label.toLowerCase()}`;
  const strength = loadedStrengthCheck()?.(password, personalParts(context));
  return strength?.tooEasy ? `${subject} ${strength.tooEasy}` : null;
}

/** A new password with the rules above (the email/name context comes from the same form). */
function newPassword(context: () => PasswordContext, subject?: string) {
  return z.string().superRefine((value, ctx) => {
    const problem = newPasswordProblem(value, context(), subject);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

export const signUpSchema = z.object({ email, displayName, password: z.string() }).superRefine((value, ctx) => {
  const problem = newPasswordProblem(value.password, value);
  if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
});

export const signInSchema = z.object({ email, password: z.string().min(1, 'Enter your password') });
export const emailSchema = z.object({ email });
export const displayNameSchema = z.object({ displayName });
export const resetSchema = (context: () => PasswordContext) => z.object({ password: newPassword(context) });
export const changePasswordSchema = (context: () => PasswordContext) =>
  z
    .object({
      currentPassword: z.string().min(1, 'Enter your current password'),
      newPassword: newPassword(context, 'The new password'),
    })
    // The API refuses it too; saying so here spares a round trip and keeps the sessions.
    .refine((value) => value.currentPassword === '' || value.newPassword !== value.currentPassword, {
      path: ['newPassword'],
      message: 'The new password must differ from your current one.',
    });
export const deleteAccountSchema = z.object({ currentPassword: z.string().min(1, 'Enter your password to confirm') });
export const changeEmailSchema = z.object({
  newEmail: email,
  password: z.string().min(1, 'Enter your current password'),
});

const totpCode = z
  .string()
  .transform(plainCode)
  .pipe(
    z
      .string()
      .min(1, 'Enter the code from your authenticator app')
      .regex(/^\d{6}$/, 'The code has 6 digits'),
  );
const recoveryCode = z
  .string()
  .transform(plainRecoveryCode)
  .pipe(z.string().min(1, 'Enter one of your recovery codes').max(24, 'A recovery code looks like abcde-12345'));
/** Six digits are an app's code; anything else is taken for a recovery code. */
const eitherCode = z
  .string()
  .transform((value) => (/^\d{6}$/.test(plainCode(value)) ? plainCode(value) : plainRecoveryCode(value)))
  .pipe(z.string().min(1, 'Enter a code from your authenticator app or a recovery code').max(24));

export const totpCodeSchema = z.object({ code: totpCode });
export const recoveryCodeSchema = z.object({ recoveryCode });
export const eitherCodeSchema = z.object({ code: eitherCode });
export const stepUpPasswordSchema = z.object({ password: z.string().min(1, 'Enter your password') });
export const passkeyNameSchema = z.object({
  name: z
    .string()
    .trim()
    .max(80, 'At most 80 characters')
    .regex(/^[^\p{Cc}\p{Cf}]*$/u, 'No control characters'),
});

/** Field → first message, for showing beside each input. */
export function fieldErrors(result: z.ZodSafeParseResult<unknown>): Record<string, string> {
  const errors: Record<string, string> = {};
  if (result.success) return errors;
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '');
    errors[field] ??= issue.message;
  }
  return errors;
}
