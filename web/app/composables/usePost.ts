/**
 * One post, with the version the server gave it (its ETag), so that an edit or a delete can say
 * which version it meant (If-Match) and learn with a 412 that the post changed elsewhere.
 *
 * A post is read by any of its references (its UUID, `{slug}-{shortId}`, the short id); the page
 * then moves to the canonical one (`post.path`). `handOver()` gives the post it has to the page
 * at that address, so moving there does not read it twice.
 */
import { computed, ref } from 'vue';
import type { Post } from '~/api/client';
import { useAuthStore } from '~/stores/auth';
import { problemOf, unreachable, type Problem } from '~/utils/problem';

let handed: { ref: string; post: Post; etag: string | null } | null = null;

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
    const given = handed?.ref === id() ? handed : null;
    handed = null;
    if (given) {
      etag.value = given.etag;
      return { data: given.post, response: new Response(null, { status: 200 }) };
    }
    // Who asks decides what is answered (a draft or a post an operator hid: its author only), so a
    // page opened directly waits for the session to be restored from the refresh cookie.
    await auth.restore();
    const answer = await api.GET('/api/v1/posts/{id}', { params: { path: { id: id() } } });
    etag.value = answer.response.headers.get('etag');
    return answer;
  });

  /** For the page at the post's canonical path, which is about to replace this one. */
  function handOver(): void {
    if (post.value) handed = { ref: post.value.path.replace(/^\/posts\//, ''), post: post.value, etag: etag.value };
  }

  /**
   * Reads the post again without showing it loading (it changed while shown: PostLive): whether it
   * changed, stayed the same, or is gone for this reader (404).
   */
  async function refresh(): Promise<'changed' | 'same' | 'gone' | 'failed'> {
    const before = post.value;
    try {
      const { data, response } = await api.GET('/api/v1/posts/{id}', {
        params: { path: { id: before?.id ?? id() } },
      });
      if (!data) return response.status === 404 ? 'gone' : 'failed';
      post.value = data;
      etag.value = response.headers.get('etag');
      return data.updatedAt === before?.updatedAt ? 'same' : 'changed';
    } catch {
      return 'failed';
    }
  }

  /** Authors may change their own posts; admins any post. */
  const canModerate = computed(
    () => !!post.value && !!auth.user && (auth.user.id === post.value.author.id || auth.user.role === 'admin'),
  );

  /** Deletes the version we loaded (If-Match, when the API gave an ETag); null once it is gone. */
  async function remove(): Promise<Problem | null> {
    try {
      // The post's id: the page's address may be its readable path, which only reading accepts.
      const { error, response } = await api.DELETE('/api/v1/posts/{id}', {
        params: { path: { id: post.value?.id ?? id() } },
        headers: etag.value ? { 'if-match': etag.value } : {},
      });
      return response.ok ? null : problemOf(response, error);
    } catch {
      return unreachable();
    }
  }

  return { post, etag, loading, problem, notFound, canModerate, load, refresh, remove, handOver };
}
