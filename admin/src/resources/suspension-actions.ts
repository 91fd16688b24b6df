/**
 * Suspending accounts from the panel: "Suspend" on an account and on the selected accounts of the
 * list (one reason, end and message for all), and "Lift suspension". Each goes through
 * OperatorAccountService, which checks what the operator wrote, keeps an operator (never yourself,
 * never the last admin), ends the sessions and audits. The form (SuspendForm) is the page of both
 * suspend actions; a GET only shows it. Actions that cannot apply are not offered: Suspend on
 * yourself or on a suspended account, Lift on an active one.
 */
import type { Action, ActionContext, ActionRequest, ActionResponse, BaseRecord } from 'adminjs';
import { NotFoundError } from 'adminjs';
import { type OperatorAccountService, SUSPENSION_TEXT_MAX, type SuspensionInput, ValidationProblem } from '@nuell/api';
import { Components } from '../components.js';
import type { SuspendAnswer, SuspendFormCustom } from '../suspension-props.js';
import { operatorAction, refusalIn } from './operator-action.js';
import { actorOf } from './panel-resource.js';

const custom: SuspendFormCustom = { maxLength: SUSPENSION_TEXT_MAX };

/** The form's three fields, as the page posts them. */
function termsOf(request: ActionRequest): SuspensionInput {
  const payload = (request.payload ?? {}) as Record<string, unknown>;
  return { reason: payload.reason ?? '', until: payload.until ?? '', message: payload.message ?? '' };
}

const emailOf = (record: BaseRecord) => String(record.params.email);

/** "until Saturday 5 December 2026 at 14:00 UTC" or "until an operator lifts it". */
function endOf(until: Date | null): string {
  if (!until) return 'until an operator lifts it';
  const day = until.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const time = until.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
  return `until ${day} at ${time} UTC`;
}

/** A refusal of what the operator wrote: a notice, and each field's sentence for the form. */
function refusalOf(error: unknown): { notice: { message: string; type: 'error' } } & SuspendAnswer {
  const message = refusalIn(error);
  if (message === undefined) throw error;
  return {
    notice: { message, type: 'error' },
    ...(error instanceof ValidationProblem
      ? { errors: Object.fromEntries(error.errors.map((e) => [e.field, e.detail])) }
      : {}),
  };
}

const isActive = (record: BaseRecord | undefined) => record?.params.isActive === true;

export function suspensionActions(accounts: OperatorAccountService): Record<string, Partial<Action<ActionResponse>>> {
  return {
    suspend: {
      actionType: 'record',
      icon: 'Slash',
      variant: 'danger',
      component: Components.SuspendForm,
      // The form has its own heading and Cancel: AdminJS's header would lay its title over the buttons.
      hideActionHeader: true,
      custom,
      isVisible: ({ record, currentAdmin }: ActionContext) => isActive(record) && record?.id() !== currentAdmin?.id,
      handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
        const record = context.record;
        if (!record) throw new NotFoundError('No such record.', 'suspend');
        const show = (current: BaseRecord) => current.toJSON(context.currentAdmin);
        if (request.method !== 'post') return { record: show(record) };
        try {
          const suspension = await accounts.suspend(actorOf(context), record.id(), termsOf(request));
          const fresh = (await context.resource.findOne(record.id(), context)) ?? record;
          return {
            record: show(fresh),
            notice: {
              message: `Suspended ${emailOf(record)} ${endOf(suspension.until)}: every session has ended.`,
              type: 'success',
            },
          };
        } catch (error) {
          return { record: show(record), ...refusalOf(error) };
        }
      },
    },
    bulkSuspend: {
      actionType: 'bulk',
      icon: 'Slash',
      variant: 'danger',
      component: Components.SuspendForm,
      // The form has its own heading and Cancel: AdminJS's header would lay its title over the buttons.
      hideActionHeader: true,
      custom,
      handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
        const records = context.records ?? [];
        const json = () => records.map((record) => record.toJSON(context.currentAdmin));
        if (request.method !== 'post') return { records: json() };
        try {
          const result = await accounts.suspendMany(
            actorOf(context),
            records.map((record) => record.id()),
            termsOf(request),
          );
          const email = new Map(records.map((record) => [record.id(), emailOf(record)]));
          const refused = result.refused.map(({ userId, reason }) => ({ email: email.get(userId) ?? userId, reason }));
          const done = result.suspended.length;
          const message =
            refused.length === 0
              ? `Suspended ${done} account${done === 1 ? '' : 's'}: every session of ${done === 1 ? 'it' : 'each'} has ended.`
              : `Suspended ${done} of ${records.length} accounts; ${refused.length} could not be: see below.`;
          return {
            records: json(),
            notice: { message, type: refused.length === 0 ? 'success' : 'error' },
            refused,
          } satisfies SuspendAnswer & Record<string, unknown>;
        } catch (error) {
          return { records: json(), ...refusalOf(error) };
        }
      },
    },
    liftSuspension: operatorAction({
      icon: 'CheckCircle',
      question: (record) => ({
        question: `Lift the suspension of ${emailOf(record)}?`,
        consequence: 'The account can sign in again at once; the sessions that ended stay ended.',
      }),
      appliesTo: (record) => record.params.isActive === false,
      run: async (record, actorId) => {
        await accounts.lift(actorId, record.id());
        return `Suspension lifted: ${emailOf(record)} can sign in again.`;
      },
    }),
  };
}
