/**
 * What the user is writing, kept in localStorage on every change, so that a reload, a crash or
 * a failed publish loses nothing. One draft per account and place: `<user>:new` for /write,
 * `<user>:post:<id>` for an edit (an edit's draft also remembers which version of the post it
 * started from). Signing out deletes the account's drafts from this browser (after asking, see
 * AppHeader), so the next person at a shared computer cannot read them; a session that merely
 * ends keeps them for the next sign-in.
 */
import { ref, watch } from 'vue';

const PREFIX = 'nuell:draft:';

interface StoredDraft {
  readonly content: string;
  /** The ETag or updatedAt of the post the edit started from; null for a new post. */
  readonly base: string | null;
  readonly savedAt: string;
}

export function readDraft(key: string): StoredDraft | null {
  try {
    const raw = localStorage.getItem(PREFIX + key);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<StoredDraft>;
    return typeof value.content === 'string'
      ? { content: value.content, base: value.base ?? null, savedAt: value.savedAt ?? '' }
      : null;
  } catch {
    return null;
  }
}

function writeDraft(key: string, content: string, base: string | null): boolean {
  try {
    const draft: StoredDraft = { content, base, savedAt: new Date().toISOString() };
    localStorage.setItem(PREFIX + key, JSON.stringify(draft));
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

/** The keys of this account's drafts that hold any text. */
export function draftsOf(userId: string): string[] {
  const keys: string[] = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i)?.slice(PREFIX.length);
      if (key?.startsWith(`${userId}:`) && readDraft(key)?.content.trim()) keys.push(key);
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

export function useDraft(key: string, initial: () => { content: string; base: string | null }) {
  const saved = readDraft(key);
  const start = initial();
  const content = ref(saved?.content ?? start.content);
  const base = ref(saved ? saved.base : start.base);
  /** A draft was found that differs from what the server has. */
  const restored = ref(saved !== null && saved.content !== start.content);
  const persisted = ref(true);

  watch(content, (value) => {
    persisted.value = writeDraft(key, value, base.value);
  });

  /** After a successful publish: the server has it now. */
  function clear(): void {
    discardDraft(key);
    restored.value = false;
  }

  return { content, base, restored, persisted, clear };
}
