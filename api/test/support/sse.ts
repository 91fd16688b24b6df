/**
 * A Server-Sent Events client as small as the tests need (the stream's format, as a browser's
 * EventSource reads it): each event with its id, name and data, and the comment lines, in order,
 * as they arrive on a real socket.
 */
import http from 'node:http';

export interface SseEvent {
  readonly id: string | undefined;
  readonly event: string;
  readonly data: string;
}

/** What the stream said: an event, a comment (`: heartbeat`) or a retry field. */
export type SseItem =
  | { readonly type: 'event'; readonly value: SseEvent }
  | { readonly type: 'comment'; readonly value: string }
  | { readonly type: 'retry'; readonly value: number };

export interface EventStream {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** The body of an answer that is not a stream (a problem document). */
  readonly body: Promise<string>;
  /** Everything said so far. */
  readonly items: SseItem[];
  /** The events said so far. */
  events(): SseEvent[];
  /** The next event (or item) from the one `from` on that matches; waits for it. */
  next(match?: (event: SseEvent) => boolean): Promise<SseEvent>;
  nextItem(match: (item: SseItem) => boolean): Promise<SseItem>;
  /** Resolves when the server ends the stream (or the connection is lost). */
  readonly ended: Promise<void>;
  /** Drops the connection, as a lost network would. */
  close(): void;
}

/** Parses a stream's text, a chunk at a time (lines may be cut anywhere). */
export class SseParser {
  private rest = '';
  private id: string | undefined;
  private event = '';
  private data: string[] = [];

  constructor(private readonly emit: (item: SseItem) => void) {}

  push(chunk: string): void {
    const text = this.rest + chunk;
    const lines = text.split(/\r\n|\r|\n/);
    this.rest = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0 || this.event !== '') {
        this.emit({
          type: 'event',
          value: { id: this.id, event: this.event || 'message', data: this.data.join('\n') },
        });
      }
      this.event = '';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) {
      this.emit({ type: 'comment', value: line.slice(1).trim() });
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') this.id = value;
    else if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'retry') this.emit({ type: 'retry', value: Number(value) });
  }
}

export interface OpenOptions {
  readonly headers?: Record<string, string>;
  /** The loopback address the connection comes from (127.0.0.2, …). */
  readonly localAddress?: string;
}

/** Opens `url` as an event stream; resolves once the answer's head has arrived. */
export function openStream(url: string, options: OpenOptions = {}): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      url,
      {
        agent: false,
        headers: { accept: 'text/event-stream', ...options.headers },
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      },
      (response) => {
        const items: SseItem[] = [];
        const waiters = new Set<() => void>();
        const parser = new SseParser((item) => {
          items.push(item);
          for (const wake of waiters) wake();
        });
        let text = '';
        response.setEncoding('utf8');
        // A dropped connection ends the stream (below); it is no error of the test's.
        response.on('error', () => undefined);
        const streaming = (response.headers['content-type'] ?? '').startsWith('text/event-stream');
        response.on('data', (chunk: string) => {
          if (streaming) parser.push(chunk);
          else text += chunk;
        });
        const ended = new Promise<void>((done) => {
          response.once('close', () => {
            done();
            for (const wake of waiters) wake();
          });
        });
        let over = false;
        void ended.then(() => (over = true));
        const nextItem = (match: (item: SseItem) => boolean, from = 0): Promise<SseItem> =>
          new Promise((found, missing) => {
            let seen = from;
            const look = () => {
              for (; seen < items.length; seen++) {
                const item = items[seen]!;
                if (match(item)) {
                  waiters.delete(look);
                  found(item);
                  return;
                }
              }
              if (over) {
                waiters.delete(look);
                missing(new Error(`the stream ended before the item awaited; it said ${JSON.stringify(items)}`));
              }
            };
            waiters.add(look);
            look();
          });
        let cursor = 0;
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: ended.then(() => text),
          items,
          events: () => items.flatMap((item) => (item.type === 'event' ? [item.value] : [])),
          // Each call goes on from the event the previous one returned.
          next: async (match = () => true) => {
            const item = await nextItem((i) => i.type === 'event' && match(i.value), cursor);
            cursor = items.indexOf(item) + 1;
            return (item as { value: SseEvent }).value;
          },
          nextItem: (match) => nextItem(match),
          ended,
          close: () => {
            request.destroy();
          },
        });
      },
    );
    request.on('error', reject);
  });
}
