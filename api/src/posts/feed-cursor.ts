/**
 * A list's keyset cursor: the last item's order key, a time (its publication in the feed, its
 * last change in an author's own list; to the microsecond, as PostgreSQL stores it), and id,
 * base64url-encoded. Opaque to clients; anything that does not decode to that shape is refused
 * with 400.
 */
import { ValidationProblem } from '../http/problem.js';
import { isUuid } from '../http/uuid-param.js';

export interface FeedPosition {
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ`, UTC. */
  readonly at: string;
  readonly id: string;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function encodeCursor(position: FeedPosition): string {
  return Buffer.from(`${position.at}|${position.id}`).toString('base64url');
}

/** A real instant, not just the right shape (month 13 would otherwise reach PostgreSQL). */
function isInstant(timestamp: string): boolean {
  const millis = `${timestamp.slice(0, 23)}Z`;
  const date = new Date(millis);
  return !Number.isNaN(date.getTime()) && date.toISOString() === millis;
}

export function decodeCursor(cursor: string): FeedPosition {
  const [at, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (extra !== undefined || !at || !id || !TIMESTAMP.test(at) || !isInstant(at) || !isUuid(id)) {
    throw new ValidationProblem([
      { field: 'cursor', pointer: '/cursor', detail: 'cursor is malformed; use nextCursor as given' },
    ]);
  }
  return { at, id };
}
