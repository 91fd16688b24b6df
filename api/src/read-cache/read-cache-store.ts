/**
 * The read cache's memory: answers as sent (bytes and the headers that describe them), by key,
 * least recently read first out, bounded in entries and in bytes, each kept at most a TTL. Every
 * answer carries tags (`feed`, `post:<id>`, `author:<id>`) that say what it shows; a change drops
 * every answer of a tag it touches. Free of Nest and of HTTP, so its rules are tested alone
 * (read-cache-store.spec.ts).
 *
 * The generation guards against a read racing a change: a read notes the generation before it
 * asks the database, and its answer is refused if one of its tags was dropped since (or everything
 * was), because the answer may predate the change that dropped it. Per tag, so that the changes of
 * other posts and authors do not keep a busy site from keeping anything; the generations of the
 * most recently dropped tags are remembered, and a read older than what was forgotten is refused.
 */

/** An answer as the cache keeps and serves it. */
export interface CachedAnswer {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
  readonly cacheControl: string;
  /** Whether If-None-Match naming the ETag may be answered 304 (see ReadCache). */
  readonly revalidates: boolean;
}

/** What the answer shows (its tags), and, for a feed page, the next page it makes worth keeping. */
export interface Placement {
  readonly tags: readonly string[];
  /** The key of the next page and its depth (the first page is 0): kept while this page is. */
  readonly next?: { readonly key: string; readonly depth: number } | undefined;
}

interface Entry extends CachedAnswer {
  readonly key: string;
  readonly tags: readonly string[];
  readonly next: Placement['next'];
  readonly bytes: number;
  readonly expires: number;
}

export interface ReadCacheLimits {
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly ttlMs: number;
}

/** What an entry costs beyond its body: its key, headers and bookkeeping, roughly. */
const OVERHEAD_BYTES = 400;

/** How many dropped tags' generations are remembered (far more than change during one read). */
const REMEMBERED_DROPS = 10_000;

export class ReadCacheStore {
  /** Insertion order is recency: the first entry is the least recently read. */
  private readonly entries = new Map<string, Entry>();
  private readonly tagged = new Map<string, Set<string>>();
  /** Keys of later feed pages whose previous page is kept, with their depth. */
  private readonly pages = new Map<string, number>();
  private bytes = 0;
  private current = 0;
  /** The generation each recently dropped tag was dropped in, oldest first. */
  private readonly dropped = new Map<string, number>();
  /** Reads begun before this generation are refused: everything was dropped, or their drops forgotten. */
  private horizon = 0;

  constructor(
    private readonly limits: ReadCacheLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Moves on at every drop: note it before a read, and give it to `set`. */
  get generation(): number {
    return this.current;
  }

  get size(): number {
    return this.entries.size;
  }

  get byteSize(): number {
    return this.bytes;
  }

  /** The answer kept for `key`, now the most recently read; undefined when none or expired. */
  get(key: string): CachedAnswer | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expires <= this.now()) {
      this.remove(entry);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /** The depth of a later feed page worth keeping (its previous page is kept), else undefined. */
  pageDepth(key: string): number | undefined {
    return this.pages.get(key);
  }

  /**
   * Keeps an answer read in `generation`; refused (false) when one of its tags was dropped since,
   * or when the answer alone would take more than an eighth of the room.
   */
  set(key: string, answer: CachedAnswer, placement: Placement, generation: number): boolean {
    if (generation < this.horizon) return false;
    for (const tag of placement.tags) if ((this.dropped.get(tag) ?? -1) >= generation) return false;
    const bytes = answer.body.length + key.length + OVERHEAD_BYTES;
    if (bytes > this.limits.maxBytes / 8) return false;
    const old = this.entries.get(key);
    if (old) this.remove(old);
    const entry: Entry = {
      ...answer,
      key,
      tags: placement.tags,
      next: placement.next,
      bytes,
      expires: this.now() + this.limits.ttlMs,
    };
    this.entries.set(key, entry);
    this.bytes += bytes;
    for (const tag of entry.tags) {
      let keys = this.tagged.get(tag);
      if (!keys) this.tagged.set(tag, (keys = new Set()));
      keys.add(key);
    }
    if (entry.next) this.pages.set(entry.next.key, entry.next.depth);
    for (const [, oldest] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes) break;
      this.remove(oldest);
    }
    return true;
  }

  /** Drops every answer that carries one of these tags. */
  drop(tags: readonly string[]): void {
    const generation = this.current++;
    for (const tag of tags) {
      this.dropped.delete(tag);
      this.dropped.set(tag, generation);
      const keys = this.tagged.get(tag);
      if (!keys) continue;
      for (const key of keys) {
        const entry = this.entries.get(key);
        if (entry) this.remove(entry);
      }
    }
    for (const [tag, at] of this.dropped) {
      if (this.dropped.size <= REMEMBERED_DROPS) break;
      this.dropped.delete(tag);
      this.horizon = at + 1;
    }
  }

  /** Drops everything. */
  clear(): void {
    this.horizon = ++this.current;
    this.dropped.clear();
    this.entries.clear();
    this.tagged.clear();
    this.pages.clear();
    this.bytes = 0;
  }

  private remove(entry: Entry): void {
    this.entries.delete(entry.key);
    this.bytes -= entry.bytes;
    for (const tag of entry.tags) {
      const keys = this.tagged.get(tag);
      keys?.delete(entry.key);
      if (keys?.size === 0) this.tagged.delete(tag);
    }
    if (entry.next) this.pages.delete(entry.next.key);
  }
}
