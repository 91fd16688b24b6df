import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { type Job, type JobResult, PgBoss } from 'pg-boss';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Metrics } from '../metrics/metrics.js';
import type { Email } from './templates.js';

/** What a queued e-mail holds: sealed, because links in it carry live tokens. */
export interface SealedEmail {
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

/** What the seal holds: the recipient and the e-mail. */
export interface Message extends Email {
  readonly to: string;
}

/** Retries with exponential back-off (2 s, 4 s, 8 s … capped at 30 min): about 35 minutes in all. */
export const MAIL_QUEUE_OPTIONS = {
  retryLimit: 10,
  retryDelay: 2,
  retryBackoff: true,
  retryDelayMax: 1_800,
  // A sending worker proves it is alive every 5 s; a replica that dies mid-send stops, and the
  // queue's monitor (every 10 s) hands its e-mail to another within about 20 s.
  heartbeatSeconds: 10,
  // However alive, one attempt may not take longer than this (the SMTP timeouts end it sooner).
  expireInSeconds: 60,
  // Sent and failed e-mails stay a week for an operator to look at (still sealed).
  deleteAfterSeconds: 7 * 86_400,
  notify: true,
} as const;

/**
 * Outgoing e-mail as jobs in PostgreSQL (pg-boss): `send` enqueues in the caller's transaction,
 * so an e-mail exists exactly when the change that causes it commits, and nothing is lost when a
 * process stops or crashes. Every API process works the queue: whichever replica is alive sends,
 * retrying with back-off; what still fails is kept (and logged without its body) for an operator.
 * The body is sealed with AES-256-GCM under a key derived from JWT_SECRET: reset and verification
 * links are bearer tokens, and the database (or a backup of it) must not hand them out.
 */
@Injectable()
export class MailService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MailService.name);
  /** The queue itself; MailQueueService reads and acts on its jobs for operators. */
  readonly boss: PgBoss;
  /** This deployment's queue name (`<DEPLOYMENT_NAME>.email`). */
  readonly queue: string;
  private readonly key: Buffer;
  private transport?: Transporter;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    this.queue = `${config.deploymentName}.email`;
    this.key = createHmac('sha256', config.jwt.secret).update('nuell mail queue v1').digest();
    this.boss = new PgBoss({
      connectionString: config.database.url,
      max: 2,
      application_name: 'nuell-mail',
      schedule: false,
      // Workers hear of a new e-mail at once instead of at their next poll.
      useListenNotify: true,
      // How often missed heartbeats and expired attempts are looked for (pg-boss's default: 60 s).
      superviseIntervalSeconds: 10,
      monitorIntervalSeconds: 10,
    });
    // A database outage surfaces here; the queue recovers by itself when the database is back.
    this.boss.on('error', (error) => {
      this.logger.warn({ err: error }, 'e-mail queue: database error');
    });
    metrics.gauge('mail_queue_jobs', 'E-mails in the queue of this deployment, by state', ['state'], async () => {
      const { rows } = await this.boss
        .getDb()
        .executeSql(`SELECT state::text AS state, count(*)::int AS n FROM pgboss.job WHERE name = $1 GROUP BY state`, [
          this.queue,
        ]);
      return (rows as { state: string; n: number }[]).map((r) => ({ labels: { state: r.state }, value: r.n }));
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.boss.start();
    await this.boss.createQueue(this.queue, MAIL_QUEUE_OPTIONS);
    // createQueue leaves an existing queue as it was: bring its policy up to date.
    await this.boss.updateQueue(this.queue, MAIL_QUEUE_OPTIONS);
    // Give up on an unresponsive server well before the job's 60 s lease runs out.
    this.transport = nodemailer.createTransport({
      url: this.config.mail.smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    await this.boss.work<
      SealedEmail,
      unknown,
      { batchSize: number; perJobResults: true; notifyPollingIntervalSeconds: number }
    >(
      this.queue,
      // NOTIFY wakes workers for new e-mails; retries come due silently, so poll for those too.
      { batchSize: 10, perJobResults: true, notifyPollingIntervalSeconds: 2 },
      (jobs) => Promise.all(jobs.map((job) => this.deliver(job))),
    );
  }

  /**
   * A link into the web app that carries an e-mailed token. Built from PUBLIC_URL, never from the
   * request, so a forged Host header cannot point a reset link elsewhere. The token rides in the
   * fragment, which browsers never send: it stays out of access logs and Referer headers.
   */
  link(path: '/verify-email' | '/reset-password', token: string): string {
    return `${this.config.publicUrl}${path}#token=${encodeURIComponent(token)}`;
  }

  /** Queues an e-mail; with `manager`, inside that transaction (sent only if it commits). */
  async send(to: string, email: Email, manager?: EntityManager): Promise<void> {
    const db = manager && {
      executeSql: async (text: string, values?: unknown[]) => ({
        rows: await manager.query<unknown[]>(text, values),
      }),
    };
    await this.boss.send(this.queue, this.seal({ to, ...email }), db ? { db } : {});
  }

  /** Sends one queued e-mail; a failure is retried later by whichever process is alive. */
  private async deliver(job: Job<SealedEmail>): Promise<JobResult> {
    let subject: string | undefined;
    try {
      const { to, subject: title, text, html } = this.open(job.data);
      subject = title;
      await this.transport?.sendMail({ from: this.config.mail.from, to, subject, text, html });
      return { id: job.id, status: 'completed' };
    } catch (error) {
      this.metrics.mailFailures.inc();
      const final = job.retryCount >= MAIL_QUEUE_OPTIONS.retryLimit;
      this.logger[final ? 'error' : 'warn'](
        { err: error, subject, attempt: job.retryCount + 1 },
        final ? 'e-mail not sent after all retries; kept as failed' : 'e-mail not sent; will retry',
      );
      return { id: job.id, status: 'failed', output: { error: String(error) } };
    }
  }

  private seal(message: Message): SealedEmail {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(message), 'utf8'), cipher.final()]);
    return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
  }

  /** Opens a queued e-mail's seal; only MailQueueService calls it, to show where and what kind. */
  open(sealed: SealedEmail): Message {
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as Message;
  }

  async onApplicationShutdown(): Promise<void> {
    // Lets a send in progress finish; what is still queued waits in the database for the next process.
    await this.boss.stop({ graceful: true, timeout: 10_000 });
    this.transport?.close();
  }
}
