/** What readers could see change, as the database announces it (migration ChangeEvents1765238400000). */
export const CHANGE_KINDS = [
  'post.created',
  'post.updated',
  'post.removed',
  'author.updated',
  'author.removed',
  'author.restored',
] as const;

export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface ChangeEvent {
  /** Place in commit order: every event after N is `seq > N`. */
  readonly seq: number;
  readonly kind: ChangeKind;
  /** The post, for `post.*`. */
  readonly postId: string | null;
  /** The post's author, or the author for `author.*`. */
  readonly authorId: string | null;
  /** When the change was committed (ISO 8601, UTC). */
  readonly at: string;
  /**
   * Whether the public may hear of it: false for an account without a post readers can see
   * (renamed, suspended, deleted), which still drops cached profiles but stays out of the stream.
   */
  readonly public: boolean;
}

/** The NOTIFY channel the triggers announce on. */
export const CHANGE_CHANNEL = 'nuell_changes';

const KINDS = new Set<string>(CHANGE_KINDS);

/** A NOTIFY payload as a ChangeEvent, or undefined when it is not one (never trusted blindly). */
export function parseChangeEvent(payload: string | undefined): ChangeEvent | undefined {
  if (!payload) return undefined;
  try {
    const e = JSON.parse(payload) as Partial<ChangeEvent>;
    if (typeof e.seq !== 'number' || !Number.isSafeInteger(e.seq)) return undefined;
    if (typeof e.kind !== 'string' || !KINDS.has(e.kind)) return undefined;
    return {
      seq: e.seq,
      kind: e.kind,
      postId: e.postId ?? null,
      authorId: e.authorId ?? null,
      at: String(e.at),
      public: e.public !== false,
    };
  } catch {
    return undefined;
  }
}
