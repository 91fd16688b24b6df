import { Body, Controller, Header, HttpCode, Inject, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ApiProblem } from '../http/problem-responses.js';
import { AppTokensService } from '../oauth/app-tokens.service.js';
import { callerOf, ClientAuthGuard } from '../oauth/client-auth.js';
import { Public } from '../policy/access.js';
import { FIRST_PARTY_SCOPES } from '../policy/scopes.js';
import { deviceCookieOf, setDeviceCookie } from './auth-cookies.js';
import { AuthService, LoginFailed, PasswordGrantNeedsSecondFactor, type SignedIn } from './auth.service.js';
import { clientOf } from './client-info.js';
import { OAuthErrorDto, TokenRequestDto, TokenResponseDto } from './dto/oauth.dto.js';
import { OAuthError, OAuthErrorFilter } from './oauth-errors.js';
import { readTokenRequest } from './oauth-form.js';
import { RefreshRefused } from './refresh-token.service.js';
import { AccountSuspended } from './suspension.js';

/**
 * OAuth 2.0 token endpoint. Registered apps: the authorization code grant with PKCE (RFC 6749
 * §4.1, RFC 7636) and their refresh tokens, authenticated with client_secret_basic or
 * client_secret_post (public apps by client_id). First-party clients and scripts: the password
 * grant (deprecated, RFC 9700 §2.4) and the session's refresh. Form-encoded in, standard JSON out,
 * `Cache-Control: no-store`. Password attempts share the login rate limits; refresh tokens follow
 * the same rotation and reuse rules as the cookie, and neither side can spend the other's.
 */
@ApiTags('auth')
@Controller('auth')
export class OAuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly apps: AppTokensService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('token')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @Header('pragma', 'no-cache')
  @UseFilters(OAuthErrorFilter)
  @UseGuards(ClientAuthGuard)
  @ApiOperation({
    summary: 'OAuth 2.0 token endpoint: authorization_code, refresh_token and (deprecated) password grants',
    description:
      '`application/x-www-form-urlencoded` only; errors follow RFC 6749 §5.2.\n\n' +
      '**Apps** (registered under /users/me/apps): `authorization_code` with `code`, `redirect_uri` and the PKCE ' +
      '`code_verifier`; then `refresh_token`. A confidential app authenticates with HTTP Basic ' +
      '(client_secret_basic) or `client_id` + `client_secret` in the form (client_secret_post); a public app sends ' +
      '`client_id` alone. With the `openid` scope the answer has an `id_token` (ES256, keys at /api/v1/oauth/jwks). ' +
      'An app’s refresh token works for that app only.\n\n' +
      '**First-party clients and scripts**: `refresh_token` for a session. The `password` grant is **deprecated**: it ' +
      'hands the password to the client and cannot do two-step sign-in (RFC 9700 §2.4). Use the authorization code ' +
      'flow (docs/api.md, "Third-party guide") or a personal access token instead; see docs/security.md.',
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: TokenRequestDto })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiResponse({
    status: 400,
    type: OAuthErrorDto,
    description:
      'invalid_request, invalid_grant (a wrong, expired or used code; a wrong redirect_uri or code_verifier; ' +
      'another client’s refresh token), unauthorized_client (an app using the password grant), ' +
      'unsupported_grant_type or invalid_scope. A password grant for a suspended account, once the password is ' +
      'proven, is invalid_grant with error_description "the account is suspended until <ISO 8601 end>" (or "… until ' +
      'an operator lifts the suspension"). A password grant for an account with two-step sign-in is invalid_grant ' +
      'too, whose description points to personal access tokens or the app: the grant has no step for a code.',
  })
  @ApiResponse({
    status: 401,
    type: OAuthErrorDto,
    description: 'invalid_client: wrong app credentials, an unknown or suspended app (with WWW-Authenticate: Basic)',
  })
  @ApiResponse({ status: 429, type: OAuthErrorDto, description: 'temporarily_unavailable: too many attempts' })
  @ApiProblem(413, 'The body is larger than a token request needs')
  async token(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponseDto> {
    const { app } = callerOf(request);
    const form = readTokenRequest(request.headers['content-type'], body, app !== null);
    const client = clientOf(request);
    if (app !== null) {
      if (form.grant === 'authorization_code') return this.apps.exchangeCode(app, form, client);
      if (form.grant === 'refresh_token') return this.apps.refresh(app, form.refreshToken, form.scopes, client);
    }
    let signedIn: SignedIn;
    if (form.grant === 'password') {
      try {
        const granted = await this.auth.passwordGrant(
          form.username,
          form.password,
          form.scopes ?? FIRST_PARTY_SCOPES,
          client,
          deviceCookieOf(request),
        );
        setDeviceCookie(reply, this.config, granted.deviceCookie);
        signedIn = granted;
      } catch (error) {
        if (error instanceof LoginFailed)
          throw new OAuthError('invalid_grant', 'the e-mail or the password is incorrect');
        if (error instanceof AccountSuspended) throw new OAuthError('invalid_grant', error.oauthDescription);
        if (error instanceof PasswordGrantNeedsSecondFactor) {
          throw new OAuthError(
            'invalid_grant',
            'the account uses two-step sign-in, which the password grant cannot complete: use a personal access token or sign in through the app',
          );
        }
        throw error;
      }
    } else if (form.grant === 'refresh_token') {
      try {
        signedIn = await this.auth.refresh(form.refreshToken, client, form.scopes);
      } catch (error) {
        if (error instanceof RefreshRefused)
          throw new OAuthError('invalid_grant', 'the refresh token is invalid, expired or revoked');
        throw error;
      }
    } else {
      // readTokenRequest refuses a code without an app already; kept for the type's sake.
      throw new OAuthError('invalid_request', 'the authorization code grant needs an app');
    }
    return {
      access_token: signedIn.accessToken,
      token_type: 'Bearer',
      expires_in: signedIn.expiresIn,
      refresh_token: signedIn.refreshToken,
      scope: signedIn.scopes.join(' '),
    };
  }
}
