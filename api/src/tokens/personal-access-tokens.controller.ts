import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblem } from '../http/problem-responses.js';
import { UuidParam } from '../http/uuid-param.js';
import { CurrentPrincipal, type Principal, RequiresScope } from '../policy/access.js';
import {
  CreatedPersonalAccessTokenDto,
  CreatePersonalAccessTokenDto,
  PersonalAccessTokenDto,
} from './dto/personal-access-tokens.dto.js';
import { LIVE_TOKENS_MAX, PersonalAccessTokensService } from './personal-access-tokens.service.js';

/**
 * The signed-in user's personal access tokens, under /users/me like the rest of the account.
 * Scope `account`: only a first-party session manages tokens, so a token can never mint another
 * or outlive its own revocation.
 */
@ApiTags('users')
@RequiresScope('account')
@Controller('users/me/tokens')
export class PersonalAccessTokensController {
  constructor(private readonly tokens: PersonalAccessTokensService) {}

  @Get()
  @ApiOperation({
    summary: 'Your personal access tokens, newest first',
    description:
      'Revoked tokens are left out; expired ones stay, with their expiry in the past. Never the token itself.',
    operationId: 'usersTokens',
  })
  @ApiOkResponse({ type: [PersonalAccessTokenDto] })
  list(@CurrentPrincipal() principal: Principal): Promise<PersonalAccessTokenDto[]> {
    return this.tokens.list(principal.userId);
  }

  @Post()
  @ApiOperation({
    summary: 'Create a personal access token for a script: the answer holds the token, this once',
    description:
      'Send the token as `Authorization: Bearer nuell_pat_…`. It acts as you, with the role `user` whatever your ' +
      'role, limited to its scopes, until it expires or you revoke it. You get an e-mail saying it was created.',
    operationId: 'usersCreateToken',
  })
  @ApiCreatedResponse({ type: CreatedPersonalAccessTokenDto })
  @ApiProblem(400, 'Invalid field: name, scopes (API scopes only, at least one) or expiresInDays')
  @ApiProblem(409, `You hold ${LIVE_TOKENS_MAX} live tokens already: revoke one first`)
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreatePersonalAccessTokenDto,
  ): Promise<CreatedPersonalAccessTokenDto> {
    return this.tokens.create(principal.userId, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke one of your personal access tokens: it is refused from the next request on',
    operationId: 'usersRevokeToken',
  })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiProblem(400, 'Malformed id')
  @ApiProblem(404, 'No such token of yours (or it was revoked already)')
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id', '019ad0f2-5c1e-7b3a-8d4f-2e6a9c0b1d7e') id: string,
  ): Promise<void> {
    await this.tokens.revoke(principal.userId, id);
  }
}
