/**
 * The home of the `posts` table. The feed is raw SQL (SELECT_POST) because keyset pagination on a
 * row comparison `(published_at, id) < (…)` is what its index serves and the query builder would
 * only obscure it; re-rendering writes whole batches in one statement. Everything else goes
 * through TypeORM's repository; its updates also raise the version column.
 */
import { Injectable } from '@nestjs/common';
import {
  DataSource,
  type EntityManager,
  type FindOptionsWhere,
  MoreThanOrEqual,
  type QueryDeepPartialEntity,
} from 'typeorm';
import { queryRows } from '../database/sql.js';
import { countPerDay, countRows, type DailyCount, type Tally } from '../database/table-counts.js';
import type { FeedPosition } from './feed-cursor.js';
import { Post, type PostStatus } from './post.entity.js';
import type { PostRef } from './post-path.js';
import { feedStatement, ownPostsStatement, SELECT_ONE_POST } from './post-queries.js';

/** A post as answers show it: with its author's public name, never the e-mail. */
export interface PostRow {
  id: string;
  title: string | null;
  short_id: string;
  status: PostStatus;
  content: string;
  content_html: string;
  excerpt: string;
  word_count: number;
  reading_time_minutes: number;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
  version: number;
  /** When an operator hid the post, and why (both null when it is not hidden). */
  hidden_at: Date | null;
  hidden_reason: string | null;
  /** The list's order key (published_at or updated_at) to the microsecond, for the cursor; a draft read alone has none. */
  position: string | null;
  author_id: string;
  author_display_name: string;
  /** When the author's account last changed: read with one post alone (findVisible), not in lists. */
  author_updated_at?: Date;
}

/** Columns to write: values, or SQL such as `() => 'now()'` where the database's clock decides. */
export type PostColumns = QueryDeepPartialEntity<Post>;

/** What a published post's path and last change are made of. */
export interface PublishedPostRow {
  id: string;
  title: string | null;
  excerpt: string;
  short_id: string;
  updated_at: Date;
}

/** A post whose stored rendering came from another renderer version. */
export interface StalePost {
  id: string;
  content: string;
  /** updated_at as PostgreSQL prints it, microseconds included, to compare exactly. */
  stamp: string;
}

export interface Rerendered {
  readonly id: string;
  readonly stamp: string;
  readonly html: string;
  readonly excerpt: string;
  readonly wordCount: number;
  readonly readingTimeMinutes: number;
}

