import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblem } from '../http/problem-responses.js';
import { CurrentPrincipal, type Principal, RequiresScope } from '../policy/access.js';
import { UserDto } from './dto/user.dto.js';
import { UpdateMeDto } from './dto/users.dto.js';
import { UsersService } from './users.service.js';

/** The signed-in user's own account. Password, address and sessions: auth's AccountController. */
@ApiTags('users')
@Controller('users/me')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @RequiresScope('profile:read')
  @ApiOperation({ summary: 'Your account' })
  @ApiOkResponse({ type: UserDto })
  me(@CurrentPrincipal() principal: Principal): Promise<UserDto> {
    return this.users.me(principal.userId);
  }

  @Patch()
  @RequiresScope('profile:write')
  @ApiOperation({
    summary: 'Change your display name, bio or link',
    description: 'Send at least one field; what is left out stays. A bio or link of null or "" removes it.',
  })
  @ApiOkResponse({ type: UserDto })
  @ApiProblem(400, 'No field, a blank or too long name, a too long bio, a link that is not an http(s) address')
  update(@CurrentPrincipal() principal: Principal, @Body() body: UpdateMeDto): Promise<UserDto> {
    return this.users.updateMe(principal.userId, body);
  }
}
