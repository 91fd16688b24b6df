/**
 * A list of posts read a page at a time over the API's cursor (`nextCursor`): the feed (newest
 * first, optionally one author's) or the signed-in user's own posts. `more()` is safe to call
 * repeatedly (from a scroll sentinel and a button at once): one page is in flight at a time, and
 * nothing is fetched past the last page.
 *
 * A list given a `place` is remembered when the reader leaves it and comes back as it was when
 * they return to the same history entry (Back): the same posts, however many pages were loaded,
 * so the router can put the scroll position back. A new visit reads the list afresh.
 */
import { computed, ref, shallowRef } from 'vue';
import type { Post } from '~/api/client';
import { problemOf, unreachable, type Problem } from '~/utils/problem';

interface FeedOptions {
  /** Only this author's posts. */
  readonly author?: string;
  /** The signed-in user's own posts in this state instead of the public feed. */
  readonly mine?: 'draft' | 'published';
  readonly pageSize?: number;
  /** Where the list is shown (see placeKey): Back to it restores what was loaded. */
  readonly place?: string;
}

interface Snapshot {
  readonly items: Post[];
  readonly cursor: string | null | undefined;
}

/** Lists the reader left, by place; a handful is plenty for Back. */
const places = new Map<string, Snapshot>();
const PLACES_KEPT = 10;

function remember(place: string, snapshot: Snapshot): void {
  places.delete(place);
  places.set(place, snapshot);
  for (const oldest of places.keys()) {
    if (places.size <= PLACES_KEPT) break;
    places.delete(oldest);
  }
}

const ENTRY = 'nuellEntry';

/**
 * The current history entry's own id, kept in `history.state` (the router keeps what it does not
 * know there): Back and Forward return to an entry with the same id, a new visit makes a new one.
 * Read it while the page is set up: by the time it unmounts, the history is already on the next page.
 */
export function placeKey(list: string): string {
  const state = (history.state ?? {}) as Record<string, unknown>;
  let entry = state[ENTRY];
  if (typeof entry !== 'string') {
    entry = Math.random().toString(36).slice(2) + Date.now().toString(36);
    history.replaceState({ ...state, [ENTRY]: entry }, '');
  }
  return `${entry as string}:${list}`;
}

export function useFeed(options: FeedOptions = {}) {
  const api = useApi();
  const saved = options.place ? places.get(options.place) : undefined;
  const items = ref<Post[]>(saved?.items ?? []);
  const cursor = shallowRef<string | null | undefined>(saved?.cursor); // undefined: nothing loaded yet
  const loading = ref(false);
  const error = shallowRef<Problem | null>(null);
  const done = computed(() => cursor.value === null);
  /** The list came back from an earlier visit to this place. */
  const restored = saved !== undefined;

  function page() {
    const query = {
      limit: options.pageSize ?? 20,
      ...(cursor.value ? { cursor: cursor.value } : {}),
    };
    return options.mine
      ? api.GET('/api/v1/users/me/posts', { params: { query: { ...query, status: options.mine } } })
      : api.GET('/api/v1/posts', {
          params: { query: { ...query, ...(options.author ? { author: options.author } : {}) } },
        });
  }

  async function more(): Promise<void> {
    if (loading.value || done.value || error.value) return;
    loading.value = true;
    try {
      const { data, error: failure, response } = await page();
      if (data) {
        const seen = new Set(items.value.map((post) => post.id));
        items.value = [...items.value, ...data.items.filter((post) => !seen.has(post.id))];
        cursor.value = data.nextCursor;
      } else {
        error.value = problemOf(response, failure);
      }
    } catch {
      error.value = unreachable();
    } finally {
      loading.value = false;
    }
  }

  /** After an error: try the same page again. */
  function retry(): Promise<void> {
    error.value = null;
    return more();
  }

  /** Keeps what is loaded for this place, for Back (called as the list's page is left). */
  function leave(): void {
    if (options.place && items.value.length > 0) remember(options.place, { items: items.value, cursor: cursor.value });
  }

  /** Reads the list again from its first page (more new posts than a page: useLiveFeed). */
  function restart(): Promise<void> {
    items.value = [];
    cursor.value = undefined;
    error.value = null;
    return more();
  }

  /** Drops a post from the list (a deleted draft). */
  function remove(id: string): void {
    items.value = items.value.filter((post) => post.id !== id);
  }

  return { items, loading, error, done, restored, more, retry, restart, leave, remove };
}
