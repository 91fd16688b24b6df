import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiIfNoneMatch,
  CACHE_CONTROL_HEADER,
  CONDITIONAL_READ,
  DIGEST_ETAG,
  DIGEST_EXAMPLE,
  DIGEST_ETAG_HEADER,
} from '../http/etag.js';
import { ApiProblem } from '../http/problem-responses.js';
import { UuidParam } from '../http/uuid-param.js';
import { Public } from '../policy/access.js';
import { PublicProfileDto } from './dto/public-profile.dto.js';
import { UsersService } from './users.service.js';

/** Authors' public pages: what anyone may read about an account. */
@ApiTags('users')
@Controller('users')
export class PublicProfileController {
  constructor(private readonly users: UsersService) {}

  @Public()
  @Get(':id')
  @ApiOperation({
    summary: "An author's public profile: name, when they joined, how many posts",
    description: `${CONDITIONAL_READ} Kept in memory for anonymous readers, never stale for long.`,
  })
  @ApiOkResponse({ type: PublicProfileDto, headers: { ...DIGEST_ETAG_HEADER, ...CACHE_CONTROL_HEADER } })
  @ApiIfNoneMatch(DIGEST_ETAG, DIGEST_EXAMPLE)
  @ApiProblem(400, 'Malformed id')
  @ApiProblem(404, 'No such user, or the account is suspended')
  profile(@UuidParam('id', '019a8f6e-3b1c-7d2e-9f40-5a6b7c8d9e0f') id: string): Promise<PublicProfileDto> {
    return this.users.publicProfile(id);
  }
}
