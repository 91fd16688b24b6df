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
import { DataSource } from 'typeorm';
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

@Injectable()
export class RateLimits {
  private readonly limiters = new Map<LimitName, RateLimiterAbstract>();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    dataSource: DataSource,
    private readonly metrics: Metrics,
  ) {
    for (const [name, { limit, ttlMs }] of Object.entries(config.rateLimits) as [
      LimitName,
      AppConfig['rateLimits'][LimitName],
    ][]) {
      const options = { keyPrefix: `${config.deploymentName}:${name}`, points: limit, duration: ttlMs / 1000 };
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
