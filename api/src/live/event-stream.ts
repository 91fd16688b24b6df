/**
 * The text of the live stream (Server-Sent Events, https://html.spec.whatwg.org/#server-sent-events)
 * and one client's end of it: the body Fastify sends, and where the client is in the change events'
 * sequence.
 */
import { PassThrough } from 'node:stream';
import type { ChangeEvent } from '../events/change-event.js';

/** How long a browser's EventSource waits before it connects again after the stream ended. */
export const RECONNECT_MS = 3_000;

/**
 * What a client may have waiting for it, unread, before it is cut off (it connects again and
 * resumes where it was): a reader that stops reading must not make the process hold its events.
 */
export const MAX_BACKLOG_BYTES = 1024 * 1024;

/** Live events held for a client while it catches up from the table (a few seconds' worth at most). */
export const MAX_HELD_EVENTS = 10_000;

/** The first line of every stream: how long to wait before reconnecting. */
export const RETRY_FRAME = `retry: ${RECONNECT_MS}\n\n`;

/** The comment line that keeps an idle stream alive through proxies. */
export const HEARTBEAT_FRAME = ': heartbeat\n\n';

/** A named event with the position a client resumes from. */
function frame(seq: number, event: string, data: object): string {
  return `id: ${seq}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A change, as every client is sent it. */
export function changeFrame(event: ChangeEvent): string {
  const { seq, kind, postId, authorId, at } = event;
  return frame(seq, kind, { seq, kind, postId, authorId, at });
}

/** Where a new client starts: after `seq`, the latest change. */
export const readyFrame = (seq: number): string => frame(seq, 'ready', { seq });

/** The client's position is too old to replay (or unknown): reload, then follow from `seq`. */
export const resetFrame = (seq: number): string => frame(seq, 'reset', { seq });

/** One open stream. */
export class StreamClient {
  /** What Fastify sends: the service writes frames into it. */
  readonly body = new PassThrough();
  /** The seq of the last change the client was sent, or told to start after. */
  position = 0;
  /** Live events heard while the client catches up from the table: sent once it has. */
  held: ChangeEvent[] | undefined;
  /** The listener lost events while the client was catching up: it must catch up once more. */
  catchUpAgain = false;

  constructor(
    /** The client address as the per-IP cap counts it (an IPv6 client: its /64). */
    readonly address: string,
  ) {}

  get open(): boolean {
    return !this.body.destroyed && !this.body.writableEnded;
  }

  /** Sends `text`; a client that has stopped reading is cut off instead. */
  write(text: string): void {
    if (!this.open) return;
    this.body.write(text);
    if (this.body.writableLength > MAX_BACKLOG_BYTES) this.body.destroy();
  }

  /** Sends `event` unless the client has it already. */
  send(event: ChangeEvent, text = changeFrame(event)): void {
    if (event.seq <= this.position) return;
    this.write(text);
    this.position = event.seq;
  }
}
