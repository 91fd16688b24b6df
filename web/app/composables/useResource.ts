/**
 * One thing a page reads from the API (a post, an author, the sessions, a spent e-mailed link):
 * whether it is on its way, what came back, or the problem as the user should read it, and
 * `load()` to read it again (the "Try again" of ErrorState).
 *
 * Not Nuxt's useLazyAsyncData: its data is cached under a key shared across pages and its error
 * is a NuxtError, where the pages want the API's problem details (a 404 to say "not found", a
 * failure to retry, the status a link was refused with) and the response itself (a post's ETag).
 */
import { computed, getCurrentInstance, onMounted, ref, shallowRef } from 'vue';
import type { ApiClient } from '~/api/client';
import { problemOf, unreachable, type Problem } from '~/utils/problem';

/** What an openapi-fetch call resolves to. */
interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export function useResource<T>(
  read: (api: ApiClient) => Promise<Answer<T>>,
  /** `immediate: false` waits for `load()` (a link's token must be read first). */
  { immediate = true }: { immediate?: boolean } = {},
) {
  const api = useApi();
  const data = shallowRef<T | null>(null);
  const problem = shallowRef<Problem | null>(null);
  const loading = ref(immediate);
  /** The address names nothing: a 404, or a 400 for an id that cannot be one. */
  const notFound = computed(() => problem.value?.status === 404 || problem.value?.status === 400);

  /** Resolves to what was read, or null with `problem` set. */
  async function load(): Promise<T | null> {
    loading.value = true;
    problem.value = null;
    let result: T | null = null;
    try {
      const { data: value, error, response } = await read(api);
      if (response.ok) {
        result = value as T;
        data.value = result;
      } else problem.value = problemOf(response, error);
    } catch {
      problem.value = unreachable();
    } finally {
      loading.value = false;
    }
    return result;
  }

  // Outside a component (a unit test) the caller loads.
  if (immediate && getCurrentInstance()) onMounted(load);

  return { data, loading, problem, notFound, load };
}
