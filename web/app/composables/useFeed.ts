/**
 * A list of posts read a page at a time over the API's cursor (`nextCursor`), newest first.
 * `more()` is safe to call repeatedly (from a scroll sentinel and a button at once): one page
 * is in flight at a time, and nothing is fetched past the last page.
 */
import { computed, ref, shallowRef } from 'vue';
import type { Post } from '~/api/client';
import { problemOf, unreachable, type Problem } from '~/utils/problem';

export interface FeedOptions {
  /** Only this author's posts. */
  readonly author?: string;
  readonly pageSize?: number;
}

export function useFeed(options: FeedOptions = {}) {
  const api = useApi();
  const items = ref<Post[]>([]);
  const cursor = shallowRef<string | null | undefined>(undefined); // undefined: nothing loaded yet
  const loading = ref(false);
  const error = shallowRef<Problem | null>(null);
  const done = computed(() => cursor.value === null);
  let generation = 0;

  async function more(): Promise<void> {
    if (loading.value || done.value || error.value) return;
    loading.value = true;
    const mine = generation;
    try {
      const {
        data,
        error: failure,
        response,
      } = await api.GET('/api/v1/posts', {
        params: {
          query: {
            limit: options.pageSize ?? 20,
            ...(cursor.value ? { cursor: cursor.value } : {}),
            ...(options.author ? { author: options.author } : {}),
          },
        },
      });
      if (mine !== generation) return; // reset meanwhile: this page belongs to an older list
      if (data) {
        const seen = new Set(items.value.map((post) => post.id));
        items.value = [...items.value, ...data.items.filter((post) => !seen.has(post.id))];
        cursor.value = data.nextCursor;
      } else {
        error.value = problemOf(response, failure);
      }
    } catch {
      if (mine === generation) error.value = unreachable();
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  /** After an error: try the same page again. */
  function retry(): Promise<void> {
    error.value = null;
    return more();
  }

  /** Start over from the newest post. */
  function reset(): Promise<void> {
    generation++;
    items.value = [];
    cursor.value = undefined;
    error.value = null;
    loading.value = false;
    return more();
  }

  function remove(id: string): void {
    items.value = items.value.filter((post) => post.id !== id);
  }

  return { items, loading, error, done, more, retry, reset, remove };
}
