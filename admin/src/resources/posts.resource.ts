/**
 * Posts: moderate what people write. The list shows each post's title (an untitled one's excerpt),
 * whether it is a draft or published, and when it was published; it filters by status. Editing changes the Markdown only; PostsService renders it
 * through the content engine (the HTML and the statistics are never typed in) and audits the
 * change. The rendered HTML is shown beside the Markdown in a sandboxed frame, where no script
 * could run even if the sanitiser missed one.
 */
import type { ActionContext, ActionRequest, ResourceWithOptions } from 'adminjs';
import type { DataSource } from 'typeorm';
import { Post, POST_STATUSES, type PostsService } from '@nuell/api';
import type { RerenderCustom } from '../component-props.js';
import { Components } from '../components.js';
import { without } from './operator-action.js';
import { actorOf, panelResource } from './panel-resource.js';

/** Posts re-rendered per request of the bulk action; the component shows progress between them. */
export const RERENDER_CHUNK = 20;

export function postsResource(dataSource: DataSource, posts: PostsService): ResourceWithOptions {
  return panelResource(
    Post,
    dataSource,
    {
      filters: {
        status: { kind: 'enum', values: POST_STATUSES },
        authorId: { kind: 'uuid' },
        publishedAt: { kind: 'range' },
        createdAt: { kind: 'range' },
      },
      sortable: ['createdAt', 'publishedAt', 'updatedAt', 'wordCount'],
      // What people call the post: its title, or for an untitled one what it begins with.
      virtual: (post) => ({ heading: post.title ?? post.excerpt }),
      writer: {
        update: async (id, params, actorId) => {
          await posts.moderate(actorId, id, typeof params.content === 'string' ? params.content : '');
        },
        delete: (id, actorId) => posts.removeAsOperator(actorId, id),
      },
    },
    {
      id: 'Post',
      titleProperty: 'heading',
      navigation: { name: 'Content', icon: 'FileText' },
      sort: { sortBy: 'createdAt', direction: 'desc' },
      listProperties: ['heading', 'authorId', 'status', 'publishedAt', 'wordCount', 'updatedAt'],
      showProperties: [
        'id',
        'title',
        'status',
        'publishedAt',
        'shortId',
        'authorId',
        'contentHtml',
        'wordCount',
        'readingTimeMinutes',
        'rendererVersion',
        'createdAt',
        'updatedAt',
      ],
      editProperties: ['content'],
      properties: {
        heading: { type: 'string', description: 'The title, or the excerpt of an untitled post' },
        title: { type: 'string' },
        authorId: { reference: 'User' },
        content: { type: 'textarea', props: { rows: 20 } },
        contentHtml: { components: { show: Components.PostSideBySide } },
      },
      actions: {
        ...without('new'),
        delete: { guard: 'Delete this post? This cannot be undone.' },
        bulkDelete: { guard: 'Delete the selected posts? This cannot be undone.' },
        rerender: {
          actionType: 'bulk',
          icon: 'RefreshCw',
          component: Components.RerenderPosts,
          showInDrawer: true,
          custom: { chunk: RERENDER_CHUNK } satisfies RerenderCustom,
          handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
            const records = context.records ?? [];
            const json = records.map((record) => record.toJSON(context.currentAdmin));
            if (request.method !== 'post') return { records: json };
            const count = await posts.rerender(
              actorOf(context),
              records.map((record) => record.id()),
            );
            return { records: json, notice: { message: `Re-rendered ${count} posts.`, type: 'success' } };
          },
        },
      },
    },
  );
}
