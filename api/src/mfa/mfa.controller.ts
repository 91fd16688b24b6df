import { Body, Controller, Delete, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { clientOf } from '../auth/client-info.js';
import { ApiProblem } from '../http/problem-responses.js';
import { CurrentPrincipal, type Principal, RequiresScope } from '../policy/access.js';
import { RateLimit } from '../rate-limits/rate-limit.js';
import {
  MfaStatusDto,
  RecoveryCodesDto,
  StepUpDoneDto,
  StepUpDto,
  TotpCodeDto,
  TotpEnrolmentDto,
} from './dto/mfa.dto.js';
import { OwnMfaService } from './own-mfa.service.js';

const STEP_UP = 'No recent proof of presence (type step-up-required): POST /users/me/step-up first';

/**
 * The signed-in user's second factors and proof of presence, under /users/me like the rest of
 * their account. Passkeys have their own routes (passkeys/).
 */
@ApiTags('users')
@RequiresScope('account')
@Controller('users/me')
export class MfaController {
  constructor(private readonly mfa: OwnMfaService) {}

  @Get('mfa')
  @ApiOperation({
    summary: 'Your second factors, and until when this session may make sensitive changes',
    operationId: 'usersMfa',
  })
  @ApiOkResponse({ type: MfaStatusDto })
  async status(@CurrentPrincipal() principal: Principal): Promise<MfaStatusDto> {
    const status = await this.mfa.status(principal);
    return {
      totp: { enabled: status.totp.enabled, enabledAt: status.totp.enabledAt?.toISOString() ?? null },
      recoveryCodesLeft: status.recoveryCodesLeft,
      passkeys: status.passkeys,
      stepUpUntil: status.stepUpUntil?.toISOString() ?? null,
    };
  }

  @Post('step-up')
  @HttpCode(200)
  @RateLimit('passwordCheck')
  @ApiOperation({
    summary: 'Prove it is you (password, or a code) so sensitive changes go through for ten minutes',
    description:
      'Changing the e-mail address or the password without the current password, deleting the account without ' +
      'it, and every change of a second factor or passkey need a proof of presence within the last ten minutes. ' +
      'Signing in is not one (a token alone must not be enough): prove it here with `password`, or `code` (from the authenticator app, or a recovery code, ' +
      'which this spends). With a passkey: POST /users/me/step-up/passkey.',
    operationId: 'usersStepUp',
  })
  @ApiOkResponse({ type: StepUpDoneDto })
  @ApiProblem(400, 'Neither given, or the password or code is wrong (field error)')
  @ApiProblem(429, 'Too many wrong codes for this account')
  async stepUp(
    @CurrentPrincipal() principal: Principal,
    @Body() body: StepUpDto,
    @Req() request: FastifyRequest,
  ): Promise<StepUpDoneDto> {
    const until = await this.mfa.proveWith(principal, body, clientOf(request));
    return { until: until.toISOString() };
  }

  @Post('mfa/totp')
  @ApiOperation({
    summary: 'Start setting up an authenticator app: a secret and its otpauth:// URI for a QR code',
    description: 'Nothing is protected until POST /users/me/mfa/totp/confirm with a code from the app.',
    operationId: 'usersBeginTotp',
  })
  @ApiCreatedResponse({ type: TotpEnrolmentDto })
  @ApiProblem(403, STEP_UP)
  @ApiProblem(409, 'Two-step sign-in is already on')
  beginTotp(@CurrentPrincipal() principal: Principal): Promise<TotpEnrolmentDto> {
    return this.mfa.beginTotp(principal);
  }

  @Post('mfa/totp/confirm')
  @HttpCode(200)
  @RateLimit('passwordCheck')
  @ApiOperation({
    summary: 'Turn two-step sign-in on with a code from the app; answers ten recovery codes, once',
    operationId: 'usersConfirmTotp',
  })
  @ApiOkResponse({ type: RecoveryCodesDto })
  @ApiProblem(400, 'The code is wrong (field error)')
  @ApiProblem(409, 'No set-up begun, or two-step sign-in is already on')
  async confirmTotp(
    @CurrentPrincipal() principal: Principal,
    @Body() body: TotpCodeDto,
    @Req() request: FastifyRequest,
  ): Promise<RecoveryCodesDto> {
    return { recoveryCodes: await this.mfa.confirmTotp(principal, body.code, clientOf(request)) };
  }

  @Delete('mfa/totp')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Turn two-step sign-in off, with a fresh code from the app or a recovery code',
    description: 'The recovery codes go with it. Operators cannot: the control panel requires two-step sign-in.',
    operationId: 'usersDisableTotp',
  })
  @ApiNoContentResponse({ description: 'Off' })
  @ApiProblem(400, 'The code is wrong or was already used (field error)')
  @ApiProblem(403, STEP_UP)
  @ApiProblem(409, 'Already off, or the account is an operator')
  @ApiProblem(429, 'Too many wrong codes for this account')
  async disableTotp(
    @CurrentPrincipal() principal: Principal,
    @Body() body: TotpCodeDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.mfa.disableTotp(principal, body.code, clientOf(request));
  }

  @Post('mfa/recovery-codes')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Ten new recovery codes, shown once; the old ones stop working',
    operationId: 'usersNewRecoveryCodes',
  })
  @ApiOkResponse({ type: RecoveryCodesDto })
  @ApiProblem(403, STEP_UP)
  @ApiProblem(409, 'Two-step sign-in is off')
  async regenerate(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<RecoveryCodesDto> {
    return { recoveryCodes: await this.mfa.regenerateRecoveryCodes(principal, clientOf(request)) };
  }
}
