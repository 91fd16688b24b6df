/**
 * A list of posts read a page at a time over the API's cursor (`nextCursor`), newest first.
 * `more()` is safe to call repeatedly (from a scroll sentinel and a button at once): one page
 * is in flight at a time, and nothing is fetched past the last page.
 */
import { computed, ref, shallowRef } from 'vue';
import type { Post } from '~/api/client';
import { problemOf, unreachable, type Problem } from '~/utils/problem';

interface FeedOptions {
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

  async function more(): Promise<void> {
    if (loading.value || done.value || error.value) return;
    loading.value = true;
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

  return { items, loading, error, done, more, retry };
}
