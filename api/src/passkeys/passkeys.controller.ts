import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { clientOf } from '../auth/client-info.js';
import { ApiProblem } from '../http/problem-responses.js';
import { UuidParam } from '../http/uuid-param.js';
import { CurrentPrincipal, type Principal, RequiresScope } from '../policy/access.js';
import { RateLimit } from '../rate-limits/rate-limit.js';
import {
  AddPasskeyDto,
  PasskeyAssertionDto,
  PasskeyCreationOptionsDto,
  PasskeyDto,
  PasskeyRequestOptionsDto,
  PasskeyStepUpResultDto,
  RenamePasskeyDto,
} from './dto/passkeys.dto.js';
import { PasskeysService } from './passkeys.service.js';

const STEP_UP_403 =
  'No recent proof of presence (type step-up-required): POST /users/me/step-up (or /users/me/step-up/passkey) first';
const PASSKEY_ID = '019ad0f2-5c1e-7b3a-8d4f-2e6a9c0b1d7e';

/**
 * The signed-in user's passkeys, and confirming with one that it is them (step-up), under
 * /users/me like the rest of the account; operation ids keep the `users` prefix.
 */
@ApiTags('users')
@RequiresScope('account')
@Controller('users/me')
export class PasskeysController {
  constructor(private readonly passkeys: PasskeysService) {}

  @Get('passkeys')
  @ApiOperation({ summary: 'Your passkeys, oldest first', operationId: 'usersPasskeys' })
  @ApiOkResponse({ type: [PasskeyDto] })
  list(@CurrentPrincipal() principal: Principal): Promise<PasskeyDto[]> {
    return this.passkeys.list(principal.userId);
  }

  @Post('passkeys/options')
  @HttpCode(200)
  @RateLimit('passkeyOptions')
  @ApiOperation({
    summary: 'Start adding a passkey: options for the browser',
    description:
      'Needs a recent confirmation that it is you (step-up). The passkey must be discoverable and verify its user ' +
      '(PIN or biometrics); passkeys you have already are excluded. Good for one answer within 5 minutes.',
    operationId: 'usersPasskeyOptions',
  })
  @ApiOkResponse({ type: PasskeyCreationOptionsDto })
  @ApiProblem(403, STEP_UP_403)
  registrationOptions(@CurrentPrincipal() principal: Principal): Promise<PasskeyCreationOptionsDto> {
    return this.passkeys.registrationOptions(principal);
  }

  @Post('passkeys')
  @ApiOperation({
    summary: 'Add a passkey: the answer of startRegistration() to the options',
    description: 'You get an e-mail saying a sign-in method was added.',
    operationId: 'usersAddPasskey',
  })
  @ApiCreatedResponse({ type: PasskeyDto })
  @ApiProblem(400, 'Invalid field; an expired or used challenge; or an answer that does not check out')
  @ApiProblem(409, 'This passkey is registered already')
  add(
    @CurrentPrincipal() principal: Principal,
    @Body() body: AddPasskeyDto,
    @Req() request: FastifyRequest,
  ): Promise<PasskeyDto> {
    return this.passkeys.register(principal, body, clientOf(request));
  }

  @Patch('passkeys/:id')
  @ApiOperation({ summary: 'Rename one of your passkeys', operationId: 'usersRenamePasskey' })
  @ApiOkResponse({ type: PasskeyDto })
  @ApiProblem(400, 'Malformed id or invalid name')
  @ApiProblem(404, 'No such passkey of yours')
  rename(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id', PASSKEY_ID) id: string,
    @Body() body: RenamePasskeyDto,
    @Req() request: FastifyRequest,
  ): Promise<PasskeyDto> {
    return this.passkeys.rename(principal, id, body.name, clientOf(request));
  }

  @Delete('passkeys/:id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Remove one of your passkeys: it signs in no more',
    description: 'Needs a recent confirmation that it is you (step-up). You get an e-mail saying it was removed.',
    operationId: 'usersRemovePasskey',
  })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiProblem(400, 'Malformed id')
  @ApiProblem(403, STEP_UP_403)
  @ApiProblem(404, 'No such passkey of yours')
  async remove(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id', PASSKEY_ID) id: string,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.passkeys.remove(principal, id, clientOf(request));
  }

  @Post('step-up/passkey/options')
  @HttpCode(200)
  @RateLimit('passkeyOptions')
  @ApiOperation({
    summary: 'Start confirming it is you with a passkey: options for the browser',
    description: 'Any of your passkeys will do. Good for one answer within 5 minutes.',
    operationId: 'usersStepUpPasskeyOptions',
  })
  @ApiOkResponse({ type: PasskeyRequestOptionsDto })
  @ApiProblem(409, 'You have no passkey')
  stepUpOptions(@CurrentPrincipal() principal: Principal): Promise<PasskeyRequestOptionsDto> {
    return this.passkeys.stepUpOptions(principal);
  }

  @Post('step-up/passkey')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm it is you with a passkey: sensitive changes then go through for 10 minutes',
    description: 'The answer of startAuthentication() to the options of POST /users/me/step-up/passkey/options.',
    operationId: 'usersStepUpPasskey',
  })
  @ApiOkResponse({ type: PasskeyStepUpResultDto })
  @ApiProblem(400, 'Invalid field; an expired or used challenge; or a passkey answer that does not check out')
  async stepUp(
    @CurrentPrincipal() principal: Principal,
    @Body() body: PasskeyAssertionDto,
    @Req() request: FastifyRequest,
  ): Promise<PasskeyStepUpResultDto> {
    const until = await this.passkeys.stepUpWith(principal, body.challengeId, body.credential, clientOf(request));
    return { until: until.toISOString() };
  }
}
