/**
 * Errors as the user should read them. The API answers RFC 9457 problem details whose `detail`
 * is written for developers as often as for people ("content must be at most 40000 characters
 * (it has 40001)", "Try again in 1907 seconds"); this turns any failed answer (or a network
 * failure) into one shape the pages can show, worded as a person would write it: the fields
 * named as the form names them, limits in their units, waits in minutes. `humanProblem()` is the
 * one place that wording happens; `problemOf()` applies it to every answer, so `message` and
 * `fields` are always ready to show.
 */
export interface Problem {
  /** HTTP status, or 0 when the server could not be reached. */
  readonly status: number;
  /** The problem type URI (`about:blank` when the API gives none). */
  readonly type: string;
  /** One sentence for a toast, a page or a form's error summary (humanProblem's). */
  readonly message: string;
  /** Field name → sentence, for validation errors (400). */
  readonly fields: Readonly<Record<string, string>>;
  /** Seconds to wait, from Retry-After, on a 429 (or a 503). */
  readonly retryAfter: number | null;
  /** The API's own `detail`, as sent: for branching in tests and logs, never for showing. */
  readonly detail: string | null;
  /** A suspended account's sign-in (403 `account-suspended`): the team's message and the end, if any. */
  readonly suspension: Suspension | null;
}

/** What a suspended account is told once its password is right; either may be null. */
export interface Suspension {
  /** What the operator wrote for the account's owner. */
  readonly message: string | null;
  /** When the suspension ends (ISO 8601); null: until the team lifts it. */
  readonly until: string | null;
}

/** What humanProblem reads: a Problem, or the parts of one. */
type ProblemParts = Pick<Problem, 'status'> & Partial<Pick<Problem, 'detail' | 'fields' | 'retryAfter'>>;

interface ProblemBody {
  type?: unknown;
  title?: unknown;
  detail?: unknown;
  errors?: unknown;
  message?: unknown;
  until?: unknown;
}

const FALLBACK: Record<number, string> = {
  0: 'The server could not be reached. Check your connection and try again.',
  400: 'Something in this form is not valid.',
  401: 'Please sign in again.',
  403: 'You are not allowed to do that.',
  404: 'This could not be found.',
  409: 'That conflicts with something that changed meanwhile; reload and try again.',
  412: 'This changed elsewhere since you loaded it.',
  413: 'That is too large to send.',
};
const SERVER_FAULT = 'Something went wrong on our side. Try again in a moment.';

/** How the forms name the API's fields, as the subject of a sentence. */
const FIELD_NAMES: Record<string, string> = {
  email: 'the e-mail address',
  newEmail: 'the new e-mail address',
  password: 'the password',
  currentPassword: 'the current password',
  newPassword: 'the new password',
  displayName: 'the display name',
  token: 'the link from the e-mail',
  content: 'the post',
  title: 'the title',
  bio: 'the bio',
  link: 'the link',
  limit: 'the number of items',
  cursor: 'the position in the list',
  code: 'the code',
  recoveryCode: 'the recovery code',
};

/** "the current password" for `currentPassword`; unknown fields are spelt out ("the author id"). */
export function fieldName(field: string): string {
  const last = field.split('.').at(-1) ?? field;
  return FIELD_NAMES[last] ?? `the ${last.replace(/([a-z\d])([A-Z])/g, '$1 $2').toLowerCase()}`;
}

const count = (n: number, unit: string) => `${n.toLocaleString('en')} ${unit}${n === 1 ? '' : 's'}`;

