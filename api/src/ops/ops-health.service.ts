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
import { type OpsReplica, OpsSamplesRepository, type OpsWindow } from './ops-samples.repository.js';

export type { OpsReplica, OpsWindow };

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

@Injectable()
export class OpsHealthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mail: MailQueueService,
    private readonly samples: OpsSamplesRepository,
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
  windows(): Promise<{ lastHour: OpsWindow; lastDay: OpsWindow }> {
    return this.samples.windows(this.config.deploymentName);
  }

  /** Processes of this deployment with a sample within two of their intervals (and 5 s of slack). */
  replicas(): Promise<OpsReplica[]> {
    return this.samples.seen(this.config.deploymentName);
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
