import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation, VersionColumn } from 'typeorm';
import { AppEntity } from '../database/app-entity.js';
import type { User } from '../users/user.entity.js';

/**
 * A post: the author's Markdown plus what the content engine derived from it. The rendered
 * columns are written only by the content engine, never from user input.
 */
@Entity({ name: 'posts' })
@Check('posts_content_length_check', 'char_length(content) <= 100000')
@Index('posts_feed_idx', ['createdAt', 'id'])
@Index('posts_author_feed_idx', ['authorId', 'createdAt', 'id'])
export class Post extends AppEntity {
  /** The foreign key as a plain column too, so the control panel can show and filter it. */
  @Column({ name: 'author_id', type: 'uuid' })
  authorId!: string;

  @ManyToOne('User', (user: User) => user.posts, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'posts_author_id_fkey' })
  author?: Relation<User>;

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

  /** RENDERER_VERSION of @nuell/native that produced the rendered columns (0: unknown/older). */
  @Column({ name: 'renderer_version', type: 'integer', default: 0 })
  rendererVersion!: number;
}
