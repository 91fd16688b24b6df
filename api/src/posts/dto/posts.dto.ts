import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import type { Rendered } from '../../content/content.service.js';
import { AtLeastOneField } from '../../http/validation.js';
import { NOT_ONLY_BLANKS } from '../../openapi/patterns.js';
import { NameField, Omittable } from '../../users/dto/users.dto.js';
import { HIDDEN_REASON_MAX, POST_STATUSES, type PostStatus, TITLE_MAX } from '../post.entity.js';
import { postPath } from '../post-path.js';
import type { PostRow } from '../posts.repository.js';

const MARKDOWN =
  'Markdown (CommonMark plus GitHub tables, strikethrough, task lists, autolinks). Characters are Unicode code points.';

/** A post's Markdown; `maxLength` is the deployment's POST_MAX_CHARS, filled in by buildOpenApiDocument. */
const ContentField = (description: string, rules: { required?: boolean; minLength?: number; pattern?: string } = {}) =>
  applyDecorators(
    ApiProperty({
      example: '# Hello\n\nMy **first** post, with a link to https://example.com.',
      description,
      ...rules,
    }),
    ...(rules.required === false ? [Omittable()] : []),
    // Registered as a stack of decorators would be (bottom up), so a non-string is told it is one.
    IsString(),
    MaxLength(200_000), // bounds the work; the configured limit is checked with a precise message
  );

/** Markdown to preview: not only blanks. */
export class PostContentDto {
  @ContentField(`${MARKDOWN} Not only blanks.`, { minLength: 1, pattern: NOT_ONLY_BLANKS })
  content!: string;
}

/** Published or not: a draft is seen by its author only. */
const StatusField = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({ enum: POST_STATUSES, example: 'draft', description }),
    Omittable(),
    IsIn(POST_STATUSES, { message: `status must be one of: ${POST_STATUSES.join(', ')}` }),
  );

/** A title, or null for none. */
const TitleField = () =>
  applyDecorators(
    NameField('title', TITLE_MAX, 'Hello, world'),
    ApiPropertyOptional({
      type: String,
      nullable: true,
      description: 'Plain text, 1–120 characters once trimmed, no control characters; null for none',
    }),
    IsOptional(),
  );

const PUBLISHING =
  'Publishing needs a verified address (403 email-not-verified) and content whose rendering shows some text (400 otherwise).';

export class CreatePostDto {
  @ContentField(`${MARKDOWN} A draft's may be empty; a published post's must show some text.`)
  content!: string;

  @TitleField()
  title?: string | null;

  @StatusField(`\`published\` (the default) or \`draft\`. ${PUBLISHING}`)
  status?: PostStatus;
}

@AtLeastOneField()
export class UpdatePostDto {
  @ContentField(`${MARKDOWN} A draft's may be empty; a published post's must show some text.`, { required: false })
  content?: string;

  @TitleField()
  title?: string | null;

  @StatusField(
    `\`published\` publishes a draft (publishedAt is set the first time); \`draft\` takes a post out of the feed, keeping publishedAt. ${PUBLISHING}`,
  )
  status?: PostStatus;
}

export class PostAuthorDto {
  @ApiProperty({ format: 'uuid', example: '019a8f6e-3b1c-7d2e-9f40-5a6b7c8d9e0f' })
  id!: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  displayName!: string;
}

export class RenderedContentDto {
  @ApiProperty({ example: '<h1>Hello</h1>\n<p>My <strong>first</strong> post…</p>', description: 'Sanitised HTML' })
  contentHtml!: string;

  @ApiProperty({ example: 'Hello My first post, with a link to https://example.com.', maxLength: 200 })
  excerpt!: string;

  @ApiProperty({ example: 11 })
  wordCount!: number;

  @ApiProperty({ example: 1, description: 'At 200 words a minute, at least 1' })
  readingTimeMinutes!: number;
}

/** Why and when an operator took a post out of public reads; only its author and admins see it. */
export class PostHiddenDto {
  @ApiProperty({ format: 'date-time', example: '2026-11-24T10:00:00.000Z', description: 'When it was hidden' })
  at!: string;

  @ApiProperty({
    example: 'It shares a private address without consent.',
    maxLength: HIDDEN_REASON_MAX,
    description: "The operator's reason, written for the author to read",
  })
  reason!: string;
}

