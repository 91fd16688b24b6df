import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOAuth2,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Scopes } from '../auth/auth.decorators.js';
import { AcceptedDto } from '../auth/dto/auth.dto.js';
import { RateLimit } from '../auth/rate-limit.js';
import { ProblemDetailsDto } from '../openapi/problem.dto.js';
import { DeleteAccountDto } from './dto/delete-account.dto.js';
import { UserDto } from './dto/user.dto.js';
import { ChangeEmailDto, ChangePasswordDto, SessionDto, UpdateMeDto } from './dto/users.dto.js';
import { UsersService } from './users.service.js';

const problem = { type: ProblemDetailsDto };
const uuid = new ParseUUIDPipe({ errorHttpStatusCode: HttpStatus.BAD_REQUEST });

/** The signed-in user's own account. */
@ApiTags('users')
@ApiBearerAuth()
@ApiOAuth2(['profile'])
@ApiUnauthorizedResponse({ ...problem, description: 'Missing, invalid or expired access token, or an ended session' })
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
  @ApiBadRequestResponse(problem)
  update(@CurrentPrincipal() principal: Principal, @Body() body: UpdateMeDto): Promise<UserDto> {
    return this.users.updateMe(principal.userId, body.displayName);
  }

  @Post('password')
  @HttpCode(204)
  @RateLimit('passwordCheck')
  @ApiOperation({ summary: 'Change your password; every other session ends' })
  @ApiNoContentResponse({ description: 'Changed' })
  @ApiBadRequestResponse({ ...problem, description: 'Wrong current password, or a password rule broken' })
  @ApiTooManyRequestsResponse({ ...problem, description: 'Too many attempts to confirm the password' })
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
  @ApiBadRequestResponse({ ...problem, description: 'Wrong password or invalid address' })
  @ApiConflictResponse({ ...problem, description: 'The address is yours already, or another account has it' })
  @ApiTooManyRequestsResponse({ ...problem, description: 'Too many attempts to confirm the password' })
  async changeEmail(@CurrentPrincipal() principal: Principal, @Body() body: ChangeEmailDto): Promise<AcceptedDto> {
    await this.users.requestEmailChange(principal, body.newEmail, body.password);
    return { message: 'Check the new address for a confirmation link.' };
  }

  @Delete()
  @HttpCode(204)
  @RateLimit('passwordCheck')
  @ApiOperation({
    summary: 'Delete your account for good',
    description: 'Confirm with the current password. Your posts are deleted with it and every session ends.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiBadRequestResponse({ ...problem, description: 'Wrong current password' })
  @ApiTooManyRequestsResponse({ ...problem, description: 'Too many attempts to confirm the password' })
  async deleteAccount(@CurrentPrincipal() principal: Principal, @Body() body: DeleteAccountDto): Promise<void> {
    await this.users.deleteAccount(principal, body.currentPassword);
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
  @ApiBadRequestResponse({ ...problem, description: 'Malformed id' })
  @ApiNotFoundResponse({ ...problem, description: 'No such live session of yours' })
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
