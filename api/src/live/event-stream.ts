/**
 * The text of the live stream (Server-Sent Events, https://html.spec.whatwg.org/#server-sent-events)
 * and one client's end of it: the body Fastify sends, and where the client is in the change events'
 * sequence.
 */
import { Readable } from 'node:stream';
import type { ChangeEvent } from '../events/change-event.js';

/** How long a browser's EventSource waits before it connects again after the stream ended. */
export const RECONNECT_MS = 3_000;

/**
 * What a client may have waiting for it, unread, before it is cut off (it connects again and
 * resumes where it was): a reader that stops reading must not make the process hold its events.
 */
export const MAX_BACKLOG_BYTES = 1024 * 1024;

/**
 * Live events held for a client while it catches up from the table (a few seconds' worth at most);
 * beyond that it reads them from the table again, so thousands of streams catching up at once during
 * a burst of changes hold a bounded amount.
 */
export const MAX_HELD_EVENTS = 1_000;

/** The first line of every stream: how long to wait before reconnecting. */
export const RETRY_FRAME = `retry: ${RECONNECT_MS}\n\n`;

/** The comment line that keeps an idle stream alive through proxies (one buffer for every stream). */
export const HEARTBEAT_FRAME = Buffer.from(': heartbeat\n\n');

/** A named event with the position a client resumes from. */
function frame(seq: number, event: string, data: object): string {
  return `id: ${seq}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A change, as every client is sent it: encoded once, the same bytes for every stream. */
export function changeFrame(event: ChangeEvent): Buffer {
  const { seq, kind, postId, authorId, at } = event;
  return Buffer.from(frame(seq, kind, { seq, kind, postId, authorId, at }));
}

/** Where a new client starts: after `seq`, the latest change. */
export const readyFrame = (seq: number): string => frame(seq, 'ready', { seq });

/** The client's position is too old to replay (or unknown): reload, then follow from `seq`. */
export const resetFrame = (seq: number): string => frame(seq, 'reset', { seq });

/** One open stream. */
export class StreamClient {
  /**
   * What Fastify sends (it pipes it to the response): frames are pushed into it as they come. A
   * bare Readable rather than a PassThrough: half the state and one step less per frame, which
   * counts with thousands of streams.
   */
  readonly body = new Readable({
    read() {
      // Frames are pushed when there are some; nothing to fetch.
    },
  });
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

  private ended = false;

  get open(): boolean {
    return !this.ended && !this.body.destroyed;
  }

  /** Sends `chunk`; a client that has stopped reading is cut off instead. */
  write(chunk: string | Buffer): void {
    if (!this.open) return;
    this.body.push(chunk);
    if (this.body.readableLength > MAX_BACKLOG_BYTES) this.body.destroy();
  }

  /** Ends the stream once what it holds has been sent. */
  end(): void {
    if (!this.open) return;
    this.ended = true;
    this.body.push(null);
  }

  /** Sends `event` unless the client has it already. */
  send(event: ChangeEvent, frame = changeFrame(event)): void {
    if (event.seq <= this.position) return;
    this.write(frame);
    this.position = event.seq;
  }
}
