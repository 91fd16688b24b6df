/**
 * The e-mail queue: e-mails waiting to be sent, being sent, waiting for a retry, or kept as failed
 * after every retry, newest first, filtered by state. Each shows its recipient, kind, attempts,
 * the last error in the SMTP server's words, and when it is tried next. Retry (a failed e-mail)
 * and discard go through the API's MailQueueService, which audits them (`mail_retried`,
 * `mail_discarded`). Not a table of ours but pg-boss's jobs, read through that service: the body
 * stays sealed (its links carry live tokens), so no page can show it.
 */
import {
  type ActionContext,
  BaseProperty,
  BaseRecord,
  BaseResource,
  type Filter,
  type ResourceWithOptions,
} from 'adminjs';
import { type EmailKind, MAIL_JOB_STATES, type MailJob, type MailJobState, type MailQueueService } from '@nuell/api';
import { operatorAction, without } from './operator-action.js';

/** Each kind of e-mail as an operator says it: the list and the record show these words (`kindLabel`). */
export const KIND_LABELS: Record<EmailKind | 'unreadable', string> = {
  verifyEmail: 'Address confirmation (sign-up)',
  passwordReset: 'Password reset link',
  passwordChanged: 'Password changed notice',
  accountDeleted: 'Account deleted notice',
  emailChangeConfirm: 'New address confirmation',
  emailChangeNotice: 'Address change notice (old address)',
  emailCorrectedNotice: 'Address corrected by an operator (old address)',
  emailCorrectedConfirm: 'Address corrected by an operator: confirmation',
  postHidden: 'Post hidden by an operator',
  postRestored: 'Post restored by an operator',
  postEdited: 'Post edited by an operator',
  postDeleted: 'Post deleted by an operator',
  factorAdded: 'Sign-in factor added notice',
  factorRemoved: 'Sign-in factor removed notice',
  factorsReset: 'Two-step sign-in reset by an operator',
  recoveryCodesReplaced: 'New recovery codes',
  newDeviceSignIn: 'Sign-in from a new device notice',
  tokenCreated: 'Personal access token created notice',
  appConnected: 'App connected notice',
  unreadable: 'Unreadable (sealed with another key)',
};

const PROPERTIES: { path: keyof MailJob | 'kindLabel'; type: 'string' | 'number' | 'datetime' | 'textarea' }[] = [
  { path: 'id', type: 'string' },
  { path: 'createdAt', type: 'datetime' },
  { path: 'state', type: 'string' },
  { path: 'to', type: 'string' },
  { path: 'kind', type: 'string' },
  { path: 'kindLabel', type: 'string' },
  { path: 'attempts', type: 'number' },
  { path: 'maxAttempts', type: 'number' },
  { path: 'lastError', type: 'textarea' },
  { path: 'nextAttemptAt', type: 'datetime' },
  { path: 'failedAt', type: 'datetime' },
];

function stateOf(filter?: Filter): MailJobState | undefined | null {
  const value = filter?.filters.state?.value;
  if (value === undefined) return undefined;
  return typeof value === 'string' && (MAIL_JOB_STATES as readonly string[]).includes(value)
    ? (value as MailJobState)
    : null;
}

/** pg-boss's jobs of this deployment's e-mail queue, as MailQueueService describes them; read-only. */
export class MailJobResource extends BaseResource {
  private readonly props = PROPERTIES.map(
    ({ path, type }, position) => new BaseProperty({ path, type, isId: path === 'id', isSortable: false, position }),
  );

  constructor(private readonly queue: MailQueueService) {
    super();
  }

  override databaseName(): string {
    return 'pgboss';
  }

  override databaseType(): string {
    return 'postgres';
  }

  override id(): string {
    return 'MailJob';
  }

  override properties(): BaseProperty[] {
    return this.props;
  }

  override property(path: string): BaseProperty | null {
    return this.props.find((property) => property.path() === path) ?? null;
  }

  private record(job: MailJob): BaseRecord {
    return new BaseRecord(
      { ...job, kindLabel: (KIND_LABELS as Partial<Record<string, string>>)[job.kind] ?? job.kind },
      this,
    );
  }

  override async count(filter: Filter): Promise<number> {
    const state = stateOf(filter);
    if (state === null) return 0;
    return (await this.queue.list({ ...(state ? { state } : {}), limit: 1 })).total;
  }

  override async find(filter: Filter, params: { limit?: number; offset?: number }): Promise<BaseRecord[]> {
    const state = stateOf(filter);
    if (state === null) return [];
    const { jobs } = await this.queue.list({
      ...(state ? { state } : {}),
      limit: params.limit ?? 20,
      offset: params.offset ?? 0,
    });
    return jobs.map((job) => this.record(job));
  }

  override async findOne(id: string): Promise<BaseRecord | null> {
    const job = await this.queue.find(id);
    return job ? this.record(job) : null;
  }

  override async findMany(ids: (string | number)[]): Promise<BaseRecord[]> {
    const jobs = await Promise.all(ids.map((id) => this.queue.find(String(id))));
    return jobs.filter((job): job is MailJob => job !== null).map((job) => this.record(job));
  }

  override create(): Promise<never> {
    return Promise.reject(new Error('E-mails are not written from the panel.'));
  }

  override update(): Promise<never> {
    return Promise.reject(new Error('Queued e-mails are read-only.'));
  }

  override delete(_id: string, _context?: ActionContext): Promise<never> {
    return Promise.reject(new Error('Discard an e-mail with its Discard action.'));
  }
}

export function mailJobsResource(queue: MailQueueService): ResourceWithOptions {
  return {
    resource: new MailJobResource(queue),
    options: {
      id: 'MailJob',
      titleProperty: 'to',
      navigation: { name: 'Operations', icon: 'Mail' },
      listProperties: ['createdAt', 'state', 'to', 'kindLabel', 'attempts', 'lastError', 'nextAttemptAt'],
      showProperties: [
        'id',
        'createdAt',
        'state',
        'to',
        'kindLabel',
        'attempts',
        'maxAttempts',
        'lastError',
        'nextAttemptAt',
        'failedAt',
      ],
      filterProperties: ['state'],
      properties: {
        state: { availableValues: MAIL_JOB_STATES.map((value) => ({ value, label: value })) },
      },
      actions: {
        ...without('new', 'edit', 'delete', 'bulkDelete', 'search'),
        retry: operatorAction({
          icon: 'RefreshCw',
          question: 'Send this e-mail again? It goes back in the queue and is sent at once.',
          appliesTo: (record) => record.params.state === 'failed',
          run: async (record, actorId) => {
            await queue.retry(actorId, record.id());
            return 'Back in the queue: it is sent within seconds.';
          },
        }),
        discard: operatorAction({
          icon: 'Trash2',
          variant: 'danger',
          question: 'Discard this e-mail? It is removed from the queue and never sent.',
          appliesTo: (record) => record.params.state !== 'sending',
          run: async (record, actorId) => {
            await queue.discard(actorId, record.id());
            return 'Discarded: it will not be sent.';
          },
        }),
      },
    },
  };
}
