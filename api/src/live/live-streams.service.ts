/**
 * Owns the open live streams of this process (GET /api/v1/posts/stream): it hears every change
 * event once (ChangeEventsService) and writes it to every stream, and it brings a stream up to date
 * from the `change_events` table when it starts after a position (Last-Event-ID) or when the
 * process's listening connection was lost and came back.
 *
 * No gap, no duplicate: a stream holds the live events it hears while it reads the table, then
 * sends what the table had, then the held events it was not sent yet. Events arrive in commit
 * order, which is seq order, so "not sent yet" is "seq above the last one sent".
 *
 * Caps: STREAM_MAX_PER_IP per client address, STREAM_MAX_CONNECTIONS per process (429 with
 * Retry-After). On shutdown every stream ends at once: its client connects again, to another
 * replica, and resumes there.
 */
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
  ServiceUnavailableException,
} from '@nestjs/common';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { ChangeEvent } from '../events/change-event.js';
import { ChangeEventsService } from '../events/change-events.service.js';
import { TooManyRequests } from '../http/problem.js';
import { Metrics } from '../metrics/metrics.js';
import { ipLimitKey } from '../policy/client-address.js';
import {
  changeFrame,
  HEARTBEAT_FRAME,
  MAX_HELD_EVENTS,
  readyFrame,
  resetFrame,
  RETRY_FRAME,
  StreamClient,
} from './event-stream.js';

/**
 * The most events a resuming stream is sent from the table; further behind, it is told to reload
 * (`reset`), which is cheaper for both sides than a long replay.
 */
export const MAX_REPLAY = 1_000;

/** Retry-After of the 429s: an address at its cap waits for a tab to close; a full process for a moment. */
const RETRY_AFTER_PER_IP_SECONDS = 30;
const RETRY_AFTER_FULL_SECONDS = 5;

/** How long a stream may take to end on shutdown before its connection is cut. */
const END_GRACE_MS = 1_000;