export class PostDto extends RenderedContentDto {
  @ApiProperty({ format: 'uuid', example: '019a9b01-7c2d-7e3f-8a41-6b7c8d9e0f12' })
  id!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    maxLength: TITLE_MAX,
    example: 'Hello, world',
    description: 'Plain text; null for posts written without one',
  })
  title!: string | null;

  @ApiProperty({
    example: 'hello-world',
    pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$',
    maxLength: 60,
    description:
      'Lower-case ASCII words of the title (without one, of the excerpt), for readable links; `post` when there are none. ' +
      'It follows the title: links stay valid because only shortId decides.',
  })
  slug!: string;

  @ApiProperty({ example: 'k3x9q2m7ab', pattern: '^[0-9a-z]{10}$', description: 'Short, unique, never changes' })
  shortId!: string;

  @ApiProperty({
    example: '/posts/hello-world-k3x9q2m7ab',
    description: "The web app's canonical path of the post: /posts/{slug}-{shortId}",
  })
  path!: string;

  @ApiProperty({ enum: POST_STATUSES, example: 'published', description: 'A draft is seen by its author only' })
  status!: PostStatus;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2026-11-23T09:30:00.000Z',
    description: 'The first publication (kept when the post goes back to being a draft); null if never published',
  })
  publishedAt!: string | null;

  @ApiProperty({ type: PostAuthorDto })
  author!: PostAuthorDto;

  @ApiProperty({ example: '# Hello\n\nMy **first** post…' })
  content!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-23T09:30:00.000Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-23T09:45:00.000Z' })
  updatedAt!: string;

  @ApiProperty({
    type: PostHiddenDto,
    nullable: true,
    description:
      "Set when an operator hid the post: it is then out of the feed, the author's page, the RSS feeds and the " +
      'sitemap, and answered (404 to anyone else) only to its author and to admins, who see when and why. Null for ' +
      'a post that is not hidden, so always null in public reads.',
  })
  hidden!: PostHiddenDto | null;
}

/** A post as every answer shows it, from the row the feed and the one-post read return. */
export function toPostDto(row: PostRow): PostDto {
  const { slug, path } = postPath({ title: row.title, excerpt: row.excerpt, shortId: row.short_id });
  return {
    id: row.id,
    title: row.title,
    slug,
    shortId: row.short_id,
    path,
    status: row.status,
    publishedAt: row.published_at?.toISOString() ?? null,
    author: { id: row.author_id, displayName: row.author_display_name },
    content: row.content,
    contentHtml: row.content_html,
    excerpt: row.excerpt,
    wordCount: row.word_count,
    readingTimeMinutes: row.reading_time_minutes,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    hidden: row.hidden_at && row.hidden_reason ? { at: row.hidden_at.toISOString(), reason: row.hidden_reason } : null,
  };
}

export function toRenderedContentDto(rendered: Rendered): RenderedContentDto {
  return {
    contentHtml: rendered.html,
    excerpt: rendered.excerpt,
    wordCount: rendered.wordCount,
    readingTimeMinutes: rendered.readingTimeMinutes,
  };
}

export class PostPageDto {
  @ApiProperty({ type: [PostDto] })
  items!: PostDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as ?cursor= for the next page; null on the last page',
    example: 'MjAyNi0xMS0yM1QwOTozMDowMC4xMjM0NTZafDAxOWE5YjAxLTdjMmQtN2UzZi04YTQxLTZiN2M4ZDllMGYxMg',
  })
  nextCursor!: string | null;
}

/** A page of a list: how many, and after which cursor. */
export class PageQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20, example: 20 })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @Max(100)
  @IsInt({ message: 'limit must be a whole number' })
  limit?: number;

  @ApiPropertyOptional({
    description: 'nextCursor of the previous page (opaque)',
    example: 'MjAyNi0xMS0yM1QwOTozMDowMC4xMjM0NTZafDAxOWE5YjAxLTdjMmQtN2UzZi04YTQxLTZiN2M4ZDllMGYxMg',
  })
  @IsOptional()
  @MaxLength(200)
  @IsString()
  cursor?: string;
}

/** The caller's own posts: all of them, or only drafts or only published ones. */
export class OwnPostsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: POST_STATUSES, example: 'draft', description: 'Only posts of this status' })
  @IsOptional()
  @IsIn(POST_STATUSES, { message: `status must be one of: ${POST_STATUSES.join(', ')}` })
  status?: PostStatus;
}

export class ListPostsQuery extends PageQuery {
  @ApiPropertyOptional({
    format: 'uuid',
    description: "Only this author's posts",
    example: '019a8f6e-3b1c-7d2e-9f40-5a6b7c8d9e0f',
  })
  @IsOptional()
  @IsUUID('all', { message: 'author must be a UUID' })
  author?: string;
}
