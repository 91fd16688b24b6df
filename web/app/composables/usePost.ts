/**
 * One post, with the version the server gave it (its ETag), so that an edit or a delete can say
 * which version it meant (If-Match) and learn with a 412 that the post changed elsewhere.
 */
import { computed, ref } from 'vue';
import { useAuthStore } from '~/stores/auth';
import { problemOf, unreachable, type Problem } from '~/utils/problem';

export function usePost(id: () => string) {
  const api = useApi();
  const auth = useAuthStore();
  const etag = ref<string | null>(null);
  const {
    data: post,
    loading,
    problem,
    notFound,
    load,
  } = useResource(async () => {
    const answer = await api.GET('/api/v1/posts/{id}', { params: { path: { id: id() } } });
    etag.value = answer.response.headers.get('etag');
    return answer;
  });

  /** Authors may change their own posts; admins any post. */
  const canModerate = computed(
    () => !!post.value && !!auth.user && (auth.user.id === post.value.author.id || auth.user.role === 'admin'),
  );

  /** Deletes the version we loaded (If-Match, when the API gave an ETag); null once it is gone. */
  async function remove(): Promise<Problem | null> {
    try {
      const { error, response } = await api.DELETE('/api/v1/posts/{id}', {
        params: { path: { id: id() } },
        headers: etag.value ? { 'if-match': etag.value } : {},
      });
      return response.ok ? null : problemOf(response, error);
    } catch {
      return unreachable();
    }
  }

  return { post, etag, loading, problem, notFound, canModerate, load, remove };
}
