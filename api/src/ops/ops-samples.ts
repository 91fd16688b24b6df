/**
 * Operations samples: every OPS_SAMPLE_INTERVAL_SECONDS each process of a deployment (every API
 * replica, and the control panel, which signs operators in and works the e-mail queue too) writes
 * one `ops_samples` row with how much its metrics counters grew since its previous row. The
 * counters are the ones /api/metrics exposes (Metrics.totals), so Prometheus and the panel count
 * from one source; the rows let the panel sum an hour or a day across every process, which no
 * single process knows, and say which replicas are alive (a row within two of their intervals).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Metrics, type MetricTotals } from '../metrics/metrics.js';
import { type OpsProcessKind, OpsSamplesRepository } from './ops-samples.repository.js';

export type { OpsProcessKind };
export const OPS_PROCESS_KIND = Symbol('OPS_PROCESS_KIND');

/** Samples older than this are removed (by whichever process writes, at most once an hour). */
export const OPS_SAMPLE_RETENTION_DAYS = 8;
const PRUNE_EVERY_MS = 3_600_000;
/** The longest a last sample may hold up a shutdown when the database does not answer. */
const LAST_SAMPLE_MS = 2_000;

const ZERO: MetricTotals = { signInFailures: 0, rateLimitRejections: 0, mailFailures: 0, requests: 0, serverErrors: 0 };

@Injectable()
export class OpsSampler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OpsSampler.name);
  /** This process: a new id at every start, so a restarted replica is a new one. */
  readonly replica = randomUUID();
  private readonly startedAt = new Date();
  /** The totals the last written row accounts for; what grew since goes into the next row. */
  private written: MetricTotals = ZERO;
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | undefined;
  private lastWriteAt = Date.now();
  private prunedAt = 0;

  constructor(
    private readonly metrics: Metrics,
    private readonly samples: OpsSamplesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(OPS_PROCESS_KIND) private readonly kind: OpsProcessKind,
  ) {}

  onApplicationBootstrap(): void {
    // A first row at once, so the replica is seen as soon as it serves; never delays the start.
    void this.sample();
    this.timer = setInterval(() => void this.sample(), this.config.opsSampleIntervalSeconds * 1000);
    this.timer.unref();
  }

  /**
   * Writes one row with the counters' growth since the last row, and now and then removes old
   * rows. A failed write loses nothing: the growth goes into the next row. Never throws.
   */
  sample(): Promise<void> {
    // One write at a time; a call while one runs waits for it and writes after it.
    const previous = this.running ?? Promise.resolve();
    const next = previous.then(() => this.write());
    this.running = next;
    void next.finally(() => {
      if (this.running === next) this.running = undefined;
    });
    return next;
  }

  private async write(): Promise<void> {
    try {
      const now = await this.metrics.totals();
      const delta = (key: keyof MetricTotals) => Math.max(0, now[key] - this.written[key]);
      await this.samples.append({
        deployment: this.config.deploymentName,
        replica: this.replica,
        kind: this.kind,
        host: hostname().slice(0, 255),
        pid: process.pid,
        startedAt: this.startedAt,
        intervalSeconds: this.config.opsSampleIntervalSeconds,
        growth: {
          signInFailures: delta('signInFailures'),
          rateLimitRejections: delta('rateLimitRejections'),
          mailFailures: delta('mailFailures'),
          requests: delta('requests'),
          serverErrors: delta('serverErrors'),
        },
      });
      this.written = now;
      this.lastWriteAt = Date.now();
      if (Date.now() - this.prunedAt >= PRUNE_EVERY_MS) await this.prune();
    } catch (error) {
      this.logger.warn(
        { err: error, unwrittenSinceMs: Date.now() - this.lastWriteAt },
        'operations sample not written; its counts go into the next one',
      );
    }
  }

  /** Removes the samples older than OPS_SAMPLE_RETENTION_DAYS, every deployment's; how many. */
  async prune(): Promise<number> {
    this.prunedAt = Date.now();
    return this.samples.removeOlderThan(OPS_SAMPLE_RETENTION_DAYS);
  }

  /** Stops sampling and writes what grew since the last row (waiting at most 2 s for the database). */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([this.sample(), new Promise((resolve) => (timeout = setTimeout(resolve, LAST_SAMPLE_MS)))]);
    clearTimeout(timeout);
  }
}
