/**
 * Drafts on the server, saved while the user types: a pause of `delayMs` after a change sends the
 * title and text (the first save creates the draft, later ones change it with If-Match, so a copy
 * edited elsewhere is never overwritten). One save is in flight at a time; a change made meanwhile
 * is sent when it returns. Without a connection the local copy (useDraft) holds the text, and the
 * next change or the browser coming back online sends it.
 */
import { getCurrentInstance, onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue';
import type { Post } from '~/api/client';
import { problemOf, unreachable, type Problem } from '~/utils/problem';

export type SaveState = 'idle' | 'saving' | 'saved' | 'offline' | 'refused' | 'conflict';

interface ServerDraftOptions {
  readonly title: Ref<string>;
  readonly content: Ref<string>;
  /** The server draft, once there is one, and the version of it this browser last saw. */
  readonly id: Ref<string | null>;
  readonly etag: Ref<string | null>;
  /** Whether the server has exactly the title and text (kept with the local copy). */
  readonly synced: Ref<boolean>;
  /** False for a published post: its changes wait for "Save changes". */
  readonly enabled: Ref<boolean>;
  readonly delayMs?: number;
  /** Each saved version (its updatedAt), for the edit's conflict check. */
  readonly onSaved?: (post: Post) => void;
}

export function useServerDraft(options: ServerDraftOptions) {
  const api = useApi();
  const state = ref<SaveState>(options.id.value && options.synced.value ? 'saved' : 'idle');
  const savedAt = ref<Date | null>(null);
  const problem = shallowRef<Problem | null>(null);
  const delay = options.delayMs ?? 1000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending = false; // a change waits for the pause
  let inFlight: Promise<void> | null = null;
  let again = false;

  const worthSaving = () =>
    options.id.value !== null || options.title.value.trim() !== '' || options.content.value.trim() !== '';

  async function send(): Promise<void> {
    const title = options.title.value;
    const content = options.content.value;
    const trimmed = title.trim();
    state.value = 'saving';
    try {
      const { data, error, response } = options.id.value
        ? await api.PATCH('/api/v1/posts/{id}', {
            params: { path: { id: options.id.value } },
            body: { title: trimmed === '' ? null : trimmed, content },
            headers: options.etag.value ? { 'if-match': options.etag.value } : {},
          })
        : await api.POST('/api/v1/posts', {
            body: { content, status: 'draft', ...(trimmed === '' ? {} : { title: trimmed }) },
          });
      if (data) {
        options.id.value = data.id;
        options.etag.value = response.headers.get('etag');
        options.synced.value = options.title.value === title && options.content.value === content;
        savedAt.value = new Date();
        state.value = 'saved';
        problem.value = null;
        options.onSaved?.(data);
        return;
      }
      problem.value = problemOf(response, error);
      state.value = problem.value.status === 412 ? 'conflict' : 'refused';
      // A burst of saves past the limit: wait as long as the API asks, then try again.
      if (problem.value.status === 429) schedule((problem.value.retryAfter ?? 5) * 1000);
    } catch {
      problem.value = unreachable();
      state.value = 'offline';
    }
  }

  /** Saves now (after any save in flight); resolves once the server has answered. */
  async function save(): Promise<void> {
    clearTimeout(timer);
    pending = false;
    if (!options.enabled.value || state.value === 'conflict' || !worthSaving()) return;
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = (async () => {
      // A change asked for meanwhile (set by another call while this one waits) goes next.
      const askedAgain = () => again;
      do {
        again = false;
        await send();
      } while (askedAgain() && state.value === 'saved');
    })();
    try {
      await inFlight;
    } finally {
      inFlight = null;
    }
  }

  function schedule(wait = delay): void {
    clearTimeout(timer);
    pending = true;
    timer = setTimeout(() => void save(), wait);
  }

  /** Stops any save not yet sent, and waits for one in flight (before publishing). */
  async function settle(): Promise<void> {
    clearTimeout(timer);
    pending = false;
    if (inFlight) await inFlight;
  }

  watch([options.title, options.content], () => {
    if (options.enabled.value && state.value !== 'conflict') schedule();
  });
  const retry = () => {
    if (state.value === 'offline' && !options.synced.value) void save();
  };
  window.addEventListener('online', retry);
  const stop = () => {
    window.removeEventListener('online', retry);
    // Leaving the page: what the pause had not sent yet goes now.
    if (pending) void save();
  };
  if (getCurrentInstance()) onBeforeUnmount(stop);

  return { state, savedAt, problem, save, settle, schedule, stop };
}
