import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Public, RequiresScope } from '../policy/access.js';
import { RateLimit } from '../rate-limits/rate-limit.js';
import type { FastifyReply } from 'fastify';
import { AcceptsLargeBody } from '../http/body-parsing.js';
import { ApiIfMatch, ETAG_HEADER, etagOf, type IfMatch, IfMatchHeader } from '../http/etag.js';
import { ApiProblem } from '../http/problem-responses.js';
import { UuidParam } from '../http/uuid-param.js';
import { ListPostsQuery, PostContentDto, PostDto, PostPageDto, RenderedContentDto } from './dto/posts.dto.js';
import { PostsService, type VersionedPost } from './posts.service.js';

/** How the document shows a post's id. */
const POST_ID = '019a9b01-7c2d-7e3f-8a41-6b7c8d9e0f12';

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
  @ApiOperation({ summary: 'The feed, newest first, a page at a time (cursor pagination)' })
  @ApiOkResponse({ type: PostPageDto })
  @ApiProblem(400, 'Malformed limit, cursor or author')
  list(@Query() query: ListPostsQuery): Promise<PostPageDto> {
    return this.posts.list(query);
  }

  @Public()
  @Get(':id')
  @ApiOperation({ summary: 'One post, with its version as the ETag' })
  @ApiOkResponse({ type: PostDto, headers: ETAG_HEADER })
  @ApiProblem(400, 'Malformed id')
  @ApiProblem(404, 'No such post')
  async get(@UuidParam('id', POST_ID) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<PostDto> {
    return withEtag(reply, await this.posts.get(id));
  }

  @Post()
  @AcceptsLargeBody()
  @RequiresScope('posts:write', { verifiedEmail: true })
  @ApiOperation({ summary: 'Write a post' })
  @ApiCreatedResponse({ type: PostDto, headers: ETAG_HEADER })
  @ApiProblem(400, 'Empty or too long content, or unknown fields')
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: PostContentDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PostDto> {
    return withEtag(reply, await this.posts.create(principal, body.content));
  }

  @Post('preview')
  @AcceptsLargeBody()
  @HttpCode(200)
  @RequiresScope('posts:write', { verifiedEmail: true })
  @RateLimit('preview')
  @ApiOperation({ summary: 'Render Markdown as a post would be rendered, without saving (live preview)' })
  @ApiOkResponse({ type: RenderedContentDto })
  @ApiProblem(400)
  preview(@Body() body: PostContentDto): Promise<RenderedContentDto> {
    return this.posts.preview(body.content);
  }

  @Patch(':id')
  @AcceptsLargeBody()
  @RequiresScope('posts:write', { forbidden: 'not the author of the post or an admin' })
  @ApiOperation({ summary: 'Change a post (its author or an admin); send If-Match to not overwrite others' })
  @ApiIfMatch()
  @ApiOkResponse({ type: PostDto, headers: ETAG_HEADER })
  @ApiProblem(400, 'Malformed id or If-Match, empty or too long content')
  @ApiProblem(404, 'No such post')
  async update(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id', POST_ID) id: string,
    @Body() body: PostContentDto,
    @IfMatchHeader() ifMatch: IfMatch | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PostDto> {
    return withEtag(reply, await this.posts.update(principal, id, body.content, ifMatch));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequiresScope('posts:write', { forbidden: 'not the author of the post or an admin' })
  @ApiOperation({ summary: 'Delete a post (its author or an admin); send If-Match to not delete a newer version' })
  @ApiIfMatch()
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblem(400, 'Malformed id or If-Match')
  @ApiProblem(404, 'No such post')
  async remove(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id', POST_ID) id: string,
    @IfMatchHeader() ifMatch: IfMatch | undefined,
  ): Promise<void> {
    await this.posts.remove(principal, id, ifMatch);
  }
}
