import { Controller, Get, HttpStatus, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblem } from '../http/problem-responses.js';
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
  @ApiParam({ name: 'id', format: 'uuid', example: '019a8f6e-3b1c-7d2e-9f40-5a6b7c8d9e0f' })
  @ApiOperation({ summary: "An author's public profile: name, when they joined, how many posts" })
  @ApiOkResponse({ type: PublicProfileDto })
  @ApiProblem(400, 'Malformed id')
  @ApiProblem(404, 'No such user, or the account is banned')
  profile(
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: HttpStatus.BAD_REQUEST })) id: string,
  ): Promise<PublicProfileDto> {
    return this.users.publicProfile(id);
  }
}
