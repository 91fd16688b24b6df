import { Body, Controller, Header, HttpCode, Inject, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ApiProblem } from '../http/problem-responses.js';
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
 * OAuth 2.0 token endpoint (RFC 6749 §4.3 password grant, §6 refresh) for first-party clients and
 * scripts. Form-encoded in, standard JSON out, `Cache-Control: no-store`. Password attempts share
 * the login rate limits; refresh tokens follow the same rotation and reuse rules as the cookie.
 */
@ApiTags('auth')
@Controller('auth')
export class OAuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('token')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @Header('pragma', 'no-cache')
  @UseFilters(OAuthErrorFilter)
  @ApiOperation({
    summary: 'OAuth 2.0 token endpoint: password and refresh_token grants',
    description:
      'For first-party clients and scripts (CLI, mobile, Swagger UI). `application/x-www-form-urlencoded` only. ' +
      'Errors follow RFC 6749 §5.2. See docs/security.md for why the password grant is an accepted risk.',
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: TokenRequestDto })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiResponse({
    status: 400,
    type: OAuthErrorDto,
    description:
      'invalid_request, invalid_grant, unsupported_grant_type or invalid_scope. A password grant for a suspended ' +
      'account, once the password is proven, is invalid_grant with error_description "the account is suspended ' +
      'until <ISO 8601 end>" (or "… until an operator lifts the suspension"). A password grant for an account with ' +
      'two-step sign-in is invalid_grant too, whose description points to personal access tokens or the app: the ' +
      'grant has no step for a code.',
  })
  @ApiResponse({ status: 429, type: OAuthErrorDto, description: 'temporarily_unavailable: too many attempts' })
  @ApiProblem(413, 'The body is larger than a token request needs')
  async token(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponseDto> {
    const form = readTokenRequest(request.headers['content-type'], body);
    const client = clientOf(request);
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
    } else {
      try {
        signedIn = await this.auth.refresh(form.refreshToken, client, form.scopes);
      } catch (error) {
        if (error instanceof RefreshRefused)
          throw new OAuthError('invalid_grant', 'the refresh token is invalid, expired or revoked');
        throw error;
      }
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
