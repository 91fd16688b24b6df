/**
 * What the user is writing, kept in localStorage on every change, so that a reload, a crash, a
 * failed publish or a lost connection loses nothing. One copy per account and place: `<user>:new`
 * for /write, `<user>:post:<id>` for an edit (an edit's copy also remembers which version of the
 * post it started from). The server keeps drafts too (useServerDraft); this copy is the fallback
 * while it cannot, and records which server draft it belongs to and whether the server has caught
 * up with it. Signing out deletes the account's copies from this browser (after asking, see
 * AppHeader, when some are not on the server), so the next person at a shared computer cannot
 * read them; a session that merely ends keeps them for the next sign-in.
 */
import { ref, watch } from 'vue';

const PREFIX = 'nuell:draft:';

interface StoredDraft {
  readonly title: string;
  readonly content: string;
  /** The updatedAt of the post an edit started from; null for a new post. */
  readonly base: string | null;
  readonly savedAt: string;
  /** The server draft this text belongs to, and the version of it the server last confirmed. */
  readonly id: string | null;
  readonly etag: string | null;
  /** The server has exactly this title and text. */
  readonly synced: boolean;
}

export function readDraft(key: string): StoredDraft | null {
  try {
    const raw = localStorage.getItem(PREFIX + key);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<StoredDraft>;
    return typeof value.content === 'string'
      ? {
          title: typeof value.title === 'string' ? value.title : '',
          content: value.content,
          base: value.base ?? null,
          savedAt: value.savedAt ?? '',
          id: value.id ?? null,
          etag: value.etag ?? null,
          synced: value.synced === true,
        }
      : null;
  } catch {
    return null;
  }
}

function writeDraft(key: string, draft: Omit<StoredDraft, 'savedAt'>): boolean {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify({ ...draft, savedAt: new Date().toISOString() }));
    return true;
  } catch {
    return false; // storage full or disabled: the editor says so
  }
}

function discardDraft(key: string): void {
  try {
    localStorage.removeItem(PREFIX + key);
  } catch {
    // nothing stored
  }
}

/** The keys of this account's drafts that hold writing the server does not have. */
export function draftsOf(userId: string): string[] {
  const keys: string[] = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i)?.slice(PREFIX.length);
      const draft = key?.startsWith(`${userId}:`) ? readDraft(key) : null;
      if (key && draft && !draft.synced && (draft.content.trim() || draft.title.trim())) keys.push(key);
    }
  } catch {
    // storage disabled: nothing kept
  }
  return keys;
}

/** Deletes every draft of this account from this browser. */
export function discardDraftsOf(userId: string): void {
  const keys: string[] = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key?.startsWith(`${PREFIX}${userId}:`)) keys.push(key);
    }
    for (const key of keys) localStorage.removeItem(key);
  } catch {
    // storage disabled: nothing kept
  }
}

interface Start {
  readonly title: string;
  readonly content: string;
  readonly base: string | null;
  /** For an existing post: its id and version, which a stored copy of another post never overrides. */
  readonly id?: string | null;
  readonly etag?: string | null;
}

export function useDraft(key: string, initial: () => Start) {
  const start = initial();
  const stored = readDraft(key);
  // A copy the server had caught up with has nothing the server lacks, and the server may have
  // newer text (written on another device): the server's wins.
  const saved = stored?.synced && start.id ? null : stored;
  const title = ref(saved?.title ?? start.title);
  const content = ref(saved?.content ?? start.content);
  const base = ref(saved ? saved.base : start.base);
  const id = ref<string | null>(start.id ?? saved?.id ?? null);
  const etag = ref<string | null>(start.etag ?? saved?.etag ?? null);
  const synced = ref(saved?.synced ?? true);
  /** A copy was found that differs from what the server has. */
  const restored = ref(saved !== null && (saved.content !== start.content || saved.title !== start.title));
  const persisted = ref(true);

  function write(): void {
    persisted.value = writeDraft(key, {
      title: title.value,
      content: content.value,
      base: base.value,
      id: id.value,
      etag: etag.value,
      synced: synced.value,
    });
  }
  watch([title, content], () => {
    synced.value = false;
    write();
  });
  watch([id, etag, synced], write);

  /** After a publish, or once the text is thrown away: nothing of it stays in this browser. */
  function clear(): void {
    discardDraft(key);
    restored.value = false;
  }

  return { title, content, base, id, etag, synced, restored, persisted, clear };
}
