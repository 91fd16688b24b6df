/**
 * Moderation of posts that keeps evidence: Hide (a reason is required, which the author reads) and
 * Restore (a reason is optional) on one post, Hide on the selected posts, and an edit that names the
 * version it loaded. Every one goes through the API's PostsService, which audits it (`post_hidden`,
 * `post_restored`, `post_updated`) and e-mails the author on hide and restore. Each page (ModeratePost,
 * PostEdit) asks first; a GET only shows the record(s), so no link or prefetch can act.
 *
 * The edit sends the post's version as the form loaded it: if its author saved meanwhile, the save
 * is refused (PostsService answers 412), nothing is overwritten, and the answer carries the newer
 * text for the form to show beside the operator's.
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
import { type PostsService, ValidationProblem } from '@nuell/api';
import { Components } from '../components.js';
import type { ModeratePostCustom, PostEditConflict } from '../moderation-props.js';
import { refusalIn as refusal } from './operator-action.js';
import { actorOf } from './panel-resource.js';

/** Longest reason, as the API's posts.hidden_reason column holds it. */
export const REASON_MAX = 500;

const reasonIn = (request: ActionRequest): string => {
  const value = (request.payload as Record<string, unknown> | undefined)?.reason;
  return typeof value === 'string' ? value : '';
};

const isHidden = (record: BaseRecord | undefined): boolean =>
  record !== undefined && record.params.hiddenAt !== null && record.params.hiddenAt !== undefined;

const HIDE: ModeratePostCustom = {
  verb: 'Hide',
  consequence:
    'Readers no longer see it: it leaves the feed, the author’s page, the RSS feeds and the sitemap, and its ' +
    'address answers “not found”. Nothing is deleted: its author still reads it, with your reason, and is ' +
    'e-mailed; you can restore it.',
  reasonRequired: true,
  reasonLabel: 'Reason (the author reads it)',
  reasonHint: 'Write it to the author: what is wrong, and what would make the post acceptable.',
  reasonMax: REASON_MAX,
};

const RESTORE: ModeratePostCustom = {
  verb: 'Restore',
  consequence: 'Readers see it again wherever they saw it before. Its author is e-mailed.',
  reasonRequired: false,
  reasonLabel: 'Message to the author (optional)',
  reasonHint: 'Included in the e-mail telling them the post is visible again.',
  reasonMax: REASON_MAX,
};

/** One post's Hide or Restore, through `run`; refusals come back as an error notice. */
function recordAction(
  custom: ModeratePostCustom,
  applies: (record: BaseRecord) => boolean,
  run: (id: string, reason: string, actorId: string) => Promise<string>,
): Partial<Action<ActionResponse>> {
  return {
    actionType: 'record',
    icon: custom.verb === 'Hide' ? 'EyeOff' : 'Eye',
    variant: custom.verb === 'Hide' ? 'danger' : 'primary',
    component: Components.ModeratePost,
    custom,
    isVisible: ({ record }: ActionContext) => record !== undefined && applies(record),
    handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
      const record = context.record;
      if (!record) throw new NotFoundError('No such post.', custom.verb);
      const show = (current: BaseRecord) => current.toJSON(context.currentAdmin);
      if (request.method !== 'post') return { record: show(record) };
      try {
        const message = await run(record.id(), reasonIn(request), actorOf(context));
        const fresh = await context.resource.findOne(record.id(), context);
        return { record: show(fresh ?? record), notice: { message, type: 'success' } };
      } catch (error) {
        const message = refusal(error);
        if (message === undefined) throw error;
        return { record: show(record), notice: { message, type: 'error' } };
      }
    },
  };
}

const quoted = (record: BaseRecord): string => `“${record.title()}”`;

export function hideAction(posts: PostsService): Partial<Action<ActionResponse>> {
  return recordAction(
    HIDE,
    (record) => !isHidden(record),
    async (id, reason, actorId) => {
      await posts.hide(actorId, id, reason);
      return 'Hidden: readers no longer see it, and the author has been e-mailed the reason.';
    },
  );
}

