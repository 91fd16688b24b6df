import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblem } from '../http/problem-responses.js';
import { UuidParam } from '../http/uuid-param.js';
import { CurrentPrincipal, type Principal, RequiresScope } from '../policy/access.js';
import { RateLimit } from '../rate-limits/rate-limit.js';
import { ChangeEmailDto, ChangePasswordDto, DeleteAccountDto, SessionDto } from './dto/account.dto.js';
import { AcceptedDto } from './dto/auth.dto.js';
import { OwnAccountService } from './own-account.service.js';

/**
 * The signed-in user's password, address and sessions, under /users/me like the profile. Their
 * operation ids keep the `users` prefix that generated clients know them by.
 */
@ApiTags('users')
@RequiresScope('account')
@Controller('users/me')
export class AccountController {
  constructor(private readonly account: OwnAccountService) {}

  @Post('password')
  @HttpCode(204)
  @RateLimit('passwordCheck')
  @ApiOperation({ summary: 'Change your password; every other session ends', operationId: 'usersChangePassword' })
  @ApiNoContentResponse({ description: 'Changed' })
  @ApiProblem(400, 'Wrong current password, or a password rule broken')
  @ApiProblem(403, 'No current password and no recent proof of presence (type step-up-required)')
  async changePassword(@CurrentPrincipal() principal: Principal, @Body() body: ChangePasswordDto): Promise<void> {
    await this.account.changePassword(principal, body.currentPassword, body.newPassword);
  }

  @Post('email')
  @HttpCode(202)
  @RateLimit('passwordCheck')
  @ApiOperation({
    summary: 'Change your e-mail address',
    description:
      'The new address gets a confirmation link (POST /auth/email/verify); the old one a notice. Nothing changes until confirmed.',
    operationId: 'usersChangeEmail',
  })
  @ApiAcceptedResponse({ type: AcceptedDto })
  @ApiProblem(400, 'Wrong password or invalid address')
  @ApiProblem(403, 'No password and no recent proof of presence (type step-up-required)')
  @ApiProblem(409, 'The address is yours already, or another account has it')
  async changeEmail(@CurrentPrincipal() principal: Principal, @Body() body: ChangeEmailDto): Promise<AcceptedDto> {
    await this.account.requestEmailChange(principal, body.newEmail, body.password);
    return { message: 'Check the new address for a confirmation link.' };
  }

  @Delete()
  @HttpCode(204)
  @RateLimit('passwordCheck')
  @ApiOperation({
    summary: 'Delete your account for good',
    description:
      'Confirm with the current password (or after a recent proof of presence). Your posts are deleted with it and every session ends.',
    operationId: 'usersDeleteAccount',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblem(400, 'Wrong current password')
  @ApiProblem(403, 'No current password and no recent proof of presence (type step-up-required)')
  @ApiProblem(409, 'You are the last active admin')
  async deleteAccount(@CurrentPrincipal() principal: Principal, @Body() body: DeleteAccountDto): Promise<void> {
    await this.account.deleteOwnAccount(principal, body.currentPassword);
  }

  @Get('sessions')
  @ApiOperation({ summary: 'Your signed-in sessions', operationId: 'usersSessions' })
  @ApiOkResponse({ type: [SessionDto] })
  sessions(@CurrentPrincipal() principal: Principal): Promise<SessionDto[]> {
    return this.account.listSessions(principal);
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'End one session (its refresh and access tokens stop working)',
    operationId: 'usersEndSession',
  })
  @ApiNoContentResponse({ description: 'Ended' })
  @ApiProblem(400, 'Malformed id')
  @ApiProblem(404, 'No such live session of yours')
  async endSession(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id', '019a8f6e-3b1c-7d2e-9f40-5a6b7c8d9e0f') id: string,
  ): Promise<void> {
    await this.account.endSession(principal, id);
  }

  @Delete('sessions')
  @HttpCode(204)
  @ApiOperation({ summary: 'End every session but this one', operationId: 'usersEndOtherSessions' })
  @ApiNoContentResponse({ description: 'Ended' })
  async endOtherSessions(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.account.endOtherSessions(principal);
  }
}
