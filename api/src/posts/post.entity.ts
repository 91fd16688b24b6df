import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation, VersionColumn } from 'typeorm';
import { AppEntity } from '../database/app-entity.js';
import type { User } from '../users/user.entity.js';

export const POST_STATUSES = ['draft', 'published'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

/** Longest title, in characters once trimmed. */
export const TITLE_MAX = 120;

/** Longest reason an operator gives for hiding a post, in characters once trimmed. */
export const HIDDEN_REASON_MAX = 500;

/**
 * A post: the author's title and Markdown plus what the content engine derived from it. The
 * rendered columns are written only by the content engine, never from user input. Drafts are
 * seen by their author only; readers see published posts, newest publication first. A post an
 * operator hid (`hiddenAt` set) is out of every public read but kept whole, for its author, for
 * operators and as evidence, until an operator restores it.
 */
@Entity({ name: 'posts' })
@Check('posts_content_length_check', 'char_length(content) <= 100000')
@Check('posts_published_at_check', "status = 'draft' OR published_at IS NOT NULL")
@Check('posts_hidden_check', '(hidden_at IS NULL) = (hidden_reason IS NULL)')
@Index('posts_created_idx', ['createdAt', 'id'])
@Index('posts_published_idx', ['publishedAt', 'id'], { where: "status = 'published' AND hidden_at IS NULL" })
@Index('posts_author_published_idx', ['authorId', 'publishedAt', 'id'], {
  where: "status = 'published' AND hidden_at IS NULL",
})
@Index('posts_author_updated_idx', ['authorId', 'updatedAt', 'id'])
// Trigram index on the Markdown for the panel's words filter, made by its migration (pg_trgm).
@Index('posts_content_trgm_idx', { synchronize: false })
export class Post extends AppEntity {
  /** The foreign key as a plain column too, so the control panel can show and filter it. */
  @Column({ name: 'author_id', type: 'uuid' })
  authorId!: string;

  @ManyToOne('User', (user: User) => user.posts, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'posts_author_id_fkey' })
  author?: Relation<User>;

  /** Plain text, trimmed; null for posts written without one. */
  @Column({ type: 'varchar', length: TITLE_MAX, nullable: true })
  title!: string | null;

  /**
   * The last segment of the post's readable path (`/posts/{slug}-{shortId}`): only it decides
   * which post a path names, so links survive a new title. Drawn by the database.
   */
  @Index('posts_short_id_key', { unique: true })
  @Column({ name: 'short_id', type: 'text', default: () => 'posts_short_id()' })
  shortId!: string;

  @Column({ type: 'enum', enum: POST_STATUSES, enumName: 'post_status', default: 'draft' })
  status!: PostStatus;

  /** The first publication; kept when the post goes back to being a draft. */
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @Column({ type: 'text' })
  content!: string;

  @Column({ name: 'content_html', type: 'text' })
  contentHtml!: string;

  @Column({ type: 'text' })
  excerpt!: string;

  @Column({ name: 'word_count', type: 'integer' })
  wordCount!: number;

  @Column({ name: 'reading_time_minutes', type: 'integer' })
  readingTimeMinutes!: number;

  /**
   * Raised by TypeORM on every update of the post (re-rendering by `posts:rerender` excepted: the
   * author's content did not change). Sent as the ETag; If-Match compares against it.
   */
  @VersionColumn({ default: 1 })
  version!: number;

  /**
   * When an operator hid the post (null: it is not hidden). Hiding and restoring do not raise the
   * version nor move updated_at: the author's content did not change.
   */
  @Column({ name: 'hidden_at', type: 'timestamptz', nullable: true })
  hiddenAt!: Date | null;

  /** Why, in the operator's words, which the author reads; set exactly when hiddenAt is. */
  @Column({ name: 'hidden_reason', type: 'varchar', length: HIDDEN_REASON_MAX, nullable: true })
  hiddenReason!: string | null;

  /** The operator's account id (no foreign key: like the audit log, it outlives the account). */
  @Column({ name: 'hidden_by', type: 'uuid', nullable: true })
  hiddenBy!: string | null;

  /** RENDERER_VERSION of @nuell/native that produced the rendered columns (0: unknown/older). */
  @Column({ name: 'renderer_version', type: 'integer', default: 0 })
  rendererVersion!: number;
}
