/**
 * Owns this process's view of the change events (migration ChangeEvents1765238400000): one
 * PostgreSQL connection of its own LISTENs on `nuell_changes` and hands every event to the
 * subscribers (the read cache, the live streams) within milliseconds of its commit, on every
 * replica. The connection reconnects by itself with a growing pause; while it is down `isLive()`
 * is false (a cache must not serve then: it would not hear of changes), and when it is back the
 * `onReset` listeners run (caches drop everything, streams catch up from the table with `since`).
 * It also deletes events older than the retention, which bounds how far back a stream can resume.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { queryRows } from '../database/sql.js';
import { CHANGE_CHANNEL, type ChangeEvent, type ChangeKind, parseChangeEvent } from './change-event.js';

/** How long events are kept: a stream can resume after a gap up to this long. */
export const CHANGE_EVENTS_RETENTION_HOURS = 24;
const PRUNE_EVERY_MS = 10 * 60_000;
const RECONNECT_FIRST_MS = 250;
const RECONNECT_MAX_MS = 5_000;
const PING_EVERY_MS = 15_000;
const PING_TIMEOUT_MS = 5_000;

interface EventRow {
  seq: string;
  kind: ChangeKind;
  post_id: string | null;
  author_id: string | null;
  at: string;
}

@Injectable()
export class ChangeEventsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ChangeEventsService.name);
  private readonly listeners = new Set<(event: ChangeEvent) => void>();
  private readonly resetListeners = new Set<() => void>();
  private client: pg.Client | undefined;
  private live = false;
  private stopped = false;
  private reconnectDelay = RECONNECT_FIRST_MS;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private everConnected = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The first LISTEN is awaited so the process is live before it serves; a database that is not
    // there yet is retried in the background like any later loss.
    await this.connect();
    this.pruneTimer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
    this.pingTimer = setInterval(() => void this.ping(), PING_EVERY_MS);
    this.pingTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.live = false;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.pruneTimer);
    clearInterval(this.pingTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** Calls `listener` with every event, in commit order; the returned function unsubscribes. */
  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` each time events may have been missed (the connection was lost and is back). */
  onReset(listener: () => void): () => void {
    this.resetListeners.add(listener);
    return () => this.resetListeners.delete(listener);
  }

  /** True while this process hears every change as it commits. */
  isLive(): boolean {
    return this.live;
  }

  /** The public events after `seq`, oldest first, at most `limit` of them. */
  async since(seq: number, limit: number): Promise<ChangeEvent[]> {
    const rows = await queryRows<EventRow>(
      this.dataSource,
      `SELECT seq, kind, post_id, author_id,
              to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
         FROM change_events WHERE seq > $1 AND public ORDER BY seq LIMIT $2`,
      [seq, limit],
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      kind: r.kind,
      postId: r.post_id,
      authorId: r.author_id,
      at: r.at,
      public: true,
    }));
  }

  /** The oldest event still kept and the latest one (0 when there is none). */
  async bounds(): Promise<{ oldest: number; latest: number }> {
    const [row] = await queryRows<{ oldest: string | null; latest: string | null }>(
      this.dataSource,
      `SELECT min(seq) AS oldest, max(seq) AS latest FROM change_events WHERE seq IS NOT NULL`,
      [],
    );
    return { oldest: Number(row?.oldest ?? 0), latest: Number(row?.latest ?? 0) };
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.config.database.url,
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      application_name: 'nuell change events',
    });
    this.client = client;
    client.on('notification', (message) => {
      // Until the LISTEN is confirmed and the reset listeners have run, an event may overtake ones
      // that were missed: dropped, the catch-up from the table brings it in order.
      if (message.channel !== CHANGE_CHANNEL || !this.live || this.client !== client) return;
      const event = parseChangeEvent(message.payload);
      if (event) this.deliver(event);
    });
    // A lost connection (database restart, network) is an 'error' and then 'end'; either way try again.
    client.on('error', (error) => {
      this.lost(client, error);
    });
    client.on('end', () => {
      this.lost(client);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.client !== client) return;
    this.reconnectDelay = RECONNECT_FIRST_MS;
    this.live = true;
    // Also on the first connection: a stream or a cache entry may have been made while the
    // database was not there yet at start.
    if (this.everConnected) this.logger.log('listening for changes again; caches start over and streams catch up');
    for (const listener of this.resetListeners) this.safely(listener);
    this.everConnected = true;
  }

  /**
   * A connection that died without a word (a network partition, a failover without a reset) would
   * leave `isLive()` true and the process deaf: a query with a deadline every PING_EVERY_MS finds out.
   */
  private async ping(): Promise<void> {
    const client = this.client;
    if (!client || !this.live) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.query('SELECT 1'),
        new Promise((_, reject) => {
          timer = setTimeout(() => {
            reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`));
          }, PING_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      this.lost(client, error);
    } finally {
      clearTimeout(timer);
    }
  }

  private lost(client: pg.Client, error?: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.live = false;
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    this.logger.warn(
      { err: error },
      `not listening for changes; caches are bypassed until it is back (trying again in ${this.reconnectDelay} ms)`,
    );
    this.reconnectTimer = setTimeout(() => void this.connect(), this.reconnectDelay);
    this.reconnectTimer.unref();
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
  }

  private deliver(event: ChangeEvent): void {
    for (const listener of this.listeners)
      this.safely(() => {
        listener(event);
      });
  }

  private safely(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.logger.error({ err: error }, 'a change-event listener failed');
    }
  }

  private async prune(): Promise<void> {
    try {
      // created_at is the commit time, so it follows seq; the latest event always stays, so a
      // quiet day does not send every resuming stream a reset.
      await this.dataSource.query(
        `DELETE FROM change_events
          WHERE created_at < now() - make_interval(hours => $1)
            AND seq < (SELECT max(seq) FROM change_events)`,
        [CHANGE_EVENTS_RETENTION_HOURS],
      );
    } catch (error) {
      this.logger.warn({ err: error }, 'could not delete old change events; trying again later');
    }
  }
}
