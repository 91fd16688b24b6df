import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { AuditRepository } from '../audit/audit.repository.js';
import { type Message, MailService, type SealedEmail } from './mail.service.js';

/** How an operator names a job's state (pg-boss: created, active, retry, failed). */
export const MAIL_JOB_STATES = ['queued', 'sending', 'retrying', 'failed'] as const;
export type MailJobState = (typeof MAIL_JOB_STATES)[number];

const BOSS_STATE: Record<MailJobState, string> = {
  queued: 'created',
  sending: 'active',
  retrying: 'retry',
  failed: 'failed',
};
const OPERATOR_STATE: Record<string, MailJobState> = Object.fromEntries(
  Object.entries(BOSS_STATE).map(([ours, boss]) => [boss, ours as MailJobState]),
);

/**
 * One e-mail in the queue as an operator sees it: where it goes, which kind, how it fares. The
 * body never leaves the seal (its links carry live tokens): only the recipient and the kind are
 * read out of it.
 */
export interface MailJob {
  readonly id: string;
  readonly state: MailJobState;
  readonly to: string;
  /** The template (`passwordReset`, …); for an e-mail that cannot be opened, `unreadable`. */
  readonly kind: string;
  /** Attempts made so far. */
  readonly attempts: number;
  /** Attempts it gets in all before it is kept as failed. */
  readonly maxAttempts: number;
  /** The last attempt's error in words (the SMTP server's answer), or null. */
  readonly lastError: string | null;
  readonly createdAt: Date;
  /** When it is tried next (queued, retrying), or null (sending, failed). */
  readonly nextAttemptAt: Date | null;
  /** When it was given up on (failed), or null. */
  readonly failedAt: Date | null;
}

export interface MailJobPage {
  readonly jobs: MailJob[];
  readonly total: number;
}

interface JobRow {
  id: string;
  state: string;
  data: SealedEmail;
  retry_count: number;
  retry_limit: number;
  started_on: Date | null;
  output: Record<string, unknown> | null;
  created_on: Date;
  start_after: Date;
  completed_on: Date | null;
}

const COLUMNS =
  'id, state::text AS state, data, retry_count, retry_limit, started_on, output, created_on, start_after, completed_on';
const PENDING = ['created', 'active', 'retry', 'failed'];

/** The words of a failed attempt's output: our sender's `{ error }`, or pg-boss's own (a timeout). */
function errorOf(output: Record<string, unknown> | null): string | null {
  if (!output) return null;
  if (typeof output.error === 'string') return output.error;
  if (typeof output.message === 'string') return output.message;
  const value = output.value as Record<string, unknown> | undefined;
  if (value && typeof value.message === 'string') return value.message;
  return Object.keys(output).length > 0 ? JSON.stringify(output) : null;
}

/**
 * The operator's view of the e-mail queue (the control panel's "Mail queue"): e-mails waiting,
 * being sent, waiting for a retry, or kept as failed, newest first; retry a failed one, discard
 * one that should not go out. Retry and discard are audited with the operator as the actor.
 */
@Injectable()
export class MailQueueService {
  constructor(
    private readonly mail: MailService,
    private readonly audit: AuditRepository,
  ) {}

