import { TypedProblem, ValidationProblem } from '../http/problem.js';

/** What the first sign-in step answers when the password is right and a second factor is needed. */
export class MfaRequired extends TypedProblem {
  constructor(ticket: string, expiresAt: Date) {
    super(403, 'mfa-required', 'Enter a code from your authenticator app, or a recovery code, to finish signing in.', {
      ticket,
      methods: ['totp', 'recovery_code'],
      expiresAt: expiresAt.toISOString(),
    });
  }
}

/** The ticket is unknown, expired, spent or has seen too many wrong codes: start again. */
export class MfaTicketInvalid extends TypedProblem {
  constructor() {
    super(401, 'mfa-ticket-invalid', 'This sign-in has expired. Sign in again.');
  }
}

/** A wrong, reused or malformed code, as a field error of the form that sent it. */
export function wrongCode(field: 'code' | 'recoveryCode'): ValidationProblem {
  return new ValidationProblem([
    {
      field,
      pointer: `/${field}`,
      detail:
        field === 'code'
          ? 'The code is incorrect or was already used. Enter the code your app shows now.'
          : 'The recovery code is incorrect or was already used.',
    },
  ]);
}