@Injectable()
export class PostsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The table through the caller's transaction, when it passes its manager. */
  private posts(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(Post);
  }

  /**
   * Up to `limit` published, unhidden posts of active authors, newest publication first, strictly after the
   * cursor position (`at` to the microsecond, then id), optionally of one author.
   */
  feed(query: { limit: number; after?: FeedPosition; authorId?: string }): Promise<PostRow[]> {
    const { limit, after, authorId } = query;
    return queryRows<PostRow>(
      this.dataSource,
      feedStatement({ author: authorId !== undefined, after: after !== undefined }),
      [...(authorId === undefined ? [] : [authorId]), ...(after ? [after.at, after.id] : []), limit],
    );
  }

  /**
   * Up to `limit` of an author's own posts, drafts included, most recently changed first, strictly
   * after the cursor position (`at`: the last change, to the microsecond, then id), optionally of
   * one status.
   */
  ownPosts(query: { authorId: string; limit: number; status?: PostStatus; after?: FeedPosition }): Promise<PostRow[]> {
    const { authorId, limit, status, after } = query;
    return queryRows<PostRow>(
      this.dataSource,
      ownPostsStatement({ status: status !== undefined, after: after !== undefined }),
      [authorId, ...(status === undefined ? [] : [status]), ...(after ? [after.at, after.id] : []), limit],
    );
  }

  /**
   * The post, draft or published, hidden by an operator or not, if its author is active (posts of
   * suspended authors are out of sight): the caller decides who may read it.
   */
  async findVisible(ref: PostRef): Promise<PostRow | undefined> {
    const [row] =
      'id' in ref
        ? await queryRows<PostRow>(this.dataSource, `${SELECT_ONE_POST} WHERE p.id = $1 AND u.is_active`, [ref.id])
        : await queryRows<PostRow>(this.dataSource, `${SELECT_ONE_POST} WHERE p.short_id = $1 AND u.is_active`, [
            ref.shortId,
          ]);
    return row;
  }

  /**
   * The next `size` published, unhidden posts of active authors by primary key after `afterId`, with what
   * their path and last change need: a walk over every public post.
   */
  publishedAfter(afterId: string, size: number): Promise<PublishedPostRow[]> {
    return queryRows<PublishedPostRow>(
      this.dataSource,
      `SELECT p.id, p.title, p.excerpt, p.short_id, p.updated_at
         FROM posts p JOIN users u ON u.id = p.author_id
        WHERE p.status = 'published' AND p.hidden_at IS NULL AND u.is_active AND p.id > $1
        ORDER BY p.id LIMIT $2`,
      [afterId, size],
    );
  }

  findById(id: string): Promise<Post | null> {
    return this.posts().findOneBy({ id });
  }

  /**
   * Inserts a post and answers its id. A published one is published now by the database's clock,
   * the one its creation time comes from, so both are the same instant.
   */
  async insert(fields: Partial<Post>): Promise<string> {
    const posts = this.posts();
    const post = posts.create(fields);
    // An entity, not a copy: its BeforeInsert listener draws the id.
    await posts.insert(post.status === 'published' ? Object.assign(post, { publishedAt: () => 'now()' }) : post);
    return post.id;
  }

  /** Updates the posts matching `where` (raising their version); how many. */
  async update(where: FindOptionsWhere<Post>, fields: PostColumns, manager?: EntityManager): Promise<number> {
    return (await this.posts(manager).update(where, fields)).affected ?? 0;
  }

  /**
   * Hides a post that is not hidden, or restores (`hide` null) one that is, without raising its
   * version or moving updated_at (its content did not change). Whether it changed anything.
   */
  async setHidden(
    id: string,
    hide: { reason: string; by: string } | null,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const [, affected] = await manager.query<[unknown, number]>(
      hide
        ? `UPDATE posts SET hidden_at = now(), hidden_reason = $2, hidden_by = $3 WHERE id = $1 AND hidden_at IS NULL`
        : `UPDATE posts SET hidden_at = NULL, hidden_reason = NULL, hidden_by = NULL WHERE id = $1 AND hidden_at IS NOT NULL`,
      hide ? [id, hide.reason, hide.by] : [id],
    );
    return affected > 0;
  }

  async delete(where: FindOptionsWhere<Post>, manager?: EntityManager): Promise<number> {
    return (await this.posts(manager).delete(where)).affected ?? 0;
  }

  async countStale(rendererVersion: number): Promise<number> {
    const [{ n }] = await this.dataSource.query<[{ n: string }]>(
      'SELECT count(*) AS n FROM posts WHERE renderer_version <> $1',
      [rendererVersion],
    );
    return Number(n);
  }

  /** The next `size` stale posts by primary key after `afterId`. */
  staleBatch(rendererVersion: number, afterId: string, size: number): Promise<StalePost[]> {
    return this.dataSource.query<StalePost[]>(
      `SELECT id, content, updated_at::text AS stamp FROM posts
        WHERE renderer_version <> $1 AND id > $2 ORDER BY id LIMIT $3`,
      [rendererVersion, afterId, size],
    );
  }

  /** These posts' Markdown and update stamps, to re-render them. */
  stamped(ids: readonly string[]): Promise<StalePost[]> {
    return this.dataSource.query<StalePost[]>(
      'SELECT id, content, updated_at::text AS stamp FROM posts WHERE id = ANY($1::uuid[]) ORDER BY id',
      [ids],
    );
  }

  /** How many posts there are (estimated once there are very many: table-counts.ts). */
  count(): Promise<Tally> {
    return countRows(this.dataSource, 'posts');
  }

  /** Posts written at or after `since` (posts_feed_idx). */
  countCreatedSince(since: Date): Promise<number> {
    return this.posts().countBy({ createdAt: MoreThanOrEqual(since) });
  }

  /** Posts written on each of `days` UTC days from `firstDay` (posts_feed_idx). */
  postsPerDay(firstDay: Date, days: number): Promise<DailyCount[]> {
    return countPerDay(this.dataSource, 'posts', firstDay, days);
  }

  /**
   * Stores a batch of renderings in one short UPDATE. A post edited since it was read (its
   * updated_at moved) is left alone: the edit already rendered it. The version is not raised: the
   * author's content did not change.
   */
  async storeRendered(batch: readonly Rerendered[], rendererVersion: number): Promise<number> {
    const [, stored] = await this.dataSource.query<[unknown, number]>(
      `UPDATE posts p
          SET content_html = v.html, excerpt = v.excerpt, word_count = v.words,
              reading_time_minutes = v.minutes, renderer_version = $2
         FROM jsonb_to_recordset($1::jsonb)
              AS v(id uuid, stamp text, html text, excerpt text, words int, minutes int)
        WHERE p.id = v.id AND p.updated_at = v.stamp::timestamptz`,
      [
        JSON.stringify(
          batch.map((r) => ({
            id: r.id,
            stamp: r.stamp,
            html: r.html,
            excerpt: r.excerpt,
            words: r.wordCount,
            minutes: r.readingTimeMinutes,
          })),
        ),
        rendererVersion,
      ],
    );
    return stored;
  }
}
