/**
 * One post, with the version the server gave it (its ETag), so that an edit or a delete can say
 * which version it meant (If-Match) and learn with a 412 that the post changed elsewhere.
 */
import { computed, ref, shallowRef } from 'vue';
import type { Post } from '~/api/client';
import { useAuthStore } from '~/stores/auth';
import { problemOf, unreachable, type Problem } from '~/utils/problem';

export function usePost(id: () => string) {
  const api = useApi();
  const auth = useAuthStore();
  const post = shallowRef<Post | null>(null);
  const etag = ref<string | null>(null);
  const loading = ref(true);
  const problem = shallowRef<Problem | null>(null);

  async function load(): Promise<void> {
    loading.value = true;
    problem.value = null;
    try {
      const { data, error, response } = await api.GET('/api/v1/posts/{id}', { params: { path: { id: id() } } });
      if (data) {
        post.value = data;
        etag.value = response.headers.get('etag');
      } else problem.value = problemOf(response, error);
    } catch {
      problem.value = unreachable();
    } finally {
      loading.value = false;
    }
  }

  /** Authors may change their own posts; admins any post. */
  const canModerate = computed(
    () => !!post.value && !!auth.user && (auth.user.id === post.value.author.id || auth.user.role === 'admin'),
  );

  /** Headers that make a write conditional on the version we loaded (when the API gave one). */
  const ifMatch = () => (etag.value ? { 'if-match': etag.value } : {});

  async function remove(): Promise<Problem | null> {
    try {
      const { error, response } = await api.DELETE('/api/v1/posts/{id}', {
        params: { path: { id: id() } },
        headers: ifMatch(),
      });
      return response.ok ? null : problemOf(response, error);
    } catch {
      return unreachable();
    }
  }

  return { post, etag, loading, problem, canModerate, load, remove, ifMatch };
}
