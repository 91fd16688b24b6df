/**
 * RFC 9457 problem details: the one shape every error of the API takes.
 * `toProblem` decides what a client may see; anything unexpected becomes a generic 500.
 */
import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface FieldError {
  /** The offending field as a dotted path (`address.city`, `items.0.name`). */
  readonly field: string;
  /** JSON Pointer (RFC 6901) to the field in the request body. */
  readonly pointer: string;
  readonly detail: string;
}

export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly requestId?: string;
  readonly errors?: readonly FieldError[];
  /** Extension members (RFC 9457 §3.2) of a typed problem, e.g. `until` of account-suspended. */
  readonly [extension: string]: unknown;
}

/**
 * Problem types of our own (RFC 9457 §3.1.1): a stable URI a client can branch on. Everything
 * else is `about:blank`, where the status code says all. docs/api.md lists them.
 */
export const PROBLEM_TYPE_BASE = 'https://nuell.dev/problems/';

/**
 * An error with a problem type of its own, beyond what its status code says; `extensions` are
 * members of the problem document besides the standard ones (docs/api.md lists them per type).
 */
export class TypedProblem extends HttpException {
  constructor(
    status: number,
    readonly type: string,
    detail: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(detail, status);
  }
}

const count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** A wait as a person says it: "45 seconds", "32 minutes", "1 hour and 5 minutes" (rounded up). */
function waitInWords(seconds: number): string {
  if (seconds <= 60) return count(Math.max(1, Math.ceil(seconds)), 'second');
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return count(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? count(hours, 'hour') : `${count(hours, 'hour')} and ${count(rest, 'minute')}`;
}

/** 429 with the number of seconds to wait, which the filters send as `Retry-After`. */
export class TooManyRequests extends HttpException {
  constructor(
    readonly retryAfterSeconds: number,
    detail = `Too many attempts. Try again in ${waitInWords(retryAfterSeconds)}.`,
  ) {
    super(detail, 429);
  }
}

/** A 400 listing every invalid field; thrown by the global ValidationPipe. */
export class ValidationProblem extends HttpException {
  constructor(readonly errors: readonly FieldError[]) {
    super('The request is invalid; see errors for each field.', 400);
  }
}

/** Messages Fastify uses are fine for clients, but a few deserve a plainer wording. */
const FASTIFY_DETAILS: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'This endpoint accepts application/json bodies only.',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is larger than this server accepts.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The body is empty but the content type says JSON.',
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON.',
};

function fastifyCode(exception: HttpException): string | undefined {
  const cause = exception.cause as { code?: unknown } | undefined;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

function messageOf(exception: HttpException): string | undefined {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.join('; ');
  return undefined;
}

export function problem(status: number, detail?: string, extra: Partial<ProblemDetails> = {}): ProblemDetails {
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    ...(detail === undefined ? {} : { detail }),
    ...extra,
  };
}

/** Connection failures and PostgreSQL's "cannot serve now" codes (shutdown, startup, overload, timeouts). */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '08000',
  '08001',
  '08003',
  '08006',
  '53300',
  '57014',
  '57P01',
  '57P02',
  '57P03',
]);
const UNAVAILABLE_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|connection error|not queryable/i;

/**
 * True when the database could not serve the request (down, restarting, refusing connections,
 * saturated): a 503, not a bug. PostgreSQL reports every refused connection with severity FATAL.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const e = error as { code?: unknown; severity?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
  if (e.severity === 'FATAL') return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
  return isDatabaseUnavailable(e.driverError ?? e.cause, depth + 1);
}

/** Seconds a client should wait after a 503 caused by the database. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export interface Converted {
  readonly problem: ProblemDetails;
  /** False for errors the client did not cause: logged with their stack. */
  readonly expected: boolean;
  /** Sent as `Retry-After`. */
  readonly retryAfterSeconds?: number;
}

/**
 * Turns anything thrown into a problem. `expected` is false for errors the client did not cause:
 * those are logged with their stack and answered with a generic 500 that leaks nothing. A database
 * that cannot serve right now is a 503 with `Retry-After`, never a hang or a 500.
 */
export function toProblem(exception: unknown): Converted {
  if (exception instanceof TooManyRequests) {
    return { problem: problem(429, exception.message), expected: true, retryAfterSeconds: exception.retryAfterSeconds };
  }
  if (exception instanceof ValidationProblem) {
    return { problem: problem(400, exception.message, { errors: exception.errors }), expected: true };
  }
  if (exception instanceof TypedProblem) {
    return {
      problem: problem(exception.getStatus(), exception.message, {
        ...exception.extensions,
        type: `${PROBLEM_TYPE_BASE}${exception.type}`,
      }),
      expected: true,
    };
  }
  if (exception instanceof HttpException && exception.getStatus() < 500) {
    const status = exception.getStatus();
    const code = fastifyCode(exception);
    const detail = (code && FASTIFY_DETAILS[code]) ?? messageOf(exception);
    return { problem: problem(status, detail), expected: true };
  }
  if (exception instanceof HttpException && exception.getStatus() !== 500) {
    // A deliberate 5xx (503 from the readiness probe) carries the message we wrote for it.
    return { problem: problem(exception.getStatus(), messageOf(exception)), expected: true };
  }
  if (isDatabaseUnavailable(exception)) {
    return {
      problem: problem(503, 'The service is briefly unavailable; try again in a few seconds.'),
      expected: true,
      retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
    };
  }
  return { problem: problem(500, 'An unexpected error occurred. It has been logged.'), expected: false };
}
