/**
 * Posts: moderate what people write. The list shows each post's title (an untitled one's excerpt),
 * whether it is a draft or published, and when it was published; it filters by status. Editing changes the Markdown only; PostsService renders it
 * through the content engine (the HTML and the statistics are never typed in) and audits the
 * change; the form sends the version it loaded, so an author's newer save is never overwritten
 * (post-moderation.ts). Hide and Restore (one post, or Hide on the selected ones) take a post out
 * of public reads and back, with a reason the author reads; delete stays for operators who mean it.
 * The rendered HTML is shown beside the Markdown in a sandboxed frame, where no script could run
 * even if the sanitiser missed one.
 */
import type { ActionContext, ActionRequest, ResourceWithOptions } from 'adminjs';
import type { DataSource } from 'typeorm';
import { Post, POST_STATUSES, type PostsService } from '@nuell/api';
import type { RerenderCustom } from '../component-props.js';
import { Components } from '../components.js';
import { allMatchingAction } from './all-matching-action.js';
import { confirmedDelete, without } from './operator-action.js';
import { actorOf, panelResource } from './panel-resource.js';
import { bulkHideAction, hideAction, postEditAction, restoreAction } from './post-moderation.js';

/** Posts re-rendered per request of the bulk action; the component shows progress between them. */
export const RERENDER_CHUNK = 20;

/** Characters of Markdown shown for a post that has no words to call it by. */
const MARKDOWN_SHOWN = 60;

/**
 * What people call a post: its title; for an untitled one what it begins with; for one with no
 * words at all (a draft holding only an image or a rule, or nothing yet) the start of its Markdown,
 * said as such, so that no row of the list is blank.
 */
export function headingOf(post: Pick<Post, 'title' | 'excerpt' | 'content'>): string {
  if (post.title) return post.title;
  if (post.excerpt.trim() !== '') return post.excerpt;
  const markdown = post.content.trim().replace(/\s+/g, ' ');
  if (markdown === '') return 'Nothing written yet';
  const shown = markdown.length > MARKDOWN_SHOWN ? `${markdown.slice(0, MARKDOWN_SHOWN)}…` : markdown;
  return `No words: ${shown}`;
}

/**
 * Who reads a post, in a word an operator scans for: a published post of an active author is
 * shown; a draft, a hidden post and every post of a suspended author are not (the last looks
 * published and unhidden, yet readers get a 404).
 */
export function readersOf(post: Pick<Post, 'status' | 'hiddenAt'>, authorActive: boolean): string {
  if (post.hiddenAt) return 'Not shown: hidden';
  if (post.status === 'draft') return 'Not shown: draft';
  if (!authorActive) return 'Not shown: author suspended';
  return 'Shown';
}

/** The posts' `readers` values, with their authors' state read in one query for a page of posts. */
function readersAnnotation(dataSource: DataSource) {
  return async (page: readonly Post[]): Promise<Map<string, Record<string, unknown>>> => {
    const rows = await dataSource.query<{ id: string; is_active: boolean }[]>(
      'SELECT id, is_active FROM users WHERE id = ANY($1::uuid[])',
      [[...new Set(page.map((post) => post.authorId))]],
    );
    const active = new Map(rows.map((row) => [row.id, row.is_active]));
    return new Map(page.map((post) => [post.id, { readers: readersOf(post, active.get(post.authorId) ?? false) }]));
  };
}

export function postsResource(dataSource: DataSource, posts: PostsService): ResourceWithOptions {
  return panelResource(
    Post,
    dataSource,
    {
      filters: {
        content: { kind: 'words' },
        title: { kind: 'text' },
        status: { kind: 'enum', values: POST_STATUSES },
        hidden: { kind: 'isSet', column: 'hiddenAt' },
        authorId: { kind: 'uuid' },
        publishedAt: { kind: 'range' },
        createdAt: { kind: 'range' },
      },
      sortable: ['createdAt', 'publishedAt', 'updatedAt', 'wordCount'],
      virtual: (post) => ({ heading: headingOf(post) }),
      annotate: readersAnnotation(dataSource),
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
      // Six columns fit 1366 px; the word count and when it was hidden are on the post's page.
      listProperties: ['heading', 'authorId', 'status', 'readers', 'publishedAt', 'updatedAt'],
      showProperties: [
        'id',
        'title',
        'status',
        'readers',
        'publishedAt',
        'hiddenAt',
        'hiddenReason',
        'hiddenBy',
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
        readers: { type: 'string', isSortable: false },
        title: { type: 'string' },
        authorId: { reference: 'User' },
        hiddenBy: { reference: 'User' },
        hiddenReason: { type: 'textarea' },
        content: { type: 'textarea', props: { rows: 20 } },
        contentHtml: { components: { show: Components.PostSideBySide } },
      },
      actions: {
        ...without('new'),
        // "Re-render all matching" acts on the list's filter: offered above the list, not on a post's pages.
        show: { showResourceActions: false },
        edit: { ...postEditAction(posts), showResourceActions: false },
        hide: hideAction(posts),
        restore: restoreAction(posts),
        bulkHide: bulkHideAction(posts),
        // A page that names the post and its author, with Cancel (AdminJS's modal says one sentence for all).
        delete: confirmedDelete(async (record) => {
          const [author] = await dataSource.query<{ email: string }[]>('SELECT email FROM users WHERE id = $1', [
            record.params.authorId,
          ]);
          const heading = record.title() || 'this post';
          const shown = heading.length > 80 ? `${heading.slice(0, 79)}…` : heading;
          return {
            question: `Delete “${shown}” by ${author?.email ?? 'a deleted account'} for good?`,
            consequence:
              'Its author loses it too and is told by e-mail; only the audit log keeps its title and Markdown. To take it out of sight and keep it, hide it instead.',
          };
        }),
        bulkDelete: {
          guard:
            'Delete the selected posts for good? Their authors lose them too and are told by e-mail; only the audit log keeps their title ' +
            'and Markdown. To take them out of sight and keep them, hide them instead.',
        },
        rerenderAll: allMatchingAction({
          icon: 'RefreshCw',
          chunk: RERENDER_CHUNK,
          explanation: 'Render {count} again with the current content engine. Posts edited meanwhile keep their edit.',
          noun: ['post', 'posts'],
          done: 're-rendered',
          button: 'Re-render all',
          run: (ids, actorId) => posts.rerender(actorId, ids),
        }),
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
