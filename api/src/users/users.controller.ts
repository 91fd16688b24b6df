import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOAuth2,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Scopes } from '../auth/auth.decorators.js';
import { AcceptedDto } from '../auth/dto/auth.dto.js';
import { RateLimit } from '../auth/rate-limit.js';
import { ApiProblem } from '../openapi/problem-responses.js';
import { UserDto } from './dto/user.dto.js';
import { ChangeEmailDto, ChangePasswordDto, SessionDto, UpdateMeDto } from './dto/users.dto.js';
import { UsersService } from './users.service.js';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: HttpStatus.BAD_REQUEST });

/** The signed-in user's own account. */
@ApiTags('users')
@ApiBearerAuth()
@ApiOAuth2(['profile'])
@ApiProblem(401, 'Missing, invalid or expired access token, or an ended session')
@Scopes('profile')
@Controller('users/me')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'Your account' })
  @ApiOkResponse({ type: UserDto })
  me(@CurrentPrincipal() principal: Principal): Promise<UserDto> {
    return this.users.me(principal.userId);
  }

  @Patch()
  @ApiOperation({ summary: 'Change your display name' })
  @ApiOkResponse({ type: UserDto })
  @ApiProblem(400)
  update(@CurrentPrincipal() principal: Principal, @Body() body: UpdateMeDto): Promise<UserDto> {
    return this.users.updateMe(principal.userId, body.displayName);
  }

  @Post('password')
  @HttpCode(204)
  @RateLimit('passwordCheck')
  @ApiOperation({ summary: 'Change your password; every other session ends' })
  @ApiNoContentResponse({ description: 'Changed' })
  @ApiProblem(400, 'Wrong current password, or a password rule broken')
  @ApiProblem(429, 'Too many attempts to confirm the password')
  async changePassword(@CurrentPrincipal() principal: Principal, @Body() body: ChangePasswordDto): Promise<void> {
    await this.users.changePassword(principal, body.currentPassword, body.newPassword);
  }

  @Post('email')
  @HttpCode(202)
  @RateLimit('passwordCheck')
  @ApiOperation({
    summary: 'Change your e-mail address',
    description:
      'The new address gets a confirmation link (POST /auth/email/verify); the old one a notice. Nothing changes until confirmed.',
  })
  @ApiAcceptedResponse({ type: AcceptedDto })
  @ApiProblem(400, 'Wrong password or invalid address')
  @ApiProblem(409, 'The address is yours already, or another account has it')
  @ApiProblem(429, 'Too many attempts to confirm the password')
  async changeEmail(@CurrentPrincipal() principal: Principal, @Body() body: ChangeEmailDto): Promise<AcceptedDto> {
    await this.users.requestEmailChange(principal, body.newEmail, body.password);
    return { message: 'Check the new address for a confirmation link.' };
  }

  @Get('sessions')
  @ApiOperation({ summary: 'Your signed-in sessions' })
  @ApiOkResponse({ type: [SessionDto] })
  sessions(@CurrentPrincipal() principal: Principal): Promise<SessionDto[]> {
    return this.users.listSessions(principal);
  }

  @Delete('sessions/:id')
  @ApiParam({ name: 'id', format: 'uuid', example: '019a8f6e-3b1c-7d2e-9f40-5a6b7c8d9e0f' })
  @HttpCode(204)
  @ApiOperation({ summary: 'End one session (its refresh and access tokens stop working)' })
  @ApiNoContentResponse({ description: 'Ended' })
  @ApiProblem(400, 'Malformed id')
  @ApiProblem(404, 'No such live session of yours')
  async endSession(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<void> {
    await this.users.endSession(principal, id);
  }

  @Delete('sessions')
  @HttpCode(204)
  @ApiOperation({ summary: 'End every session but this one' })
  @ApiNoContentResponse({ description: 'Ended' })
  async endOtherSessions(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.users.endOtherSessions(principal);
  }
}
