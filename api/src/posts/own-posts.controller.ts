import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblem } from '../http/problem-responses.js';
import { CurrentPrincipal, type Principal, RequiresScope } from '../policy/access.js';
import { OwnPostsQuery, PostPageDto } from './dto/posts.dto.js';
import { PostsService } from './posts.service.js';

/**
 * The signed-in user's own posts, drafts included, under /users/me like the rest of their
 * account, and read with the same scope as their profile.
 */
@ApiTags('posts')
@RequiresScope('posts:write')
@Controller('users/me/posts')
export class OwnPostsController {
  constructor(private readonly posts: PostsService) {}

  @Get()
  @ApiOperation({
    summary: 'Your posts, drafts included, most recently changed first, a page at a time (cursor pagination)',
    description:
      'Optionally only drafts or only published posts. The cursor follows the last change, so a post edited while ' +
      'paging moves to the top and is not seen twice further down.',
  })
  @ApiOkResponse({ type: PostPageDto })
  @ApiProblem(400, 'Malformed limit, cursor or status')
  list(@CurrentPrincipal() principal: Principal, @Query() query: OwnPostsQuery): Promise<PostPageDto> {
    return this.posts.listOwn(principal, query);
  }
}
