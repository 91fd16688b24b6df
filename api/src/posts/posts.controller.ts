import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CurrentPrincipal,
  OptionalPrincipal,
  type Principal,
  Public,
  PublicReadsCaller,
  RequiresScope,
} from '../policy/access.js';
import { RateLimit } from '../rate-limits/rate-limit.js';
import type { FastifyReply } from 'fastify';
import { AcceptsLargeBody } from '../http/body-parsing.js';
import {
  ApiIfMatch,
  ApiIfNoneMatch,
  CACHE_CONTROL_HEADER,
  CONDITIONAL_READ,
  DIGEST_ETAG,
  DIGEST_ETAG_HEADER,
  DIGEST_EXAMPLE,
  ETAG_HEADER,
  etagOf,
  type IfMatch,
  IfMatchHeader,
} from '../http/etag.js';
import { ApiProblem } from '../http/problem-responses.js';
import { UuidParam } from '../http/uuid-param.js';
import { noteAnswer } from '../read-cache/answer-note.js';
import { addVary, authorTag, postTag } from '../read-cache/cached-routes.js';
import {
  CreatePostDto,
  ListPostsQuery,
  PostContentDto,
  PostDto,
  PostPageDto,
  RenderedContentDto,
  UpdatePostDto,
} from './dto/posts.dto.js';
import { PostRefParam } from './post-ref-param.js';
import { PostsService, type VersionedPost } from './posts.service.js';

/** How the document shows a post's id. */
const POST_ID = '019a9b01-7c2d-7e3f-8a41-6b7c8d9e0f12';

/** The 403 that publishing adds (the service decides: only some requests publish). */
const UNVERIFIED = 'publishing before the address is verified (type …/problems/email-not-verified)';

/** Answers a post with its version as the ETag. */
function withEtag(reply: FastifyReply, { post, version }: VersionedPost): PostDto {
  void reply.header('etag', etagOf(version));
  return post;
}

/** Posts: a public feed; writing needs a signed-in user (or a token with `posts:write`). */
@ApiTags('posts')
@Controller('posts')
export class PostsController {
  constructor(private readonly posts: PostsService) {}

  @Public()
  @Get()
  @ApiOperation({
    summary: 'The feed, newest first, a page at a time (cursor pagination)',
    description: `${CONDITIONAL_READ} The first pages are kept in memory for anonymous readers, never stale for long.`,
  })
  @ApiOkResponse({ type: PostPageDto, headers: { ...DIGEST_ETAG_HEADER, ...CACHE_CONTROL_HEADER } })
  @ApiIfNoneMatch(DIGEST_ETAG, DIGEST_EXAMPLE)
  @ApiProblem(400, 'Malformed limit, cursor or author')
  async list(@Query() query: ListPostsQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<PostPageDto> {
    const page = await this.posts.list(query);
    noteAnswer(reply, { nextCursor: page.nextCursor });
    return page;
  }

  @Get(':id')
  @PublicReadsCaller('their own drafts and hidden posts too (an admin: every hidden post)')
  @ApiOperation({
    summary: 'One post, by its path, short id or id, with its version as the ETag',
    description:
      'Public. A draft is answered to its author only (send the access token; a personal access token or an ' +
      "app's token needs posts:write); to anyone else it is 404, as a " +
      'post that does not exist. A post an operator hid is answered to its author and to admins only, with ' +
      '`hidden` saying when and why; to anyone else it is 404 too. A published post is `Cache-Control: public, ' +
      'no-cache` and If-None-Match naming its version gets 304 (unless its author changed their account since ' +
      'that version: the answer shows their name); a draft or a hidden post is `private, no-store`.',
  })
  @ApiOkResponse({ type: PostDto, headers: { ...ETAG_HEADER, ...CACHE_CONTROL_HEADER } })
  @ApiIfNoneMatch('The version of the post', '"3"')
  @ApiProblem(400, 'The reference is none of the three forms')
  @ApiProblem(
    404,
    'No such post, a draft of someone else, or a post an operator hid (unless yours, or you are an admin)',
  )
  async get(
    @PostRefParam('id') ref: string,
    @OptionalPrincipal() viewer: Principal | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PostDto> {
    const read = await this.posts.get(ref, viewer);
    // The answer depends on who asks; a draft or a hidden post is for a few only, for no cache to keep.
    addVary(reply, 'Authorization');
    if (read.post.status === 'draft' || read.post.hidden) void reply.header('cache-control', 'private, no-store');
    noteAnswer(reply, {
      tags: [postTag(read.post.id), authorTag(read.post.author.id)],
      revalidates: read.revalidates,
    });
    return withEtag(reply, read);
  }

  @Post()
  @AcceptsLargeBody()
  @RequiresScope('posts:write', { forbidden: UNVERIFIED })
  @ApiOperation({
    summary: 'Write a post, published at once or as a draft',
    description: 'A draft is seen by its author only, and may be empty; publishing needs a verified address.',
  })
  @ApiCreatedResponse({ type: PostDto, headers: ETAG_HEADER })
  @ApiProblem(400, 'Too long content, content that would show nothing when published, a blank title, unknown fields')
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreatePostDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PostDto> {
    return withEtag(reply, await this.posts.create(principal, body));
  }

  @Post('preview')
  @AcceptsLargeBody()
  @HttpCode(200)
  @RequiresScope('posts:write')
  @RateLimit('preview')
  @ApiOperation({
    summary: 'Render Markdown as a post would be rendered, without saving (live preview)',
    description: 'Also before the address is verified: only publishing waits for that.',
  })
  @ApiOkResponse({ type: RenderedContentDto })
  @ApiProblem(400)
  preview(@Body() body: PostContentDto): Promise<RenderedContentDto> {
    return this.posts.preview(body.content);
  }

  @Patch(':id')
  @AcceptsLargeBody()
  @RequiresScope('posts:write', { forbidden: `not the author of the post or an admin; ${UNVERIFIED}` })
  @ApiOperation({
    summary: 'Change, publish or unpublish a post (its author, or an admin for a published one)',
    description:
      'Send at least one field. Send If-Match to not overwrite others. Publishing a draft is checked as writing a ' +
      'published post is; a draft goes out of the feed and keeps its publishedAt.',
  })
  @ApiIfMatch()
  @ApiOkResponse({ type: PostDto, headers: ETAG_HEADER })
  @ApiProblem(
    400,
    'Malformed id or If-Match, no field, too long content, content that would show nothing when published, a blank title',
  )
  @ApiProblem(404, 'No such post (or a draft of someone else)')
  async update(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id', POST_ID) id: string,
    @Body() body: UpdatePostDto,
    @IfMatchHeader() ifMatch: IfMatch | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PostDto> {
    return withEtag(reply, await this.posts.update(principal, id, body, ifMatch));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequiresScope('posts:write', { forbidden: 'not the author of the post or an admin' })
  @ApiOperation({ summary: 'Delete a post (its author or an admin); send If-Match to not delete a newer version' })
  @ApiIfMatch()
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblem(400, 'Malformed id or If-Match')
  @ApiProblem(404, 'No such post (or a draft of someone else)')
  async remove(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id', POST_ID) id: string,
    @IfMatchHeader() ifMatch: IfMatch | undefined,
  ): Promise<void> {
    await this.posts.remove(principal, id, ifMatch);
  }
}
