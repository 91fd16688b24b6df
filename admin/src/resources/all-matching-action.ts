/**
 * A resource action that applies to every record the list's filter matches, on every page ("all
 * 70 matching"), not only to the rows ticked on the page in view. It opens in a drawer over the
 * list, which keeps the list's `filters.*` in the address; its page (ApplyToMatching) asks the
 * handler how many match (GET), then POSTs one chunk at a time and shows the progress. Each chunk
 * walks on from the last id done, so rows added or removed meanwhile are neither skipped nor
 * done twice; stopping half-way loses nothing (the actions it runs may be run twice).
 */
import { type Action, type ActionContext, type ActionRequest, type ActionResponse, Filter } from 'adminjs';
import type { ApplyToMatchingCustom } from '../component-props.js';
import { Components } from '../components.js';
import { actorOf, type PanelResource, unflatten } from './panel-resource.js';

export interface AllMatchingOptions extends ApplyToMatchingCustom {
  readonly icon: string;
  /** Records per request. */
  readonly chunk: number;
  /** Does it to these records (safe to repeat: a walk that stopped is run again); returns how many it did. */
  readonly run: (ids: string[], actorId: string) => Promise<number>;
}

/** What the page reads: how many records match (GET), or what one chunk did (POST). */
export interface MatchingAnswer {
  readonly matching?: number;
  readonly done?: number;
  /** The id to carry on after; null when the walk has reached the end. */
  readonly next?: string | null;
}

function filterOf(request: ActionRequest, resource: PanelResource<never>): Filter {
  const { filters = {} } = unflatten(request.query ?? {}) as { filters?: Record<string, unknown> };
  return new Filter(filters, resource);
}

export function allMatchingAction(options: AllMatchingOptions): Partial<Action<ActionResponse>> {
  const { icon, chunk, run, ...custom } = options;
  return {
    actionType: 'resource',
    icon,
    showInDrawer: true,
    component: Components.ApplyToMatching,
    custom: custom satisfies ApplyToMatchingCustom,
    handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
      const resource = context.resource as unknown as PanelResource<never>;
      const filter = filterOf(request, resource);
      if (request.method !== 'post') return { matching: await resource.count(filter) } satisfies MatchingAnswer;
      const after = typeof request.payload?.after === 'string' ? request.payload.after : null;
      const ids = await resource.idsMatching(filter, after, chunk);
      const done = ids.length === 0 ? 0 : await run(ids, actorOf(context));
      return { done, next: ids.length < chunk ? null : (ids.at(-1) ?? null) } satisfies MatchingAnswer;
    },
  };
}
