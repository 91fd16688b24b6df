/**
 * The Users' page of one account, and what is done from it besides the operator actions: the
 * show page (UserShow: the address as the title, the account's figures and history), its data
 * (`overview`, a record action no menu offers), the e-mail correction (CorrectEmail, through
 * OperatorAccountService.correctEmail), and a delete that names the account and what goes with it.
 */
import {
  type Action,
  type ActionContext,
  type ActionRequest,
  type ActionResponse,
  type BaseRecord,
  NotFoundError,
} from 'adminjs';
import type { DataSource } from 'typeorm';
import { type OperatorAccountService, ValidationProblem } from '@nuell/api';
import type { Confirmation, CorrectEmailCustom } from '../component-props.js';
import { Components } from '../components.js';
import { userOverview } from '../user-overview.js';
import { confirmedDelete, refusalIn } from './operator-action.js';
import { actorOf } from './panel-resource.js';

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** "alice@example.com and its 12 posts": what a deletion takes with the account. */
async function deletion(dataSource: DataSource, record: BaseRecord): Promise<Confirmation> {
  const [counts] = await dataSource.query<{ published: number; drafts: number; sessions: number }[]>(
    `SELECT (SELECT count(*)::int FROM posts WHERE author_id = $1 AND status = 'published') AS published,
            (SELECT count(*)::int FROM posts WHERE author_id = $1 AND status = 'draft') AS drafts,
            (SELECT count(*)::int FROM sessions
              WHERE user_id = $1 AND replaced_by IS NULL AND revoked_at IS NULL AND expires_at > now()) AS sessions`,
    [record.id()],
  );
  const { published = 0, drafts = 0, sessions = 0 } = counts ?? {};
  const email = String(record.params.email);
  const posts = published + drafts;
  const what =
    posts === 0
      ? 'It has no posts.'
      : `Its ${plural(published, 'published post')} and ${plural(drafts, 'draft')} are deleted with it.`;
  return {
    question: posts === 0 ? `Delete ${email}?` : `Delete ${email} and its ${plural(posts, 'post')}?`,
    consequence: `${what} ${sessions === 0 ? 'It is signed in nowhere.' : `Its ${plural(sessions, 'open session')} end${sessions === 1 ? 's' : ''} at once.`} This cannot be undone: to keep the account but stop it, suspend it instead.`,
  };
}

/** A refusal as the operator reads it: the service's sentence, a field error named as on the form. */
function refusal(error: unknown): string | null {
  if (error instanceof ValidationProblem) {
    return error.errors.map((e) => `${e.detail.replace(/^email\b/, 'The new address')}.`).join(' ');
  }
  return refusalIn(error) ?? null;
}

export function userPageActions(
  dataSource: DataSource,
  accounts: OperatorAccountService,
): Record<string, Partial<Action<ActionResponse>>> {
  return {
    show: { component: Components.UserShow, hideActionHeader: true },
    overview: {
      actionType: 'record',
      isVisible: false,
      component: false,
      handler: async (_request: ActionRequest, _response: unknown, context: ActionContext) => {
        const record = context.record;
        if (!record) throw new NotFoundError('No such account.', 'overview');
        return {
          record: record.toJSON(context.currentAdmin),
          overview: await userOverview(dataSource, record.id()),
        };
      },
    },
    correctEmail: {
      actionType: 'record',
      icon: 'AtSign',
      component: Components.CorrectEmail,
      custom: { newAddressVerified: false } satisfies CorrectEmailCustom,
      handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
        const record = context.record;
        if (!record) throw new NotFoundError('No such account.', 'correctEmail');
        const show = (current: BaseRecord) => current.toJSON(context.currentAdmin);
        if (request.method !== 'post') return { record: show(record) };
        const before = String(record.params.email);
        try {
          const user = await accounts.correctEmail(actorOf(context), record.id(), {
            email: (request.payload as Record<string, unknown> | undefined)?.email,
          });
          const fresh = await context.resource.findOne(record.id(), context);
          const told =
            user.email.toLowerCase() === before.toLowerCase()
              ? 'Only the case changed: it is the same mailbox, still as verified as before, and nobody was e-mailed.'
              : `${before} has been told, and ${user.email} has a link to confirm it: until then the address is not verified.`;
          return {
            record: show(fresh ?? record),
            notice: { message: `The address is now ${user.email}. ${told}`, type: 'success' },
          };
        } catch (error) {
          const message = refusal(error);
          if (message === null) throw error;
          return { record: show(record), notice: { message, type: 'error' } };
        }
      },
    },
    delete: confirmedDelete((record) => deletion(dataSource, record)),
  };
}