@Injectable()
export class LiveStreamsService implements OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(LiveStreamsService.name);
  private readonly clients = new Set<StreamClient>();
  private readonly perAddress = new Map<string, number>();
  private readonly stops: (() => void)[] = [];
  private heartbeat: NodeJS.Timeout | undefined;
  private closing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: ChangeEventsService,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    this.stops.push(
      this.events.subscribe((event) => {
        this.deliver(event);
      }),
      this.events.onReset(() => {
        void this.catchUpAll();
      }),
    );
    this.heartbeat = setInterval(() => {
      this.beat();
    }, this.config.streams.heartbeatSeconds * 1000);
    this.heartbeat.unref();
    this.metrics.gauge('live_streams_open', 'Live streams (GET /api/v1/posts/stream) open now', [], () =>
      Promise.resolve([{ labels: {}, value: this.clients.size }]),
    );
  }

  onModuleDestroy(): void {
    for (const stop of this.stops.splice(0)) stop();
    clearInterval(this.heartbeat);
  }

  /** Ends every stream (their clients resume on another replica) before the server stops. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    clearInterval(this.heartbeat);
    const open = [...this.clients];
    if (open.length === 0) return;
    const ended = Promise.all(
      open.map((client) => (client.body.closed ? Promise.resolve() : once(client.body, 'close').then(() => undefined))),
    );
    for (const client of open) client.end();
    await Promise.race([ended, sleep(END_GRACE_MS)]);
    // A client that does not read what is left is cut off.
    for (const client of open) client.body.destroy();
  }

  /** How many streams are open now. */
  get size(): number {
    return this.clients.size;
  }

  /**
   * A new stream for the client at `ip`, already holding its first frames: `ready` (no position),
   * or what it missed after `resumeAfter`, or `reset`. 429 past a cap; 503 while shutting down or
   * when the table cannot be read.
   */
  async open(ip: string, resumeAfter: number | undefined): Promise<StreamClient> {
    if (this.closing) throw new ServiceUnavailableException('The server is shutting down; connect again.');
    const { maxConnections, maxPerIp } = this.config.streams;
    const address = ipLimitKey(ip);
    if (this.clients.size >= maxConnections) {
      this.metrics.rateLimitRejections.inc({ limit: 'streams' });
      throw new TooManyRequests(
        RETRY_AFTER_FULL_SECONDS,
        'This server holds as many live streams as it may; try again in a few seconds.',
      );
    }
    const held = this.perAddress.get(address) ?? 0;
    if (held >= maxPerIp) {
      this.metrics.rateLimitRejections.inc({ limit: 'streamsPerIp' });
      throw new TooManyRequests(
        RETRY_AFTER_PER_IP_SECONDS,
        `Your address has ${held} live streams open, the most it may; close one (another tab) first.`,
      );
    }
    const client = new StreamClient(address);
    this.clients.add(client);
    this.perAddress.set(address, held + 1);
    client.body.once('close', () => {
      this.remove(client);
    });
    client.write(RETRY_FRAME);
    try {
      await this.catchUp([client], resumeAfter);
    } catch (error) {
      client.body.destroy();
      throw error;
    }
    return client;
  }

  private remove(client: StreamClient): void {
    if (!this.clients.delete(client)) return;
    const left = (this.perAddress.get(client.address) ?? 1) - 1;
    if (left > 0) this.perAddress.set(client.address, left);
    else this.perAddress.delete(client.address);
  }

  /** A change as it is heard: to every stream, or held by those catching up. */
  private deliver(event: ChangeEvent): void {
    // An account that never published is nobody's news (see ChangeEvent.public).
    if (!event.public || this.clients.size === 0) return;
    const frame = changeFrame(event);
    for (const client of this.clients) {
      if (client.held) {
        client.held.push(event);
        // Catching up takes a query or two; past this many held events, hold none and read them from
        // the table once more when this catch-up is done (which says `reset` if they are too many).
        if (client.held.length > MAX_HELD_EVENTS) {
          client.held = [];
          client.catchUpAgain = true;
        }
      } else {
        client.send(event, frame);
      }
    }
  }

  private beat(): void {
    for (const client of this.clients) client.write(HEARTBEAT_FRAME);
  }

  /**
   * The listener was away and may have missed changes: every stream catches up from the table,
   * one query for all the streams that were at the same position (usually all of them).
   */
  private async catchUpAll(): Promise<void> {
    const groups = new Map<number, StreamClient[]>();
    for (const client of this.clients) {
      if (client.held) {
        client.catchUpAgain = true; // it is reading the table already: once more when it is done
        continue;
      }
      const group = groups.get(client.position);
      if (group) group.push(client);
      else groups.set(client.position, [client]);
    }
    await Promise.all(
      [...groups].map(([position, group]) =>
        this.catchUp(group, position).catch((error: unknown) => {
          // They connect again by themselves, with their position, and resume then.
          this.logger.warn({ err: error }, `could not catch ${group.length} live streams up; ending them`);
          for (const client of group) client.body.destroy();
        }),
      ),
    );
  }

  /**
   * Brings `group` (streams at one position, `from`, or new ones without) up to date: live events
   * are held meanwhile and sent after what the table had. Repeated for the streams whose listener
   * went away again while they read.
   */
  private async catchUp(group: StreamClient[], from: number | undefined): Promise<void> {
    for (const client of group) {
      client.held ??= [];
      client.catchUpAgain = false;
    }
    let pending = group;
    let after = from;
    while (pending.length > 0) {
      await this.replay(pending, after);
      const again: StreamClient[] = [];
      for (const client of pending) {
        if (client.catchUpAgain && client.open) {
          client.catchUpAgain = false;
          again.push(client);
          continue;
        }
        const held = client.held ?? [];
        client.held = undefined;
        for (const event of held) client.send(event);
      }
      pending = again;
      after = again[0]?.position;
    }
  }

  /** Sends `group` what it missed after `from` (all at that position), or where to start. */
  private async replay(group: StreamClient[], from: number | undefined): Promise<void> {
    const { oldest, latest } = await this.events.bounds();
    const start = (text: string) => {
      for (const client of group) {
        client.write(text);
        client.position = latest;
      }
    };
    if (from === undefined) {
      start(readyFrame(latest));
      return;
    }
    // Ahead of the table (another database), or behind what it keeps, or too far behind to replay.
    if (from > latest || from < oldest - 1 || latest - from > MAX_REPLAY) {
      start(resetFrame(latest));
      return;
    }
    // Whatever comes next, the group is at `from` now (also when nothing was missed), so a later
    // catch-up starts there rather than from the very beginning.
    for (const client of group) client.position = Math.max(client.position, from);
    if (latest === from) return;
    for (const event of await this.events.since(from, MAX_REPLAY)) {
      const frame = changeFrame(event);
      for (const client of group) client.send(event, frame);
    }
  }
}
