import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOAuth2,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import {
  CurrentPrincipal,
  type Principal,
  Public,
  RequiresVerifiedEmail,
  Scopes,
} from '../auth/auth.decorators.js';
import { RateLimit } from '../auth/rate-limit.js';
import { AcceptsLargeBody } from '../http/body-parsing.js';
import { ApiProblem } from '../openapi/problem-responses.js';
import { ListPostsQuery, PostContentDto, PostDto, PostPageDto, RenderedContentDto } from './dto/posts.dto.js';
import { PostsService } from './posts.service.js';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: HttpStatus.BAD_REQUEST });

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
  @ApiParam({ name: 'id', format: 'uuid', example: '019a9b01-7c2d-7e3f-8a41-6b7c8d9e0f12' })
  @ApiOperation({ summary: 'One post' })
  @ApiOkResponse({ type: PostDto })
  @ApiProblem(400, 'Malformed id')
  @ApiProblem(404, 'No such post')
  get(@Param('id', uuid) id: string): Promise<PostDto> {
    return this.posts.get(id);
  }

  @Post()
  @AcceptsLargeBody()
  @RequiresVerifiedEmail()
  @Scopes('posts:write')
  @ApiBearerAuth()
  @ApiOAuth2(['posts:write'])
  @ApiOperation({ summary: 'Write a post' })
  @ApiCreatedResponse({ type: PostDto })
  @ApiProblem(400, 'Empty or too long content, or unknown fields')
  @ApiProblem(401)
  @ApiProblem(
    403,
    'The token lacks the posts:write scope, or the address is not verified yet (type …/problems/email-not-verified)',
  )
  create(@CurrentPrincipal() principal: Principal, @Body() body: PostContentDto): Promise<PostDto> {
    return this.posts.create(principal, body.content);
  }

  @Post('preview')
  @AcceptsLargeBody()
  @RequiresVerifiedEmail()
  @HttpCode(200)
  @Scopes('posts:write')
  @RateLimit('preview')
  @ApiBearerAuth()
  @ApiOAuth2(['posts:write'])
  @ApiOperation({ summary: 'Render Markdown as a post would be rendered, without saving (live preview)' })
  @ApiOkResponse({ type: RenderedContentDto })
  @ApiProblem(400)
  @ApiProblem(401)
  @ApiProblem(
    403,
    'The token lacks the posts:write scope, or the address is not verified yet (type …/problems/email-not-verified)',
  )
  @ApiProblem(429)
  preview(@Body() body: PostContentDto): Promise<RenderedContentDto> {
    return this.posts.preview(body.content);
  }

  @Patch(':id')
  @AcceptsLargeBody()
  @ApiParam({ name: 'id', format: 'uuid', example: '019a9b01-7c2d-7e3f-8a41-6b7c8d9e0f12' })
  @Scopes('posts:write')
  @ApiBearerAuth()
  @ApiOAuth2(['posts:write'])
  @ApiOperation({ summary: 'Change a post (its author or an admin)' })
  @ApiOkResponse({ type: PostDto })
  @ApiProblem(400, 'Malformed id, empty or too long content')
  @ApiProblem(401)
  @ApiProblem(403, 'Not the author, not an admin')
  @ApiProblem(404, 'No such post')
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: PostContentDto,
  ): Promise<PostDto> {
    return this.posts.update(principal, id, body.content);
  }

  @Delete(':id')
  @ApiParam({ name: 'id', format: 'uuid', example: '019a9b01-7c2d-7e3f-8a41-6b7c8d9e0f12' })
  @HttpCode(204)
  @Scopes('posts:write')
  @ApiBearerAuth()
  @ApiOAuth2(['posts:write'])
  @ApiOperation({ summary: 'Delete a post (its author or an admin)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblem(400, 'Malformed id')
  @ApiProblem(401)
  @ApiProblem(403, 'Not the author, not an admin')
  @ApiProblem(404, 'No such post')
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<void> {
    await this.posts.remove(principal, id);
  }
}