/** A wait as a person says it: "45 seconds", "32 minutes", "1 hour and 5 minutes" (rounded up). */
export function waitInWords(seconds: number): string {
  if (seconds <= 60) return count(Math.max(1, Math.ceil(seconds)), 'second');
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return count(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? count(hours, 'hour') : `${count(hours, 'hour')} and ${count(rest, 'minute')}`;
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const sentence = (text: string) => capitalised(/[.!?]$/.test(text) ? text : `${text}.`);
const grouped = (digits: string) => Number(digits).toLocaleString('en');

/**
 * The parts of a detail that read like a machine's, whoever wrote the rest: counts of characters
 * without separators, "(it has N)", and waits in seconds (the Retry-After header is the truth
 * when there is one).
 */
function tidy(text: string, retryAfter: number | null | undefined): string {
  return text
    .replace(/ \(it has (\d+)\)/g, (_, n: string) => `; this has ${grouped(n)}`)
    .replace(/\b(\d{4,})(?= (?:characters?|words?|bytes?)\b)/g, grouped)
    .replace(/\b(has|of) (\d{4,})\b/g, (_, word: string, n: string) => `${word} ${grouped(n)}`)
    .replace(/\bin (\d+) seconds?\b/g, (_, n: string) => `in ${waitInWords(retryAfter ?? Number(n))}`)
    .replace(/\b1 (character|word)s\b/g, '1 $1');
}

/** What class-validator's own messages say, as the end of a sentence about the field. */
const VALIDATOR_WORDING: readonly [RegExp, (match: RegExpExecArray) => string][] = [
  [/^must be longer than or equal to 1 characters?$/, () => 'must not be empty'],
  [/^must be at least 1 characters?$/, () => 'must not be empty'],
  [/^must be longer than or equal to (\d+) characters?$/, ([, n]) => `must have at least ${n} characters`],
  [/^must be shorter than or equal to (\d+) characters?$/, ([, n]) => `must have at most ${n} characters`],
  [/^must be at (least|most) (\d+) characters/, ([, which, n]) => `must have at ${which} ${n} characters`],
  [/^(?:should|must) not be empty$/, () => 'must not be empty'],
  [/^must be an? e-?mail(?: address)?$/, () => 'is not a valid address'],
  [/^must be a string$/, () => 'must be text'],
  [/^must be a UUID$/, () => 'is not valid'],
  [/^must be a URL address$/, () => 'must be a full web address, such as https://example.com'],
  [/^must not be greater than (\d+)$/, ([, n]) => `must be at most ${n}`],
  [/^must not be less than (\d+)$/, ([, n]) => `must be at least ${n}`],
  [/^must be an integer number$/, () => 'must be a whole number'],
  [/^must be a number conforming to the specified constraints$/, () => 'must be a number'],
  [/^must be a boolean value$/, () => 'must be true or false'],
  [/^must be one of the following values: (.+)$/, ([, values]) => `must be one of: ${values}`],
];

/** One field's refusal as a sentence about it: "content must be at most 40000 characters (it has 40001)" → "The post must have at most 40,000 characters; this has 40,001." */
export function humanField(field: string, detail: string, retryAfter?: number | null): string {
  const unknown = /^property (\S+) should not exist$/.exec(detail);
  if (unknown) return sentence(`${fieldName(unknown[1]!)} is not something this form can send`);
  const last = field.split('.').at(-1) ?? field;
  const subject = [field, last].find((name) => name !== '' && detail.startsWith(`${name} `));
  if (subject === undefined) return sentence(tidy(detail, retryAfter));
  let rest = detail.slice(subject.length + 1);
  for (const [pattern, word] of VALIDATOR_WORDING) {
    const match = pattern.exec(rest);
    if (match) {
      rest = rest.replace(match[0], word(match));
      break;
    }
  }
  return sentence(tidy(`${fieldName(field)} ${rest}`, retryAfter));
}

/**
 * The one sentence to show for a problem: the first field's refusal for a validation error, the
 * wait in words for a 429, the API's detail tidied, or what the status says. Worded sentences
 * pass through unchanged, so calling it twice changes nothing.
 */
export function humanProblem(problem: ProblemParts): string {
  const { status, detail, fields = {}, retryAfter } = problem;
  const [first] = Object.entries(fields);
  if (status === 400 && first) return humanField(first[0], first[1], retryAfter);
  if (status === 429) {
    const wait = retryAfter ? ` Try again in ${waitInWords(retryAfter)}.` : ' Wait a moment and try again.';
    return detail && /\bin \d+ seconds?\b|\bin \d+ (minute|hour)s?\b/.test(detail)
      ? sentence(tidy(detail, retryAfter))
      : `Too many attempts.${wait}`;
  }
  if (status >= 500) return detail && status !== 500 ? sentence(tidy(detail, retryAfter)) : SERVER_FAULT;
  if (detail && !(status === 400 && detail.startsWith('The request is invalid'))) {
    return sentence(tidy(detail, retryAfter));
  }
  return FALLBACK[status] ?? 'The request failed.';
}

function fieldsOf(errors: unknown, retryAfter: number | null): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!Array.isArray(errors)) return fields;
  for (const error of errors as ({ field?: unknown; detail?: unknown } | null)[]) {
    if (typeof error?.field === 'string' && typeof error.detail === 'string' && !(error.field in fields)) {
      fields[error.field] = humanField(error.field, error.detail, retryAfter);
    }
  }
  return fields;
}

/** Builds a Problem from a failed response and its parsed body (openapi-fetch's `error`). */
export function problemOf(response: Response | undefined, body: unknown): Problem {
  const status = response?.status ?? 0;
  const problem = (typeof body === 'object' && body !== null ? body : {}) as ProblemBody;
  const retry = Number(response?.headers.get('retry-after'));
  const retryAfter = Number.isFinite(retry) && retry > 0 ? retry : null;
  const fields = fieldsOf(problem.errors, retryAfter);
  const detail = typeof problem.detail === 'string' ? problem.detail : null;
  const type = typeof problem.type === 'string' ? problem.type : 'about:blank';
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : null);
  const suspension =
    status === 403 && type.endsWith('/account-suspended')
      ? { message: text(problem.message), until: text(problem.until) }
      : null;
  return {
    status,
    type,
    message: suspension
      ? suspendedSentence(suspension)
      : type === 'https://nuell.dev/problems/step-up-required'
        ? 'To make this change, first confirm it is you.'
        : humanProblem({ status, detail, fields, retryAfter }),
    fields,
    retryAfter,
    detail,
    suspension,
  };
}

/**
 * What a suspended account's owner reads at sign-in: until when, in their own words and time
 * zone, which it names ("Saturday, December 5, 2099 at 2:00 PM GMT+1"), and the team's message as
 * they wrote it.
 */
/** How the end of a suspension is written: the day in full, the time and the reader's zone. */
export const SUSPENSION_END: Intl.DateTimeFormatOptions = {
  weekday: 'long',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
};

export function suspendedSentence(suspension: Suspension, locale?: string): string {
  const until = suspension.until ? new Date(suspension.until) : null;
  const end =
    until && !Number.isNaN(until.getTime())
      ? `until ${new Intl.DateTimeFormat(locale, SUSPENSION_END).format(until)}`
      : 'until the team lifts the suspension';
  const said = suspension.message ? ` Message from the team: “${suspension.message}”` : '';
  return `Your account is suspended ${end}.${said}`;
}

/** A network failure (fetch rejected) as a Problem. */
export function unreachable(): Problem {
  return problemOf(undefined, undefined);
}

/** Whether a problem says the user must confirm their e-mail address first. */
export function needsVerifiedEmail(problem: Problem): boolean {
  return problem.status === 403 && problem.type.endsWith('/email-not-verified');
}

/** Whether a problem is of one of the API's own types (`https://nuell.dev/problems/<name>`). */
export function isProblemType(problem: Pick<Problem, 'type'>, name: string): boolean {
  return problem.type === `https://nuell.dev/problems/${name}`;
}
