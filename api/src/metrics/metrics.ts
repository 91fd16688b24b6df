/**
 * The process's Prometheus metrics (prom-client): one registry per application, so that several
 * apps in one process (the tests) keep their counts apart. Owners of a figure record it here:
 * HTTP requests (app.ts), sign-in failures and rate-limit refusals (auth, policy), e-mail
 * (mail), the read cache's lookups (read-cache); the database pool and the process (event-loop
 * delay, memory, GC) are collected at scrape.
 * `totals()` reads the same counters for the operations samples (api/src/ops/), so the control
 * panel's health page and Prometheus count from one source.
 */
import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';

/** The counters the operations samples carry, as running totals since this process started. */
export interface MetricTotals {
  /** Failed password sign-ins (the API's and the panel's), every reason. */
  readonly signInFailures: number;
  /** Requests refused with 429, every limit. */
  readonly rateLimitRejections: number;
  /** Attempts to hand an e-mail to SMTP that failed (each retry counts). */
  readonly mailFailures: number;
  /** Requests answered. */
  readonly requests: number;
  /** Requests answered with a 5xx status: the errors of the error rate. */
  readonly serverErrors: number;
}

const sum = (values: readonly { value: number }[]) => values.reduce((total, v) => total + v.value, 0);

interface PgPool {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  readonly options: { readonly max?: number };
}

@Injectable()
export class Metrics {
  readonly registry = new Registry();

  /** Its `_count` series is the number of requests answered, by route and status. */
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request to answer, by method, route pattern and status (_count: requests answered)',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  /** The histogram's series per method, route and status, so an answer costs a Map look-up. */
  private readonly requestSeries = new Map<string, { observe(value: number): void }>();

  /** Records one answered request. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let series = this.requestSeries.get(key);
    if (!series) {
      series = this.httpDuration.labels({ method, route, status });
      this.requestSeries.set(key, series);
    }
    series.observe(seconds);
  }

  readonly signInFailures = new Counter({
    name: 'auth_sign_in_failures_total',
    help: 'Failed password sign-ins, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly rateLimitRejections = new Counter({
    name: 'rate_limit_rejections_total',
    help: 'Requests refused with 429, by limit',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  /** Reads of the cached routes (read-cache/): answered from memory, read and kept, or not the cache's. */
  readonly readCacheLookups = new Counter({
    name: 'read_cache_lookups_total',
    help:
      'Reads of the cached routes, by route and result (hit: answered from memory; miss: read, then kept; ' +
      'bypass: signed in, not listening for changes, or not a kept shape)',
    labelNames: ['route', 'result'] as const,
    registers: [this.registry],
  });

  readonly mailFailures = new Counter({
    name: 'mail_send_failures_total',
    help: 'E-mails this process failed to hand to SMTP (each is retried until its retries run out)',
    registers: [this.registry],
  });

  constructor(dataSource: DataSource) {
    collectDefaultMetrics({ register: this.registry });
    const pool = () => (dataSource.driver as unknown as { master?: PgPool }).master;
    const poolGauge = (name: string, help: string, read: (p: PgPool) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const p = pool();
          if (p) this.set(read(p));
        },
      });
    poolGauge('db_pool_connections', 'Connections the pool holds', (p) => p.totalCount);
    poolGauge('db_pool_connections_idle', 'Connections idle in the pool', (p) => p.idleCount);
    poolGauge('db_pool_waiting_clients', 'Queries waiting for a connection', (p) => p.waitingCount);
    poolGauge('db_pool_max_connections', 'The most connections the pool may open', (p) => p.options.max ?? 10);
  }

  /**
   * The running totals of the counters above, read from the registry's own series (what a scrape
   * shows): requests and 5xx answers are the request histogram's `_count` series, by status.
   */
  async totals(): Promise<MetricTotals> {
    const [signIns, limits, mail, durations] = await Promise.all([
      this.signInFailures.get(),
      this.rateLimitRejections.get(),
      this.mailFailures.get(),
      this.httpDuration.get(),
    ]);
    const answered = durations.values.filter((v) => v.metricName === 'http_request_duration_seconds_count');
    return {
      signInFailures: sum(signIns.values),
      rateLimitRejections: sum(limits.values),
      mailFailures: sum(mail.values),
      requests: sum(answered),
      serverErrors: sum(answered.filter((v) => Number(v.labels.status) >= 500)),
    };
  }

  /** A gauge read at each scrape, for figures their owner knows best (the e-mail queue's depth). */
  gauge<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    read: () => Promise<{ labels: Record<L, string>; value: number }[]>,
  ): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { labels, value } of await read()) this.set(labels, value);
      },
    });
  }
}
