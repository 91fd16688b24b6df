/**
 * The counters behind every rate limit, in PostgreSQL (the `rate_limits` table), so that all API
 * replicas and the control panel share one count: an attacker gets no more attempts by spreading
 * them over processes. One limiter per named limit (rate-limiter-flexible); a consume is one
 * upsert, one round trip. RATE_LIMIT_STORE=memory keeps counters in the process instead, for a
 * single process that has no database to spare (never several replicas).
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { TooManyRequests } from '../http/problem.js';
import { Metrics } from '../metrics/metrics.js';

export type LimitName = keyof AppConfig['rateLimits'];

/** The seconds to wait that a refusal carries, at least 1. */
export function retryAfterSeconds(refusal: unknown): number {
  const ms = refusal instanceof RateLimiterRes ? refusal.msBeforeNext : 1000;
  return Math.max(1, Math.ceil(ms / 1000));
}

/** When the window that counted a consume (its answer or its refusal) ends: read it at once. */
export function windowEndOf(counted: RateLimiterRes): number {
  return Date.now() + counted.msBeforeNext;
}

@Injectable()
export class RateLimits {
  private readonly limiters = new Map<LimitName, RateLimiterAbstract>();
  private readonly windowMs = new Map<LimitName, number>();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly metrics: Metrics,
  ) {
    for (const [name, { limit, ttlMs }] of Object.entries(config.rateLimits) as [
      LimitName,
      AppConfig['rateLimits'][LimitName],
    ][]) {
      const options = { keyPrefix: `${config.deploymentName}:${name}`, points: limit, duration: ttlMs / 1000 };
      this.windowMs.set(name, ttlMs);
      this.limiters.set(
        name,
        config.rateLimitStore === 'memory'
          ? new RateLimiterMemory(options)
          : new RateLimiterPostgres({
              ...options,
              storeClient: dataSource,
              storeType: 'typeorm',
              tableName: 'rate_limits',
              tableCreated: true, // by a migration
            }),
      );
    }
  }

  limiter(name: LimitName): RateLimiterAbstract {
    const limiter = this.limiters.get(name);
    if (!limiter) throw new Error(`no rate limit named ${name}`);
    return limiter;
  }

  /** Records a 429 for the metrics. */
  rejected(name: LimitName): void {
    this.metrics.rateLimitRejections.inc({ limit: name });
  }

  /**
   * Takes back one unit counted against `name` for `key` in the window ending at `windowEndsAt`
   * (see windowEndOf): from that window only, while it lasts, never below zero. rate-limiter-flexible's
   * own `reward` is an upsert, so one that lands after the window ended opens the next window below
   * zero, and one that lands in the next window takes a unit that window counted: a burst of
   * refused attempts timed at the boundary would earn as many extra tries. Consecutive windows of
   * a key end at least one window length apart, so the window is the one whose end lies within half
   * a window of the end the consume reported.
   */
  async giveBack(name: LimitName, key: string, windowEndsAt: number): Promise<void> {
    const limiter = this.limiter(name);
    const slack = Math.floor((this.windowMs.get(name) ?? 0) / 2);
    if (limiter instanceof RateLimiterPostgres) {
      await this.dataSource.query(
        `UPDATE rate_limits SET points = points - 1
          WHERE key = $1 AND points > 0 AND expire > $2 AND abs(expire - $3) < $4`,
        [limiter.getKey(key), Date.now(), windowEndsAt, slack],
      );
      return;
    }
    // In memory the read and the write below run with no timer in between (only microtasks), so
    // the window cannot end between them.
    const current = await limiter.get(key);
    if (
      current &&
      current.consumedPoints > 0 &&
      current.msBeforeNext > 0 &&
      Math.abs(Date.now() + current.msBeforeNext - windowEndsAt) < slack
    ) {
      await limiter.reward(key);
    }
  }

  /**
   * Forgets everything counted against `name` for `key`. In PostgreSQL the delete runs in
   * `manager`'s transaction, so it holds only if the change that justifies it commits; the memory
   * store has no transaction and forgets at once.
   */
  async clear(name: LimitName, key: string, manager: EntityManager): Promise<void> {
    const limiter = this.limiter(name);
    if (limiter instanceof RateLimiterPostgres) {
      await manager.query(`DELETE FROM rate_limits WHERE key = $1`, [limiter.getKey(key)]);
      return;
    }
    await limiter.delete(key);
  }

  /** Counts one request against `name` for `key`; throws TooManyRequests when the limit is spent. */
  async consume(name: LimitName, key: string): Promise<void> {
    try {
      await this.limiter(name).consume(key);
    } catch (refusal) {
      if (refusal instanceof Error) throw refusal; // the store failed: not the client's doing
      this.rejected(name);
      throw new TooManyRequests(retryAfterSeconds(refusal));
    }
  }
}
