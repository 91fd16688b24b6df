/**
 * The statements of `ops_samples` (see ops-samples.ts): a process appends its counters' growth,
 * old rows are removed in bulk, and the panel reads sums over a window and the processes seen.
 * Not an entity: rows are appended and summed, never edited one by one.
 */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MetricTotals } from '../metrics/metrics.js';

/** Which kind of process wrote a sample. */
export type OpsProcessKind = 'api' | 'panel';

/** One process's row: who wrote it and how much each counter grew since its previous row. */
export interface OpsSampleRow {
  readonly deployment: string;
  readonly replica: string;
  readonly kind: OpsProcessKind;
  readonly host: string;
  readonly pid: number;
  readonly startedAt: Date;
  /** The writer's OPS_SAMPLE_INTERVAL_SECONDS: it is alive while rows come this often. */
  readonly intervalSeconds: number;
  readonly growth: MetricTotals;
}

/** The counters' growth over a window, summed over every process of the deployment. */
export interface OpsWindow extends MetricTotals {
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

const SUMS = {
  signInFailures: 'sign_in_failures',
  rateLimitRejections: 'rate_limit_rejections',
  mailFailures: 'mail_failures',
  requests: 'requests',
  serverErrors: 'server_errors',
} as const satisfies Record<keyof MetricTotals, string>;
const FIELDS = Object.keys(SUMS) as (keyof MetricTotals)[];

@Injectable()
export class OpsSamplesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async append(row: OpsSampleRow): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO ops_samples (deployment, replica, kind, host, pid, started_at, interval_seconds,
         ${FIELDS.map((f) => SUMS[f]).join(', ')})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        row.deployment,
        row.replica,
        row.kind,
        row.host,
        row.pid,
        row.startedAt,
        row.intervalSeconds,
        ...FIELDS.map((f) => row.growth[f]),
      ],
    );
  }

  /** Removes the rows older than `days`, every deployment's; how many. */
  async removeOlderThan(days: number): Promise<number> {
    const [, removed] = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM ops_samples WHERE at < now() - make_interval(days => $1)`,
      [days],
    );
    return removed;
  }

  /** The growth over the last hour and the last 24 hours, every process of `deployment`. */
  async windows(deployment: string): Promise<{ lastHour: OpsWindow; lastDay: OpsWindow }> {
    const columns = FIELDS.flatMap((f) => [
      `coalesce(sum(${SUMS[f]}) FILTER (WHERE at > now() - interval '1 hour'), 0)::int AS "hour.${f}"`,
      `coalesce(sum(${SUMS[f]}), 0)::int AS "day.${f}"`,
    ]).join(', ');
    const [row] = await this.dataSource.query<Record<string, number>[]>(
      `SELECT ${columns} FROM ops_samples WHERE deployment = $1 AND at > now() - interval '1 day'`,
      [deployment],
    );
    const pick = (prefix: 'hour' | 'day'): OpsWindow => {
      const totals = Object.fromEntries(
        FIELDS.map((f) => [f, row?.[`${prefix}.${f}`] ?? 0]),
      ) as unknown as MetricTotals;
      return { ...totals, errorRate: totals.requests > 0 ? totals.serverErrors / totals.requests : null };
    };
    return { lastHour: pick('hour'), lastDay: pick('day') };
  }

  /**
   * The processes of `deployment` with a row within two of their intervals and 5 s of slack (an
   * interval is at most an hour), API replicas first, newest first.
   */
  async seen(deployment: string): Promise<OpsReplica[]> {
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
      [deployment],
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
}
