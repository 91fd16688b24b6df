import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({ summary: "An author's public profile: name, when they joined, how many posts" })
  @ApiOkResponse({ type: PublicProfileDto })
  @ApiProblem(400, 'Malformed id')
  @ApiProblem(404, 'No such user, or the account is suspended')
  profile(@UuidParam('id', '019a8f6e-3b1c-7d2e-9f40-5a6b7c8d9e0f') id: string): Promise<PublicProfileDto> {
    return this.users.publicProfile(id);
  }
}
