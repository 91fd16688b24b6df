/**
 * What the posts' moderation actions (resources/post-moderation.ts) hand their pages
 * (components/moderate-post.tsx, components/post-edit.tsx). Types only, imported with
 * `import type`, so nothing of this file reaches the browser bundle.
 */

/** `custom` of Hide, Restore and the bulk Hide, drawn by ModeratePost. */
export interface ModeratePostCustom {
  /** The verb of the question: "Hide “…”?", "Restore “…”?". */
  readonly verb: 'Hide' | 'Restore';
  /** What follows from saying yes. */
  readonly consequence: string;
  /** Whether the reason must be given (hiding: the author reads it). */
  readonly reasonRequired: boolean;
  /** The reason's label and hint. */
  readonly reasonLabel: string;
  readonly reasonHint: string;
  /** Longest reason, in characters. */
  readonly reasonMax: number;
}

/**
 * What a refused save of the edit form answers besides the record: the author saved a newer
 * version while the operator edited, so nothing was written; this is that version.
 */
export interface PostEditConflict {
  readonly version: number;
  readonly content: string;
  /** ISO time of the author's save. */
  readonly updatedAt: string;
}

/** The edit action's answer (PostEdit reads `conflict` when there is one). */
export interface PostEditResponse {
  readonly conflict?: PostEditConflict;
}
