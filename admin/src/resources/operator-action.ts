/**
 * A record action that does one thing to one record through an API service (lift a suspension, sign out, …).
 * Its page (ConfirmAction) asks the question, naming the record and what follows, and POSTs on
 * confirmation; a GET only shows the record and the question, so no link, prefetch or image can
 * trigger it. (AdminJS calls actions that have no page with a GET, hence the page.) A refusal
 * from the service (you cannot delete yourself) comes back as an error notice with the service's
 * message, and the record as it is now.
 */
import { HttpException } from '@nestjs/common';
import {
  type Action,
  type ActionContext,
  type ActionHandler,
  type ActionRequest,
  type ActionResponse,
  type BaseRecord,
  DeleteAction,
  NotFoundError,
} from 'adminjs';
import type { Confirmation, ConfirmActionCustom } from '../component-props.js';
import { Components } from '../components.js';
import { ValidationProblem } from '@nuell/api';
import { actorOf } from './panel-resource.js';

/**
 * A refusal from the API's services in the operator's words: each field's sentence for a
 * validation problem, else the service's message; undefined for anything else (a 5xx, a bug),
 * which the caller throws on. Every action page of the panel answers refusals through it.
 */
export function refusalIn(error: unknown): string | undefined {
  if (error instanceof ValidationProblem) return error.errors.map((e) => e.detail).join(' ');
  if (error instanceof HttpException && error.getStatus() < 500) return error.message;
  return undefined;
}

/** The question a confirmation page asks about one record: a sentence, or one made for the record. */
export type Ask = string | ((record: BaseRecord) => Confirmation | Promise<Confirmation>);

/** The confirmation of `record`: the record's name in the question, then what follows. */
export async function confirmationOf(ask: Ask, record: BaseRecord): Promise<Confirmation> {
  return typeof ask === 'string' ? { question: ask } : ask(record);
}

export interface OperatorActionOptions {
  readonly icon: string;
  /** The confirmation: name the record and say what follows ("Sign alice@… out of every session?"). */
  readonly question: Ask;
  readonly variant?: 'danger' | 'primary' | 'info';
  /** Whether the action applies to this record (sign out only active accounts, …). */
  readonly appliesTo?: (record: BaseRecord) => boolean;
  /** Does it; returns what to tell the operator. */
  readonly run: (record: BaseRecord, actorId: string) => Promise<string>;
}

export function operatorAction(options: OperatorActionOptions): Partial<Action<ActionResponse>> {
  const applies = options.appliesTo;
  return {
    actionType: 'record',
    icon: options.icon,
    variant: options.variant ?? 'primary',
    component: Components.ConfirmAction,
    custom: { question: typeof options.question === 'string' ? options.question : '' } satisfies ConfirmActionCustom,
    ...(applies ? { isVisible: ({ record }: ActionContext) => record !== undefined && applies(record) } : {}),
    handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
      const record = context.record;
      if (!record) throw new NotFoundError('No such record.', 'operatorAction');
      const show = (current: BaseRecord) => current.toJSON(context.currentAdmin);
      if (request.method !== 'post') {
        return { record: show(record), confirmation: await confirmationOf(options.question, record) };
      }
      try {
        const message = await options.run(record, actorOf(context));
        const fresh = await context.resource.findOne(record.id(), context);
        return { record: show(fresh ?? record), notice: { message, type: 'success' } };
      } catch (error) {
        const message = refusalIn(error);
        if (message === undefined) throw error;
        return { record: show(record), notice: { message, type: 'error' } };
      }
    },
  };
}

/**
 * AdminJS's delete with a page of its own instead of its modal, which can only ask one sentence
 * for every record: the page names the record and what goes with it, and offers Cancel. The
 * deletion itself is AdminJS's (through the resource's writer), on the page's POST.
 */
export function confirmedDelete(question: Ask): Partial<Action<ActionResponse>> {
  return {
    component: Components.ConfirmAction,
    guard: '',
    custom: { question: typeof question === 'string' ? question : '' } satisfies ConfirmActionCustom,
    handler: async (request: ActionRequest, response: unknown, context: ActionContext) => {
      const record = context.record;
      if (request.method !== 'post' && record) {
        return { record: record.toJSON(context.currentAdmin), confirmation: await confirmationOf(question, record) };
      }
      const remove = DeleteAction.handler as ActionHandler<ActionResponse>;
      return remove(request, response, context);
    },
  };
}

/** The built-in actions a resource does not offer, all at once. */
export function without(...names: string[]): Record<string, { isAccessible: false; isVisible: false }> {
  return Object.fromEntries(names.map((name) => [name, { isAccessible: false, isVisible: false }]));
}
