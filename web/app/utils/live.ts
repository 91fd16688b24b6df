/**
 * What the API's change stream (`GET /api/v1/posts/stream`) says, and how the feed follows it:
 * pure functions over plain data, so the rules are tested without a browser or a connection
 * (web/test/live.spec.ts). The connection and the feed that follows it are useLiveEvents'.
 */
import type { Post } from '~/api/client';
import { publishedOf } from '~/utils/format';

export const LIVE_KINDS = [
  'post.created',
  'post.updated',
  'post.removed',
  'author.updated',
  'author.removed',
  'author.restored',
] as const;

export interface LiveEvent {
  /** Place in commit order: resuming after N gets every event with a greater seq. */
  readonly seq: number;
  readonly kind: (typeof LIVE_KINDS)[number];
  readonly postId: string | null;
  /** The post's author, or the author of an `author.*` event. */
  readonly authorId: string | null;
}

/** An event's data, or undefined when it is not one (never trusted blindly). */
export function parseLiveEvent(data: string): LiveEvent | undefined {
  try {
    const event = JSON.parse(data) as LiveEvent;
    if (Number.isSafeInteger(event.seq) && LIVE_KINDS.includes(event.kind)) return event;
  } catch {
    // not JSON
  }
}

/** The feed's order: newest first (published_at DESC, id DESC, as the API sorts it). */
export function newerFirst(a: Post, b: Post): number {
  const at = publishedOf(b).localeCompare(publishedOf(a));
  return at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/**
 * `items` with `incoming` in their places: a listed post is replaced where it is, a new one goes
 * where the feed's order puts it. One that sorts after the last loaded post is left for the next
 * page to bring, unless the list is complete (`done`).
 */
export function mergePosts(items: readonly Post[], incoming: readonly Post[], done: boolean): Post[] {
  const fresh = new Map(incoming.map((post) => [post.id, post]));
  const merged = items.map((post) => fresh.get(post.id) ?? post);
  const listed = new Set(items.map((post) => post.id));
  const last = items.at(-1);
  const added = incoming.filter((post) => !listed.has(post.id) && (done || !last || newerFirst(post, last) < 0));
  return added.length > 0 ? [...merged, ...added].sort(newerFirst) : merged;
}

export interface FeedState {
  readonly items: readonly Post[];
  /** New posts offered by the notice, not yet shown: post id → author id. */
  readonly pending: ReadonlyMap<string, string | null>;
}

export interface FeedStep extends FeedState {
  /** A post to read now: the reader's own new post (shown at once), or a listed one that changed. */
  readonly read?: string;
  /** An author whose listed posts should show their new name. */
  readonly rename?: string;
}

/**
 * The feed after one event, for the reader `me` (signed out: null). Others' new posts wait in
 * `pending` for the reader to ask; the reader's own appear at once; removed posts and the posts
 * of a removed author leave the list and the notice. Applying an event twice changes nothing more.
 */
export function followFeed(state: FeedState, event: LiveEvent, me: string | null): FeedStep {
  const { postId, authorId } = event;
  const listed = (id: string | null) => state.items.some((post) => post.id === id);
  switch (event.kind) {
    case 'post.created':
      if (!postId || listed(postId) || state.pending.has(postId)) return state;
      if (authorId && authorId === me) return { ...state, read: postId };
      return { ...state, pending: new Map(state.pending).set(postId, authorId) };
    case 'post.updated':
      return postId && listed(postId) ? { ...state, read: postId } : state;
    case 'post.removed':
    case 'author.removed': {
      const gone = (id: string, author: string | null) =>
        event.kind === 'post.removed' ? id === postId : author === authorId;
      const items = state.items.filter((post) => !gone(post.id, post.author.id));
      const pending = new Map([...state.pending].filter(([id, author]) => !gone(id, author)));
      return items.length === state.items.length && pending.size === state.pending.size ? state : { items, pending };
    }
    case 'author.updated':
      return state.items.some((post) => post.author.id === authorId) ? { ...state, rename: authorId! } : state;
    default:
      // author.restored: their posts are back in the feed at its next read; nothing here is wrong.
      return state;
  }
}

/**
 * The feed after a gap in what it heard (the stream could not replay that far, or the list was read
 * before the stream was open), set right by its first page read again: posts newer than the top of
 * the list are offered (the reader's own `me` are shown), listed posts the page covers but no
 * longer has are dropped, the rest are replaced by what the page says now.
 */
export function catchUp(state: FeedState, page: readonly Post[], lastPage: boolean, me: string | null): FeedState {
  const top = state.items[0];
  const oldest = page.at(-1);
  const inPage = new Set(page.map((post) => post.id));
  /** The page reaches down to this post: had it still been in the feed, the page would have it. */
  const covered = (post?: Post) => lastPage || (!!post && !!oldest && newerFirst(post, oldest) <= 0);
  const newer = page.filter((post) => !top || newerFirst(post, top) < 0);
  const pending = new Map(
    // Offered before: still offered if the page covers the top of the list and still has them.
    [...state.pending].filter(([id]) => inPage.has(id) || !covered(top)),
  );
  for (const post of newer) if (post.author.id !== me) pending.set(post.id, post.author.id);
  const kept = state.items.filter((post) => inPage.has(post.id) || !covered(post));
  const shown = page.filter((post) => !pending.has(post.id));
  return { items: mergePosts(kept, shown, lastPage), pending };
}
