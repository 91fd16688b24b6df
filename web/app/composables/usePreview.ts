/**
 * The live preview: renders the Markdown through POST /posts/preview (the same engine as a
 * published post), debounced while the user types. An answer that arrives after a newer request
 * was sent is dropped, so the preview never goes back in time; a 429 pauses calmly and retries.
 */
import { onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue';
import type { Rendered } from '~/api/client';
import { problemOf, unreachable, type Problem } from '~/utils/problem';

export function usePreview(content: Ref<string>, options: { delayMs?: number; enabled?: Ref<boolean> } = {}) {
  const api = useApi();
  const rendered = shallowRef<Rendered | null>(null);
  const pending = ref(false);
  const problem = shallowRef<Problem | null>(null);
  const delay = options.delayMs ?? 400;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sequence = 0;

  async function render(text: string): Promise<void> {
    const mine = ++sequence;
    if (text.trim() === '') {
      rendered.value = null;
      problem.value = null;
      pending.value = false;
      return;
    }
    pending.value = true;
    try {
      const { data, error, response } = await api.POST('/api/v1/posts/preview', { body: { content: text } });
      if (mine !== sequence) return; // a newer text was sent meanwhile
      if (data) {
        rendered.value = data;
        problem.value = null;
      } else {
        problem.value = problemOf(response, error);
        if (problem.value.status === 429) schedule(text, (problem.value.retryAfter ?? 5) * 1000);
      }
    } catch {
      if (mine === sequence) problem.value = unreachable();
    } finally {
      if (mine === sequence) pending.value = false;
    }
  }

  function schedule(text: string, wait = delay): void {
    clearTimeout(timer);
    timer = setTimeout(() => void render(text), wait);
  }

  watch(
    [content, () => options.enabled?.value ?? true],
    ([text, enabled]) => {
      if (enabled) schedule(text);
    },
    { immediate: true },
  );
  onBeforeUnmount(() => {
    clearTimeout(timer);
    sequence++;
  });

  return { rendered, pending, problem, renderNow: () => render(content.value) };
}
