/**
 * What the control panel's health page and dashboard show of how the service runs: the database
 * (up, and how long a round trip takes from here), the e-mail queue's depth and failures, sign-in
 * failures, rate-limit refusals and the error rate over the last hour and day, and the processes
 * seen lately. Sums come from `ops_samples` (ops-samples.ts): the counters /api/metrics exposes,
 * as every process of this deployment wrote them.
 */
import { performance } from 'node:perf_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { MailQueueService, type MailJobState } from '../mail/mail-queue.service.js';
import type { OpsProcessKind } from './ops-samples.js';

/** The counters' growth over a window, summed over every process of the deployment. */
export interface OpsWindow {
  readonly signInFailures: number;
  readonly rateLimitRejections: number;
  /** Attempts to hand an e-mail to SMTP that failed (each retry counts). */
  readonly mailFailures: number;
  readonly requests: number;
  /** Requests answered with a 5xx status. */
  readonly serverErrors: number;
  /** serverErrors / requests, from 0 to 1; null when no request was answered. */
  readonly errorRate: number | null;
}

/** A process that wrote a sample within two of its intervals. */
export interface OpsReplica {
  /** A new id at every start of the process. */
  readonly replica: string;
  readonly kind: OpsProcessKind;
  readonly host: string;
  readonly pid: number;
  readonly startedAt: Date;
  readonly lastSeenAt: Date;
}

export interface OpsHealth {
  readonly checkedAt: Date;
  /** OPS_SAMPLE_INTERVAL_SECONDS here: the sums lag behind by up to this. */
  readonly sampleIntervalSeconds: number;
  readonly database: { readonly up: boolean; readonly roundTripMs: number | null; readonly error: string | null };
  /** Null when the database does not answer (everything below is read from it). */
  readonly mail: Record<MailJobState, number> | null;
  readonly lastHour: OpsWindow | null;
  readonly lastDay: OpsWindow | null;
  /** Newest first: API replicas, then the panel's processes. */
  readonly replicas: readonly OpsReplica[] | null;
}

interface WindowRow {
  sign_in_failures: number;
  rate_limit_rejections: number;
  mail_failures: number;
  requests: number;
  server_errors: number;
}

const SUMS = ['sign_in_failures', 'rate_limit_rejections', 'mail_failures', 'requests', 'server_errors'] as const;

function windowOf(row: WindowRow): OpsWindow {
  return {
    signInFailures: row.sign_in_failures,
    rateLimitRejections: row.rate_limit_rejections,
    mailFailures: row.mail_failures,
    requests: row.requests,
    serverErrors: row.server_errors,
    errorRate: row.requests > 0 ? row.server_errors / row.requests : null,
  };
}

@Injectable()
export class OpsHealthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mail: MailQueueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Times one `SELECT 1` on a pooled connection; down if it fails or takes longer than 2 s. */
  async database(): Promise<OpsHealth['database']> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error('no answer within 2 s'));
      }, 2_000);
    });
    try {
      await Promise.race([this.dataSource.query('SELECT 1'), late]);
      return { up: true, roundTripMs: Math.round((performance.now() - started) * 10) / 10, error: null };
    } catch (error) {
      return { up: false, roundTripMs: null, error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  /** The counters' growth over the last hour and the last 24 hours, every process of this deployment. */
  async windows(): Promise<{ lastHour: OpsWindow; lastDay: OpsWindow }> {
    const columns = SUMS.flatMap((c) => [
      `coalesce(sum(${c}) FILTER (WHERE at > now() - interval '1 hour'), 0)::int AS hour_${c}`,
      `coalesce(sum(${c}), 0)::int AS day_${c}`,
    ]).join(', ');
    const [row] = await this.dataSource.query<Record<string, number>[]>(
      `SELECT ${columns} FROM ops_samples WHERE deployment = $1 AND at > now() - interval '1 day'`,
      [this.config.deploymentName],
    );
    const pick = (prefix: string) =>
      windowOf(Object.fromEntries(SUMS.map((c) => [c, row?.[`${prefix}_${c}`] ?? 0])) as unknown as WindowRow);
    return { lastHour: pick('hour'), lastDay: pick('day') };
  }

  /** Processes of this deployment with a sample within two of their intervals (and 5 s of slack). */
  async replicas(): Promise<OpsReplica[]> {
    const rows = await this.dataSource.query<
      { replica: string; kind: OpsProcessKind; host: string; pid: number; started_at: Date; at: Date }[]
    >(
      `SELECT * FROM (
         SELECT DISTINCT ON (replica) replica, kind, host, pid, started_at, at
           FROM ops_samples
          WHERE deployment = $1 AND at > now() - interval '7205 seconds'
            AND at > now() - make_interval(secs => 2 * interval_seconds + 5)
          ORDER BY replica, at DESC) seen
       ORDER BY kind, started_at DESC`,
      [this.config.deploymentName],
    );
    return rows.map((r) => ({
      replica: r.replica,
      kind: r.kind,
      host: r.host,
      pid: r.pid,
      startedAt: r.started_at,
      lastSeenAt: r.at,
    }));
  }

  /** How many e-mails of this deployment's queue are in each state now. */
  mailCounts(): Promise<Record<MailJobState, number>> {
    return this.mail.counts();
  }

  /** Everything the health page shows; what needs the database is null when it does not answer. */
  async health(): Promise<OpsHealth> {
    const database = await this.database();
    const base = { checkedAt: new Date(), sampleIntervalSeconds: this.config.opsSampleIntervalSeconds, database };
    if (!database.up) return { ...base, mail: null, lastHour: null, lastDay: null, replicas: null };
    const [mail, windows, replicas] = await Promise.all([this.mail.counts(), this.windows(), this.replicas()]);
    return { ...base, mail, ...windows, replicas };
  }
}