  async list(options: { state?: MailJobState; limit?: number; offset?: number } = {}): Promise<MailJobPage> {
    const states = options.state ? [BOSS_STATE[options.state]] : PENDING;
    const limit = Math.min(Math.max(options.limit ?? 20, 1), 500);
    const offset = Math.max(options.offset ?? 0, 0);
    const db = this.mail.boss.getDb();
    const [{ rows }, counted] = await Promise.all([
      db.executeSql(
        `SELECT ${COLUMNS} FROM pgboss.job WHERE name = $1 AND state::text = ANY($2)
          ORDER BY created_on DESC, id DESC LIMIT $3 OFFSET $4`,
        [this.mail.queue, states, limit, offset],
      ),
      db.executeSql(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state::text = ANY($2)`, [
        this.mail.queue,
        states,
      ]),
    ]);
    return {
      jobs: (rows as JobRow[]).map((row) => this.describe(row)),
      total: (counted.rows[0] as { n: number }).n,
    };
  }

  /** One job still in the queue (not yet sent), or null. */
  async find(id: string): Promise<MailJob | null> {
    const row = await this.row(id);
    return row ? this.describe(row) : null;
  }

  /** Puts a failed e-mail back in the queue, to be sent at once; audited. */
  async retry(actorId: string, id: string): Promise<MailJob> {
    const job = await this.pending(id);
    if (job.state !== 'failed') throw new ConflictException('Only a failed e-mail can be retried.');
    // pg-boss's retry acts on failed jobs only, so one that changed meanwhile is left alone.
    const { affected } = (await this.mail.boss.retry(this.mail.queue, id)) as { affected?: number };
    if (affected !== 1) throw new ConflictException('The e-mail is no longer failed.');
    await this.audit.record('mail_retried', { actorId, target: { type: 'mail_job', id }, data: this.auditData(job) });
    return (await this.find(id)) ?? job;
  }

  /** Removes an e-mail that is waiting or failed, so it is never sent; audited. */
  async discard(actorId: string, id: string): Promise<void> {
    const job = await this.pending(id);
    if (job.state === 'sending') throw new ConflictException('The e-mail is being sent; try again in a minute.');
    // Only as it was read: a job that started sending meanwhile is left alone.
    const { rows } = await this.mail.boss
      .getDb()
      .executeSql(`DELETE FROM pgboss.job WHERE name = $1 AND id = $2 AND state::text = $3 RETURNING id`, [
        this.mail.queue,
        id,
        BOSS_STATE[job.state],
      ]);
    if (rows.length !== 1) throw new ConflictException('The e-mail changed meanwhile; look again.');
    await this.audit.record('mail_discarded', { actorId, target: { type: 'mail_job', id }, data: this.auditData(job) });
  }

  /** How many e-mails are in each state now (the health page's queue depth and failures). */
  async counts(): Promise<Record<MailJobState, number>> {
    const { rows } = await this.mail.boss
      .getDb()
      .executeSql(
        `SELECT state::text AS state, count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state::text = ANY($2) GROUP BY state`,
        [this.mail.queue, PENDING],
      );
    const counts: Record<MailJobState, number> = { queued: 0, sending: 0, retrying: 0, failed: 0 };
    for (const { state, n } of rows as { state: string; n: number }[]) {
      const ours = OPERATOR_STATE[state];
      if (ours) counts[ours] = n;
    }
    return counts;
  }

  private async pending(id: string): Promise<MailJob> {
    const job = await this.find(id);
    if (!job) throw new NotFoundException('No such e-mail in the queue (it may have been sent or discarded).');
    return job;
  }

  private async row(id: string): Promise<JobRow | undefined> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
    const { rows } = await this.mail.boss
      .getDb()
      .executeSql(`SELECT ${COLUMNS} FROM pgboss.job WHERE name = $1 AND id = $2 AND state::text = ANY($3)`, [
        this.mail.queue,
        id,
        PENDING,
      ]);
    return (rows as JobRow[])[0];
  }

  private auditData(job: MailJob): Record<string, unknown> {
    return { to: job.to, kind: job.kind, state: job.state, attempts: job.attempts, lastError: job.lastError };
  }

  private describe(row: JobRow): MailJob {
    let to = '';
    let kind = 'unreadable';
    try {
      // Only the address and the kind are kept; the body (and its tokens) stays sealed.
      const message: Partial<Message> = this.mail.open(row.data);
      to = message.to ?? '';
      // E-mails queued before kinds existed: their subject says what they are.
      kind = message.kind ?? message.subject ?? kind;
    } catch {
      // sealed under another JWT_SECRET: nothing to show but that it exists
    }
    const state = OPERATOR_STATE[row.state] ?? 'queued';
    const waiting = state === 'queued' || state === 'retrying';
    return {
      id: row.id,
      state,
      to,
      kind,
      attempts: row.retry_count + (row.started_on ? 1 : 0),
      maxAttempts: row.retry_limit + 1,
      lastError: errorOf(row.output),
      createdAt: row.created_on,
      nextAttemptAt: waiting ? row.start_after : null,
      failedAt: state === 'failed' ? row.completed_on : null,
    };
  }
}
