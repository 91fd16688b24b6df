import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { NIL } from 'uuid';
import { AuditRepository } from '../audit/audit.repository.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ContentService } from '../content/content.service.js';
import { assertMatches, type IfMatch, StaleVersion } from '../http/etag.js';
import { TypedProblem, ValidationProblem } from '../http/problem.js';
import { MailService } from '../mail/mail.service.js';
import { templates } from '../mail/templates.js';
import type { Principal } from '../policy/access.js';
import {
  type PostDto,
  type PostPageDto,
  type RenderedContentDto,
  toPostDto,
  toRenderedContentDto,
} from './dto/posts.dto.js';
import { decodeCursor, encodeCursor } from './feed-cursor.js';
import { HIDDEN_REASON_MAX, type Post, type PostStatus } from './post.entity.js';
import { parsePostRef, postPath } from './post-path.js';
import { type PostColumns, type PostRow, PostsRepository } from './posts.repository.js';
import { renderAndStore } from './rerender.js';
import { UsersRepository } from '../users/users.repository.js';

export const DEFAULT_PAGE = 20;

/** A published post's place on the site, and when it last changed. */
export interface PublishedPath {
  readonly path: string;
  readonly updatedAt: string;
}

/** What a writer may change of a post; a title of null removes it. */
export interface PostChanges {
  readonly content?: string | undefined;
  readonly title?: string | null | undefined;
  readonly status?: PostStatus | undefined;
}

/** A post to write: published unless it says draft, untitled unless it says otherwise. */
export interface NewPost extends PostChanges {
  readonly content: string;
}

/** 403 with its own problem type, so the web app can offer to resend the verification e-mail. */
export class EmailNotVerified extends TypedProblem {
  constructor() {
    super(
      403,
      'email-not-verified',
      'Verify your e-mail address before publishing: follow the link we sent you, or ask for a new one.',
    );
  }
}

/** Publishing a post that would show nothing (only blanks, only a <style> element, an empty list) is refused. */
function assertShowsSomething(excerpt: string): void {
  if (excerpt === '') {
    throw new ValidationProblem([
      { field: 'content', pointer: '/content', detail: 'The post would show nothing: write some text.' },
    ]);
  }
}

/** What the content engine derives from the Markdown, as stored. */
type RenderedColumns = Pick<
  Post,
  'content' | 'contentHtml' | 'excerpt' | 'wordCount' | 'readingTimeMinutes' | 'rendererVersion'
>;

const versioned = (row: PostRow): VersionedPost => ({
  post: toPostDto(row),
  version: row.version,
  // Strictly before: timestamps reach here to the millisecond, and a tie must not pass for older.
  revalidates: row.author_updated_at !== undefined && row.author_updated_at < row.updated_at,
});

/** A page of `limit` posts from `limit + 1` rows (the extra one says there is a next page). */
function pageOf(rows: readonly PostRow[], limit: number): PostPageDto {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(toPostDto),
    nextCursor: rows.length > limit && last?.position ? encodeCursor({ at: last.position, id: last.id }) : null,
  };
}

/**
 * An operator's reason for hiding (required) or restoring (optional): trimmed, at most
 * HIDDEN_REASON_MAX characters; blank counts as none.
 */
function reasonOf(reason: string | null | undefined, required: true): string;
function reasonOf(reason: string | null | undefined, required: false): string | null;
function reasonOf(reason: string | null | undefined, required: boolean): string | null {
  const trimmed = (reason ?? '').trim();
  let detail: string | undefined;
  if (required && trimmed === '') detail = 'Say why the post is hidden: its author reads the reason.';
  else if (Array.from(trimmed).length > HIDDEN_REASON_MAX)
    detail = `The reason must be at most ${HIDDEN_REASON_MAX} characters (it has ${Array.from(trimmed).length}).`;
  if (detail) throw new ValidationProblem([{ field: 'reason', pointer: '/reason', detail }]);
  return trimmed === '' ? null : trimmed;
}

/** A post's name in an e-mail or a message: its title, else the start of its text. */
function nameOf(post: Pick<Post, 'title' | 'excerpt'>): string {
  if (post.title) return post.title;
  const start = post.excerpt.slice(0, 60);
  return start.length < post.excerpt.length ? `${start.replace(/\s+\S*$/, '')}…` : start || 'Untitled';
}

