/**
 * Errors as the user should read them. The API answers RFC 9457 problem details; this turns any
 * failed answer (or a network failure) into one shape the pages can show: a sentence, the
 * per-field messages of a validation error, and the wait of a 429.
 */
export interface Problem {
  /** HTTP status, or 0 when the server could not be reached. */
  readonly status: number;
  /** The problem type URI (`about:blank` when the API gives none). */
  readonly type: string;
  /** One sentence for a toast or a form's error line. */
  readonly message: string;
  /** Field name → message, for validation errors (400). */
  readonly fields: Readonly<Record<string, string>>;
  /** Seconds to wait, from Retry-After, on a 429. */
  readonly retryAfter: number | null;
}

interface ProblemBody {
  type?: unknown;
  title?: unknown;
  detail?: unknown;
  errors?: unknown;
}

const FALLBACK: Record<number, string> = {
  0: 'The server could not be reached. Check your connection and try again.',
  401: 'Please sign in again.',
  403: 'You are not allowed to do that.',
  404: 'Not found.',
  409: 'That conflicts with the current state; reload and try again.',
  412: 'This changed elsewhere since you loaded it.',
  413: 'That is too large.',
  429: 'Too many attempts; wait a moment and try again.',
};

function fieldsOf(errors: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!Array.isArray(errors)) return fields;
  for (const error of errors as ({ field?: unknown; detail?: unknown } | null)[]) {
    if (typeof error?.field === 'string' && typeof error.detail === 'string' && !(error.field in fields)) {
      fields[error.field] = error.detail;
    }
  }
  return fields;
}

/** Builds a Problem from a failed response and its parsed body (openapi-fetch's `error`). */
export function problemOf(response: Response | undefined, body: unknown): Problem {
  const status = response?.status ?? 0;
  const problem = (typeof body === 'object' && body !== null ? body : {}) as ProblemBody;
  const fields = fieldsOf(problem.errors);
  const detail = typeof problem.detail === 'string' ? problem.detail : undefined;
  const firstField = Object.values(fields)[0];
  const retry = Number(response?.headers.get('retry-after'));
  return {
    status,
    type: typeof problem.type === 'string' ? problem.type : 'about:blank',
    message:
      (status === 400 && firstField ? firstField : detail) ??
      FALLBACK[status] ??
      (status >= 500 ? 'Something went wrong on our side. Try again in a moment.' : 'The request failed.'),
    fields,
    retryAfter: Number.isFinite(retry) && retry > 0 ? retry : null,
  };
}

/** A network failure (fetch rejected) as a Problem. */
export function unreachable(): Problem {
  return problemOf(undefined, undefined);
}

/** Whether a problem says the user must confirm their e-mail address first. */
export function needsVerifiedEmail(problem: Problem): boolean {
  return problem.status === 403 && problem.type.endsWith('/email-not-verified');
}
