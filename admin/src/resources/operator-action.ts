/**
 * A record action that does one thing to one record through an API service (ban, sign out, …).
 * Its page (ConfirmAction) asks the question and POSTs on confirmation; a GET only shows the
 * record, so no link, prefetch or image can trigger it. (AdminJS calls actions that have no page
 * with a GET, hence the page.) A refusal from the service (you cannot ban yourself) comes back
 * as an error notice with the service's message, and the record as it is now.
 */
import { HttpException } from '@nestjs/common';
import {
  type Action,
  type ActionContext,
  type ActionRequest,
  type ActionResponse,
  type BaseRecord,
  NotFoundError,
} from 'adminjs';
import type { ConfirmActionCustom } from '../component-props.js';
import { Components } from '../components.js';
import { actorOf } from './panel-resource.js';

export interface OperatorActionOptions {
  readonly icon: string;
  /** The confirmation question. */
  readonly question: string;
  readonly variant?: 'danger' | 'primary' | 'info';
  /** Whether the action applies to this record (ban only active accounts, …). */
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
    custom: { question: options.question } satisfies ConfirmActionCustom,
    ...(applies ? { isVisible: ({ record }: ActionContext) => record !== undefined && applies(record) } : {}),
    handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
      const record = context.record;
      if (!record) throw new NotFoundError('No such record.', 'operatorAction');
      const show = (current: BaseRecord) => current.toJSON(context.currentAdmin);
      if (request.method !== 'post') return { record: show(record) };
      try {
        const message = await options.run(record, actorOf(context));
        const fresh = await context.resource.findOne(record.id(), context);
        return { record: show(fresh ?? record), notice: { message, type: 'success' } };
      } catch (error) {
        if (!(error instanceof HttpException) || error.getStatus() >= 500) throw error;
        return { record: show(record), notice: { message: error.message, type: 'error' } };
      }
    },
  };
}

/** The built-in actions a resource does not offer, all at once. */
export function without(...names: string[]): Record<string, { isAccessible: false; isVisible: false }> {
  return Object.fromEntries(names.map((name) => [name, { isAccessible: false, isVisible: false }]));
}
