import { Body, Controller, Get, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { clientOf } from '../auth/client-info.js';
import { ApiProblem } from '../http/problem-responses.js';
import { CurrentPrincipal, type Principal, RequiresScope } from '../policy/access.js';
import { AuthorizationService } from './authorization.service.js';
import {
  AuthorizeDecisionDto,
  AuthorizeQueryDto,
  AuthorizeRedirectDto,
  AuthorizeViewDto,
} from './dto/authorize.dto.js';

const REFUSED =
  'The request cannot go back to the app: unknown or suspended client_id, or a redirect_uri the app did not ' +
  'register (show it to the user; never redirect); or an invalid field';

/**
 * The authorization endpoint's API, for the web app's consent page at /oauth/authorize (the
 * browser lands there with the app's query, signs in if needed, and this says what to show and
 * takes the decision). First-party only: an app cannot consent on a user's behalf.
 */
@ApiTags('oauth')
@RequiresScope('account')
@Controller('oauth/authorize')
export class AuthorizeController {
  constructor(private readonly authorization: AuthorizationService) {}

  @Get()
  @ApiOperation({
    summary: 'Check an authorization request: what the consent page shows',
    description:
      'Pass the query of /oauth/authorize as it came. Answers the app, its owner, the scopes in words and where the ' +
      'user goes back to; or only `redirectTo` when the request is wrong in a way the app must hear about ' +
      '(unsupported_response_type, invalid_scope, a missing or non-S256 PKCE challenge): send the browser there.',
    operationId: 'oauthAuthorizeView',
  })
  @ApiOkResponse({ type: AuthorizeViewDto })
  @ApiProblem(400, REFUSED)
  view(@Query() query: AuthorizeQueryDto): Promise<AuthorizeViewDto> {
    return this.authorization.view(query);
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Allow or deny the app: where to send the browser',
    description:
      'allow: the redirect URI with a single-use `code` (valid 60 seconds), `state` and `iss` (RFC 9207); the user ' +
      'gets an e-mail the first time they connect an app. deny: the redirect URI with error=access_denied.',
    operationId: 'oauthAuthorizeDecide',
  })
  @ApiOkResponse({ type: AuthorizeRedirectDto })
  @ApiProblem(400, REFUSED)
  async decide(
    @CurrentPrincipal() principal: Principal,
    @Body() body: AuthorizeDecisionDto,
    @Req() request: FastifyRequest,
  ): Promise<AuthorizeRedirectDto> {
    const { decision, ...query } = body;
    return { redirectTo: await this.authorization.decide(query, decision, principal, clientOf(request)) };
  }
}
