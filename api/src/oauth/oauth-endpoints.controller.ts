import { Body, Controller, Get, Header, HttpCode, Post, Req, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { OAuthErrorDto } from '../auth/dto/oauth.dto.js';
import { InvalidClient, OAuthError, OAuthErrorFilter } from '../auth/oauth-errors.js';
import { CurrentPrincipal, type Principal, Public, RequiresScope } from '../policy/access.js';
import { AppTokensService } from './app-tokens.service.js';
import { callerOf, ClientAuthGuard } from './client-auth.js';
import { IntrospectionDto, IntrospectRequestDto, JwksDto, RevokeRequestDto, UserInfoDto } from './dto/tokens.dto.js';
import type { OAuthClient } from './oauth-client.entity.js';
import { SigningKeysService } from './signing-keys.service.js';

const CLIENT_401 = {
  status: 401,
  type: OAuthErrorDto,
  description: 'invalid_client: no, wrong or suspended app credentials (with WWW-Authenticate: Basic)',
};

/** The `token` field of a form-encoded revocation or introspection request. */
function tokenOf(request: FastifyRequest, body: unknown): string {
  if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
    throw new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded');
  }
  const token = (body as Record<string, unknown> | undefined)?.token;
  if (typeof token !== 'string' || token === '') throw new OAuthError('invalid_request', 'token is required');
  return token;
}

function appOf(request: FastifyRequest): OAuthClient {
  const { app } = callerOf(request);
  if (app === null) throw new InvalidClient('this endpoint is for registered apps: authenticate with your client_id');
  return app;
}

/**
 * The OpenID Provider's and authorization server's own endpoints besides the token endpoint: the
 * JWKS that verifies ID tokens, userinfo, and revocation and introspection of an app's own tokens.
 */
@ApiTags('oauth')
@Controller('oauth')
export class OAuthEndpointsController {
  constructor(
    private readonly tokens: AppTokensService,
    private readonly keys: SigningKeysService,
  ) {}

  @Public()
  @Get('jwks')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({
    summary: 'The JSON Web Key Set that verifies ID tokens (ES256)',
    description: 'Keys rotate every 30 days; a retired key stays here until every token it signed has expired.',
    operationId: 'oauthJwks',
  })
  @ApiOkResponse({ type: JwksDto })
  jwks(): Promise<JwksDto> {
    return this.keys.jwks();
  }

  @Get('userinfo')
  @RequiresScope('openid')
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'OpenID Connect userinfo: who the app’s access token acts for',
    description: '`sub` always; `name` with the profile scope; `email` and `email_verified` with the email scope.',
    operationId: 'oauthUserinfo',
  })
  @ApiOkResponse({ type: UserInfoDto })
  userinfo(@CurrentPrincipal() principal: Principal): Promise<UserInfoDto> {
    return this.tokens.userinfo(principal);
  }

  @Post('userinfo')
  @HttpCode(200)
  @RequiresScope('openid')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'OpenID Connect userinfo, by POST', operationId: 'oauthUserinfoPost' })
  @ApiOkResponse({ type: UserInfoDto })
  userinfoByPost(@CurrentPrincipal() principal: Principal): Promise<UserInfoDto> {
    return this.tokens.userinfo(principal);
  }

  @Public()
  @Post('revoke')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @UseFilters(OAuthErrorFilter)
  @UseGuards(ClientAuthGuard)
  @ApiOperation({
    summary: 'Revoke one of your app’s tokens (RFC 7009)',
    description:
      'An access or a refresh token: the whole grant it belongs to ends (both kinds). Another app’s token, or an ' +
      'unknown one, answers 200 too and changes nothing, as RFC 7009 says. Authenticate as at the token endpoint.',
    operationId: 'oauthRevoke',
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: RevokeRequestDto })
  @ApiOkResponse({ description: 'Revoked, or nothing to revoke' })
  @ApiResponse({ status: 400, type: OAuthErrorDto, description: 'invalid_request: no token, or not a form' })
  @ApiResponse(CLIENT_401)
  async revoke(@Req() request: FastifyRequest, @Body() body: unknown): Promise<void> {
    const app = appOf(request);
    await this.tokens.revoke(app, tokenOf(request, body));
  }

  @Public()
  @Post('introspect')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @UseFilters(OAuthErrorFilter)
  @UseGuards(ClientAuthGuard)
  @ApiOperation({
    summary: 'Introspect one of your app’s tokens (RFC 7662)',
    description:
      'Whether the token is live, and its scopes, user and expiry. Another app’s token, or an expired or revoked ' +
      'one, is `{ "active": false }`. Authenticate as at the token endpoint.',
    operationId: 'oauthIntrospect',
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: IntrospectRequestDto })
  @ApiOkResponse({ type: IntrospectionDto })
  @ApiResponse({ status: 400, type: OAuthErrorDto, description: 'invalid_request: no token, or not a form' })
  @ApiResponse(CLIENT_401)
  introspect(@Req() request: FastifyRequest, @Body() body: unknown): Promise<IntrospectionDto> {
    const app = appOf(request);
    return this.tokens.introspect(app, tokenOf(request, body));
  }
}
