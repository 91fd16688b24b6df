/**
 * Suspensions: what an operator writes when suspending an account (checked here, once, for the
 * panel's single and bulk actions alike), and the problem a suspended account answers once its
 * password is proven: 403 `account-suspended`, with the operator's message and the end, if any.
 */
import { TypedProblem, ValidationProblem, type FieldError } from '../http/problem.js';
import { SUSPENSION_TEXT_MAX } from '../users/user.entity.js';

/** What an operator sends: a reason (required), an end and a message for the owner (both optional). */
export interface SuspensionInput {
  readonly reason?: unknown;
  readonly until?: unknown;
  readonly message?: unknown;
}

/** The same, checked: trimmed text, an end in the future or none. */
export interface SuspensionTerms {
  readonly reason: string;
  readonly until: Date | null;
  readonly message: string | null;
}

/** A suspension as stored. */
export interface Suspension extends SuspensionTerms {
  readonly suspendedAt: Date;
}

/** The panel's bulk suspension: who was suspended, and why the others were not. */
export interface BulkSuspension {
  readonly suspended: string[];
  readonly refused: { readonly userId: string; readonly reason: string }[];
}

const field = (name: string, detail: string): FieldError => ({ field: name, pointer: `/${name}`, detail });

/** Optional text: absent, null or blank is none; else trimmed, within the length, without NUL. */
function text(name: string, label: string, value: unknown, errors: FieldError[]): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    errors.push(field(name, `The ${label} must be text.`));
    return null;
  }
  const trimmed = value.trim();
  if (trimmed.includes('\0')) errors.push(field(name, `The ${label} must not contain the NUL character.`));
  else if (trimmed.length > SUSPENSION_TEXT_MAX) {
    errors.push(
      field(name, `The ${label} must have at most ${SUSPENSION_TEXT_MAX} characters; it has ${trimmed.length}.`),
    );
  }
  return trimmed === '' ? null : trimmed;
}

/** An end: absent, null or blank is none; else a date and time (ISO 8601) in the future. */
function end(value: unknown, now: Date, errors: FieldError[]): Date | null {
  if (value === undefined || value === null || value === '') return null;
  const until = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(until.getTime())) {
    errors.push(field('until', 'The end is not a date and time.'));
    return null;
  }
  if (until.getTime() <= now.getTime()) {
    errors.push(field('until', 'The end must be in the future (leave it empty for a suspension until lifted).'));
    return null;
  }
  return until;
}

/** Checks what an operator wrote; a 400 naming every field at fault. */
export function suspensionTerms(input: SuspensionInput, now = new Date()): SuspensionTerms {
  const errors: FieldError[] = [];
  const reason = text('reason', 'reason', input.reason, errors);
  if (reason === null && !errors.some((e) => e.field === 'reason')) {
    errors.push(field('reason', 'Give a reason: other operators read it later.'));
  }
  const message = text('message', 'message', input.message, errors);
  const until = end(input.until, now, errors);
  if (reason === null || errors.length > 0) throw new ValidationProblem(errors);
  return { reason, until, message };
}

/** An end as a person reads it, in UTC: "Saturday 5 December 2026 at 14:00 UTC". */
export function endInWords(until: Date): string {
  const weekday = until.toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' });
  const date = until.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const time = until.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
  return `${weekday} ${date} at ${time} UTC`;
}

/**
 * 403 `https://nuell.dev/problems/account-suspended`: the password was right but the account is
 * suspended. `message` is the operator's message for the owner (or null), `until` the end in ISO
 * 8601 (or null: until an operator lifts it). Never answered before the password is proven.
 */
export class AccountSuspended extends TypedProblem {
  constructor(
    readonly until: Date | null,
    readonly operatorMessage: string | null,
  ) {
    super(
      403,
      'account-suspended',
      until
        ? `This account is suspended until ${endInWords(until)}.`
        : 'This account is suspended until an operator lifts the suspension.',
      { message: operatorMessage, until: until?.toISOString() ?? null },
    );
  }

  /** The token endpoint's `error_description` (RFC 6749 §5.2: ASCII, for the developer). */
  get oauthDescription(): string {
    return this.until
      ? `the account is suspended until ${this.until.toISOString()}`
      : 'the account is suspended until an operator lifts the suspension';
  }
}