/** A post and its version, which the controller sends as the ETag. */
export interface VersionedPost {
  readonly post: PostDto;
  readonly version: number;
  /**
   * Whether the version alone tells that a reader's copy is current, so that If-None-Match naming
   * it may be answered 304. Not when the author's account changed after this version was written:
   * the answer shows their name, which the version does not cover, so a copy of the same version
   * may show an older one.
   */
  readonly revalidates: boolean;
}

/**
 * Posts: the public feed (keyset pagination, newest first), and writing, which renders through
 * the ContentService and stores the renderer version with the result. Posts of deactivated
 * accounts are hidden everywhere. Operators moderate from the control panel or, as admins, through
 * the API: every edit or deletion of someone else's post, and every re-rendering, is audited in
 * the transaction of the change. Operators hide a post rather than delete it (hide, restore): it
 * leaves every public read but stays whole, its author told why; a hard delete keeps the removed
 * title and Markdown in its audit entry.
 */
@Injectable()
export class PostsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly posts: PostsRepository,
    private readonly content: ContentService,
    private readonly audit: AuditRepository,
    private readonly mail: MailService,
    private readonly users: UsersRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(query: {
    limit?: number | undefined;
    cursor?: string | undefined;
    author?: string | undefined;
  }): Promise<PostPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE;
    // One more than asked tells whether there is a next page.
    return pageOf(await this.feed({ limit: limit + 1, after: query.cursor, authorId: query.author }), limit);
  }

  private feed(query: { limit: number; after?: string | undefined; authorId?: string | undefined }) {
    return this.posts.feed({
      limit: query.limit,
      ...(query.after ? { after: decodeCursor(query.after) } : {}),
      ...(query.authorId ? { authorId: query.authorId } : {}),
    });
  }

  /** The caller's own posts, drafts included, most recently changed first, a page at a time. */
  async listOwn(
    principal: Principal,
    query: { limit?: number | undefined; cursor?: string | undefined; status?: PostStatus | undefined },
  ): Promise<PostPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE;
    const rows = await this.posts.ownPosts({
      authorId: principal.userId,
      limit: limit + 1,
      ...(query.status ? { status: query.status } : {}),
      ...(query.cursor ? { after: decodeCursor(query.cursor) } : {}),
    });
    return pageOf(rows, limit);
  }

  /**
   * The newest published posts of active authors, as the feed shows them (optionally one author's,
   * after a `nextCursor` the feed gave): for what is built outside the API's routes, such as RSS.
   */
  async listPublished(query: { limit: number; after?: string; authorId?: string }): Promise<PostDto[]> {
    return (await this.feed(query)).map(toPostDto);
  }

  /**
   * A published post of an active author, by any reference a link may hold (its id, its path's
   * last segment, its short id); null for anything else, drafts and hidden posts included.
   */
  async findPublishedByRef(ref: string): Promise<PostDto | null> {
    const parsed = parsePostRef(ref);
    const row = parsed && (await this.posts.findVisible(parsed));
    return row?.status === 'published' && row.hidden_at === null ? toPostDto(row) : null;
  }

  /** Every published, unhidden post of an active author: its path and last change, for the sitemap. */
  async *walkPublished(batchSize = 1000): AsyncGenerator<PublishedPath> {
    let after: string = NIL; // below every id
    for (;;) {
      const rows = await this.posts.publishedAfter(after, batchSize);
      for (const row of rows) {
        const { path } = postPath({ title: row.title, excerpt: row.excerpt, shortId: row.short_id });
        yield { path, updatedAt: row.updated_at.toISOString() };
      }
      const last = rows[rows.length - 1];
      if (!last || rows.length < batchSize) return;
      after = last.id;
    }
  }

  /**
   * A post as its reader gets it: a draft only by its author; a post an operator hid only by its
   * author and by admins (to anyone else it does not exist). A personal access token or an app
   * reads as the author only with `posts:write`, the scope that opens the drafts: one made to sign
   * people in, or to read a profile, sees what anyone sees.
   */
  async get(ref: string, viewer?: Principal): Promise<VersionedPost> {
    const parsed = parsePostRef(ref);
    const row = parsed && (await this.posts.findVisible(parsed));
    const own = row?.author_id === viewer?.userId && viewer !== undefined && viewer.scopes.includes('posts:write');
    if (!row || (row.status === 'draft' && !own) || (row.hidden_at !== null && !own && viewer?.role !== 'admin'))
      throw new NotFoundException('No such post.');
    return versioned(row);
  }

  /** A post as its writer gets it back after a change. */
  private async written(id: string): Promise<VersionedPost> {
    const row = await this.posts.findVisible({ id });
    if (!row) throw new NotFoundException('No such post.');
    return versioned(row);
  }

  /**
   * At most POST_MAX_CHARS characters (code points, as the database counts); not only blanks,
   * unless a draft.
   */
  private checkContent(content: string, status: PostStatus): void {
    const length = Array.from(content).length;
    let detail: string | undefined;
    if (status === 'published' && content.trim() === '') detail = 'content must not be empty';
    else if (length > this.config.postMaxChars)
      detail = `content must be at most ${this.config.postMaxChars} characters (it has ${length})`;
    if (detail) throw new ValidationProblem([{ field: 'content', pointer: '/content', detail }]);
  }

  /** Publishing waits for a verified address, unless the operator lets unverified accounts publish. */
  private assertMayPublish(principal: Principal): void {
    if (this.config.requireVerifiedEmail && !principal.emailVerified) throw new EmailNotVerified();
  }

  async preview(content: string): Promise<RenderedContentDto> {
    this.checkContent(content, 'published');
    return toRenderedContentDto(await this.content.render(content));
  }

  /** The post's columns for this (checked) Markdown: rendered, stamped with the renderer version. */
  private async renderedColumns(content: string): Promise<RenderedColumns> {
    const rendered = await this.content.render(content);
    return {
      content,
      contentHtml: rendered.html,
      excerpt: rendered.excerpt,
      wordCount: rendered.wordCount,
      readingTimeMinutes: rendered.readingTimeMinutes,
      rendererVersion: this.content.version,
    };
  }

  /** A post written now: published unless it is a draft. */
  async create(principal: Principal, post: NewPost): Promise<VersionedPost> {
    const { content, title = null, status = 'published' } = post;
    if (status === 'published') this.assertMayPublish(principal);
    this.checkContent(content, status);
    const columns = await this.renderedColumns(content);
    if (status === 'published') assertShowsSomething(columns.excerpt);
    return this.written(await this.posts.insert({ authorId: principal.userId, title, status, ...columns }));
  }

  /**
   * The post, if it exists for this caller and may be changed by them (its author, or an admin
   * for a published post: others' drafts are no one's business), as If-Match asks.
   */
  private async editable(principal: Principal, id: string, ifMatch: IfMatch | undefined): Promise<Post> {
    const post = await this.posts.findById(id);
    if (!post || (post.status === 'draft' && post.authorId !== principal.userId)) {
      throw new NotFoundException('No such post.');
    }
    if (post.authorId !== principal.userId && principal.role !== 'admin') {
      throw new ForbiddenException('Only the author or an admin may change this post.');
    }
    assertMatches(ifMatch, post.version);
    return post;
  }

  /**
   * Where a change applies: the post and, when If-Match names versions, the version just checked.
   * Of racing changes that name the same ETag, exactly one wins and the others answer 412.
   */
  private target(post: Post, ifMatch: IfMatch | undefined): FindOptionsWhere<Post> {
    return ifMatch && 'versions' in ifMatch ? { id: post.id, version: post.version } : { id: post.id };
  }

  /** A change touched nothing: the post went away meanwhile (404), or moved on under If-Match (412). */
  private async missed(id: string): Promise<never> {
    const now = await this.posts.findById(id);
    if (!now) throw new NotFoundException('No such post.');
    throw new StaleVersion(now.version);
  }

  /**
   * Records an operator's edit of someone else's post, with what it changed before and after, and
   * tells its author (they would otherwise find their words changed without a word).
   */
  private async recordEdit(actorId: string, post: Post, after: PostChanges, manager: EntityManager): Promise<void> {
    // Only what was sent: a body's absent fields may still be keys, holding undefined.
    const sent = Object.keys(after).filter((field) => after[field as keyof PostChanges] !== undefined);
    const before = Object.fromEntries(sent.map((field) => [field, post[field as keyof PostChanges]]));
    await this.audit.record(
      'post_updated',
      { actorId, target: { type: 'post', id: post.id }, data: { authorId: post.authorId, before, after } },
      manager,
    );
    if (actorId !== post.authorId)
      await this.tellAuthor(post, (name, url) => templates.postEdited(name, nameOf(post), url), manager);
  }

  /**
   * Records an operator's deletion of someone else's post, keeping the evidence: its author, title
   * and Markdown (and whether and why it was hidden), so the entry shows what was removed; and
   * tells its author.
   */
  private async recordDeletion(actorId: string, post: Post, manager: EntityManager): Promise<void> {
    await this.audit.record(
      'post_deleted',
      {
        actorId,
        target: { type: 'post', id: post.id },
        data: {
          authorId: post.authorId,
          before: {
            title: post.title,
            content: post.content,
            status: post.status,
            publishedAt: post.publishedAt?.toISOString() ?? null,
            excerpt: post.excerpt,
            wordCount: post.wordCount,
            hidden: post.hiddenAt ? { at: post.hiddenAt.toISOString(), reason: post.hiddenReason } : null,
          },
        },
      },
      manager,
    );
    if (actorId !== post.authorId)
      await this.tellAuthor(post, (name) => templates.postDeleted(name, nameOf(post)), manager);
  }

  /**
   * Changes a post's content, title or status. Going from draft to published publishes it (as
   * writing a published post would be checked; the first time sets publishedAt); going back to
   * draft takes it out of the feed and keeps publishedAt.
   */
  async update(principal: Principal, id: string, changes: PostChanges, ifMatch?: IfMatch): Promise<VersionedPost> {
    const post = await this.editable(principal, id, ifMatch);
    const status = changes.status ?? post.status;
    const publishing = status === 'published' && post.status === 'draft';
    if (publishing) this.assertMayPublish(principal);
    if (changes.content !== undefined) this.checkContent(changes.content, status);
    else if (publishing) this.checkContent(post.content, status);
    const rendered = changes.content === undefined ? undefined : await this.renderedColumns(changes.content);
    if (status === 'published' && (rendered || publishing)) assertShowsSomething((rendered ?? post).excerpt);
    const columns: PostColumns = {
      ...rendered,
      ...(changes.title === undefined ? {} : { title: changes.title }),
      ...(changes.status === undefined ? {} : { status: changes.status }),
      ...(publishing && post.publishedAt === null ? { publishedAt: () => 'now()' } : {}),
    };
    const updated = await this.dataSource.transaction(async (manager) => {
      const count = await this.posts.update(this.target(post, ifMatch), columns, manager);
      if (count > 0 && post.authorId !== principal.userId)
        await this.recordEdit(principal.userId, post, changes, manager);
      return count;
    });
    if (!updated) await this.missed(id); // after the transaction: it reads through the pool
    return this.written(id);
  }

  async remove(principal: Principal, id: string, ifMatch?: IfMatch): Promise<void> {
    const post = await this.editable(principal, id, ifMatch);
    const deleted = await this.dataSource.transaction(async (manager) => {
      const count = await this.posts.delete(this.target(post, ifMatch), manager);
      if (count > 0 && post.authorId !== principal.userId) await this.recordDeletion(principal.userId, post, manager);
      return count;
    });
    if (!deleted) await this.missed(id);
  }

  /**
   * An operator rewrites a post's Markdown: rendered as the author's would be, audited with before
   * and after. With `version` (the one the operator's form loaded), the change applies only to that
   * version: if the author saved meanwhile, 412 (StaleVersion) and nothing is overwritten.
   */
  async moderate(actorId: string, id: string, content: string, version?: number): Promise<Post> {
    const post = await this.posts.findById(id);
    if (!post) throw new NotFoundException('No such post.');
    if (version !== undefined && post.version !== version) throw new StaleVersion(post.version);
    this.checkContent(content, post.status);
    if (post.content === content) return post;
    const columns = await this.renderedColumns(content);
    // A published post stays one that shows something, whoever edits it.
    if (post.status === 'published') assertShowsSomething(columns.excerpt);
    const updated = await this.dataSource.transaction(async (manager) => {
      const count = await this.posts.update({ id, version: post.version }, columns, manager);
      if (count > 0) await this.recordEdit(actorId, post, { content }, manager);
      return count;
    });
    if (!updated) await this.missed(id);
    return (await this.posts.findById(id)) ?? post;
  }

  /** An operator deletes a post; the audit entry keeps its author, title and Markdown. */
  async removeAsOperator(actorId: string, id: string): Promise<void> {
    const post = await this.posts.findById(id);
    if (!post) throw new NotFoundException('No such post.');
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.posts.delete({ id }, manager))) throw new NotFoundException('No such post.');
      await this.recordDeletion(actorId, post, manager);
    });
  }

  /**
   * An operator hides a post: it leaves every public read (the feed, the author's page, the RSS
   * feeds, the sitemap, the site's pages and GET /posts/{id} for anyone but its author and admins)
   * but is kept whole, as evidence and for a restore. The reason is required and shown to the
   * author, who is e-mailed; audited (`post_hidden`) with the reason and the post as it was, in
   * the same transaction. 409 when it is already hidden.
   */
  async hide(actorId: string, id: string, reason: string): Promise<Post> {
    const why = reasonOf(reason, true);
    const post = await this.posts.findById(id);
    if (!post) throw new NotFoundException('No such post.');
    if (post.hiddenAt) throw new ConflictException(`“${nameOf(post)}” is already hidden.`);
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.posts.setHidden(id, { reason: why, by: actorId }, manager)))
        await this.lost(post, 'is already hidden');
      await this.audit.record(
        'post_hidden',
        {
          actorId,
          target: { type: 'post', id },
          data: {
            authorId: post.authorId,
            reason: why,
            before: { title: post.title, content: post.content, status: post.status, version: post.version },
          },
        },
        manager,
      );
      await this.tellAuthor(post, (name, url) => templates.postHidden(name, nameOf(post), why, url), manager);
    });
    return (await this.posts.findById(id)) ?? post;
  }

  /**
   * An operator restores a hidden post: it is back wherever it was public. The reason is optional
   * (it goes to the author, who is e-mailed); audited (`post_restored`) with the reason and why it
   * had been hidden. 409 when it is not hidden.
   */
  async restore(actorId: string, id: string, reason?: string | null): Promise<Post> {
    const why = reasonOf(reason, false);
    const post = await this.posts.findById(id);
    if (!post) throw new NotFoundException('No such post.');
    if (!post.hiddenAt) throw new ConflictException(`“${nameOf(post)}” is not hidden.`);
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.posts.setHidden(id, null, manager))) await this.lost(post, 'is not hidden');
      await this.audit.record(
        'post_restored',
        {
          actorId,
          target: { type: 'post', id },
          data: {
            authorId: post.authorId,
            reason: why,
            hidden: { at: post.hiddenAt?.toISOString(), reason: post.hiddenReason, by: post.hiddenBy },
          },
        },
        manager,
      );
      await this.tellAuthor(post, (name, url) => templates.postRestored(name, nameOf(post), why, url), manager);
    });
    return (await this.posts.findById(id)) ?? post;
  }

  /** A hide or restore that changed nothing: the post went away meanwhile (404), or another operator got there first (409). */
  private async lost(post: Post, state: string): Promise<never> {
    if (!(await this.posts.findById(post.id))) throw new NotFoundException('No such post.');
    throw new ConflictException(`“${nameOf(post)}” ${state}.`);
  }

  /** Queues an e-mail to the post's author, in the change's transaction (sent only if it commits). */
  private async tellAuthor(
    post: Post,
    email: (name: string, url: string) => ReturnType<typeof templates.postHidden>,
    manager: EntityManager,
  ): Promise<void> {
    const author = await this.users.findById(post.authorId, manager);
    if (!author) return;
    const { path } = postPath({ title: post.title, excerpt: post.excerpt, shortId: post.shortId });
    await this.mail.send(author.email, email(author.displayName, `${this.config.publicUrl}${path}`), manager);
  }

  /**
   * Renders these posts again with the current content engine (posts:rerender does it for every
   * stale post); a post edited meanwhile keeps its edit. How many were re-rendered.
   */
  async rerender(actorId: string, ids: readonly string[]): Promise<number> {
    const rows = await this.posts.stamped(ids);
    if (rows.length === 0) return 0;
    const stored = await renderAndStore(this.posts, this.content, rows);
    await this.audit.record('posts_rerendered', {
      actorId,
      data: { posts: rows.map((row) => row.id), rerendered: stored, rendererVersion: this.content.version },
    });
    return stored;
  }
}