export function restoreAction(posts: PostsService): Partial<Action<ActionResponse>> {
  return recordAction(
    RESTORE,
    (record) => isHidden(record),
    async (id, reason, actorId) => {
      await posts.restore(actorId, id, reason);
      return 'Restored: readers see it again, and the author has been e-mailed.';
    },
  );
}

/**
 * Hide on the selected posts, with one reason for all. Each post is hidden on its own: one that
 * cannot be (already hidden, deleted meanwhile) is named in the answer; the others go through.
 */
export function bulkHideAction(posts: PostsService): Partial<Action<ActionResponse>> {
  return {
    actionType: 'bulk',
    icon: 'EyeOff',
    variant: 'danger',
    component: Components.ModeratePost,
    custom: HIDE,
    handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
      const records = context.records ?? [];
      const json = records.map((record) => record.toJSON(context.currentAdmin));
      if (request.method !== 'post') return { records: json };
      const reason = reasonIn(request);
      const actorId = actorOf(context);
      let hidden = 0;
      const refused: string[] = [];
      for (const record of records) {
        try {
          await posts.hide(actorId, record.id(), reason);
          hidden += 1;
        } catch (error) {
          const message = refusal(error);
          if (message === undefined) throw error;
          // A missing reason is the same for every post: say it once.
          if (error instanceof ValidationProblem) return { records: json, notice: { message, type: 'error' } };
          refused.push(message.startsWith('“') ? message : `${quoted(record)}: ${message}`);
        }
      }
      const done = `Hid ${hidden} post${hidden === 1 ? '' : 's'}; their authors have been e-mailed the reason.`;
      const message = refused.length > 0 ? `${done} Not hidden: ${refused.join(' ')}` : done;
      return { records: json, notice: { message, type: hidden > 0 ? 'success' : 'error' } };
    },
  };
}

/** The version the form loaded: undefined when none was sent (the last change wins, as in the API). */
function versionIn(request: ActionRequest): number | undefined | null {
  const value = (request.payload as Record<string, unknown> | undefined)?.version;
  if (value === undefined || value === '') return undefined;
  const version = Number(value);
  return Number.isInteger(version) && version > 0 ? version : null;
}

/** The operator's edit of a post's Markdown, refused (and the newer text shown) if the author saved meanwhile. */
export function postEditAction(posts: PostsService): Partial<Action<ActionResponse>> {
  return {
    component: Components.PostEdit,
    handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
      const { record, resource, currentAdmin, h } = context;
      if (!record) throw new NotFoundError('No such post.', 'edit');
      const show = (current: BaseRecord) => current.toJSON(currentAdmin);
      if (request.method !== 'post') return { record: show(record) };
      const payload = (request.payload ?? {}) as Record<string, unknown>;
      const content = typeof payload.content === 'string' ? payload.content : '';
      const version = versionIn(request);
      if (version === null) {
        return {
          record: show(record),
          notice: { message: 'Reload the page: the form sent no version.', type: 'error' },
        };
      }
      try {
        await posts.moderate(actorOf(context), record.id(), content, version);
      } catch (error) {
        const fresh = (await resource.findOne(record.id(), context)) ?? record;
        if (error instanceof HttpException && error.getStatus() === 412) {
          const conflict: PostEditConflict = {
            version: Number(fresh.params.version),
            content: String(fresh.params.content ?? ''),
            updatedAt: new Date(fresh.params.updatedAt as string).toISOString(),
          };
          return {
            record: show(fresh),
            conflict,
            notice: {
              message:
                'Not saved: the author saved a newer version while you were editing. Nothing was overwritten; ' +
                'compare their text with yours below.',
              type: 'error',
            },
          };
        }
        const message = refusal(error);
        if (message === undefined) throw error;
        return { record: show(fresh), notice: { message, type: 'error' } };
      }
      const saved = (await resource.findOne(record.id(), context)) ?? record;
      return {
        record: show(saved),
        redirectUrl: h.resourceUrl({ resourceId: resource._decorated?.id() ?? resource.id() }),
        notice: { message: 'Saved: the post is rendered again from your Markdown.', type: 'success' },
      };
    },
  };
}
