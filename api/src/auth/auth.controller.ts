import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiSecurity,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { PROBLEM_CONTENT_TYPE } from '../http/problem.js';
import { ApiProblem } from '../http/problem-responses.js';
import { UserDto } from '../users/dto/user.dto.js';
import { CurrentPrincipal, type Principal, Public, RequiresScope } from '../policy/access.js';
import { AuthService } from './auth.service.js';
import { InvalidCredentials } from './auth.guard.js';
import { clientOf } from './client-info.js';
import {
  AcceptedDto,
  AccessTokenDto,
  EmailField,
  LoginDto,
  RegisterDto,
  ResetPasswordDto,
  TokenDto,
} from './dto/auth.dto.js';
import { AccountSuspendedProblemDto } from './dto/suspension.dto.js';
import { MfaRequiredProblemDto, SecondFactorLoginDto } from '../mfa/dto/mfa.dto.js';
import { RateLimit } from '../rate-limits/rate-limit.js';
import {
  assertSameOrigin,
  clearRefreshCookie,
  deviceCookieOf,
  refreshCookieOf,
  replyWithSession,
} from './auth-cookies.js';
import { RefreshRefused } from './refresh-token.service.js';

const FORGOT_ANSWER = 'If an account exists for this address, we sent it a link to reset the password.';

/** The browser's sign-in flows (JSON, refresh cookie) and the e-mailed links. */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('register')
  @RateLimit('signupIp')
  @ApiOperation({ summary: 'Create an account; a verification e-mail follows' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiProblem(400, 'Invalid field, unknown field, or a password rule broken')
  @ApiProblem(409, 'An account with this e-mail address already exists')
  register(@Body() body: RegisterDto, @Req() request: FastifyRequest): Promise<UserDto> {
    return this.auth.register(body, clientOf(request));
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in: the access token in the body, the refresh token as an httpOnly cookie',
    description:
      'Sets `refresh_token` (HttpOnly, SameSite=Strict, Path=/api/v1/auth) and `device`, which keeps this ' +
      "browser's own allowance of failed sign-ins when others exhaust the account's (docs/security.md). " +
      'Unknown e-mail and wrong password answer the same 401, and so does a suspended account unless the ' +
      'password is right: then 403 `https://nuell.dev/problems/account-suspended`, whose `message` is what the ' +
      "operator wrote for the account's owner (or null) and `until` when the suspension ends (ISO 8601, or null: " +
      'until an operator lifts it). An account with two-step sign-in answers 403 ' +
      '`https://nuell.dev/problems/mfa-required` with a `ticket` instead of a session: finish with POST /auth/login/mfa.',
  })
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiProblem(401, 'The e-mail or the password is incorrect')
  @ApiExtraModels(AccountSuspendedProblemDto, MfaRequiredProblemDto)
  @ApiResponse({
    status: 403,
    description:
      'The password is right but the account is suspended (type account-suspended, with message and until), or it ' +
      'has two-step sign-in on (type mfa-required, with the ticket for POST /auth/login/mfa)',
    content: {
      [PROBLEM_CONTENT_TYPE]: {
        schema: {
          oneOf: [{ $ref: getSchemaPath(AccountSuspendedProblemDto) }, { $ref: getSchemaPath(MfaRequiredProblemDto) }],
        },
      },
    },
  })
  @ApiProblem(429, 'Too many attempts for this account or from this address')
  async login(
    @Body() body: LoginDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AccessTokenDto> {
    const signedIn = await this.auth.login(body.email, body.password, clientOf(request), deviceCookieOf(request));
    return replyWithSession(reply, this.config, signedIn);
  }

  @Public()
  @Post('login/mfa')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Finish a sign-in that needs a second factor: the ticket, and a code or a recovery code',
    description:
      'The second step after POST /auth/login answered 403 `https://nuell.dev/problems/mfa-required`: send its ' +
      '`ticket` with `code` (6 digits from the authenticator app) or `recoveryCode` (one of the ten, spent by this). ' +
      'Answers like POST /auth/login and sets the same cookies. A code is accepted once; wrong codes count against ' +
      'the same limits as wrong passwords, and five of them spend the ticket. The ticket lives five minutes and ' +
      'finishes one sign-in.',
  })
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiProblem(400, 'Neither code nor recovery code, or the code is wrong or was already used (field error)')
  @ApiProblem(401, 'The ticket is unknown, expired, already used or spent by wrong codes (type mfa-ticket-invalid)')
  @ApiExtraModels(AccountSuspendedProblemDto)
  @ApiResponse({
    status: 403,
    description: 'The account was suspended meanwhile (type account-suspended, with message and until)',
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(AccountSuspendedProblemDto) } } },
  })
  @ApiProblem(429, 'Too many attempts for this account or from this address')
  async loginWithSecondFactor(
    @Body() body: SecondFactorLoginDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AccessTokenDto> {
    const signedIn = await this.auth.loginWithSecondFactor(
      body.ticket,
      body.recoveryCode !== undefined ? { recoveryCode: body.recoveryCode } : { code: body.code ?? '' },
      clientOf(request),
      deviceCookieOf(request),
    );
    return replyWithSession(reply, this.config, signedIn);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiCookieAuth('refresh_token')
  @ApiOperation({
    summary: 'New access token from the refresh cookie; the cookie is rotated',
    description: 'Only from the web app (its Origin). Replaying a rotated refresh token ends the whole session.',
  })
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiProblem(401, 'No, an expired, a revoked or a reused refresh token')
  @ApiProblem(403, 'Cross-site request')
  async refresh(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AccessTokenDto> {
    assertSameOrigin(request, this.config);
    const token = refreshCookieOf(request);
    if (!token) throw new InvalidCredentials('No refresh token: sign in again.');
    try {
      return replyWithSession(reply, this.config, await this.auth.refresh(token, clientOf(request)));
    } catch (error) {
      if (!(error instanceof RefreshRefused)) throw error;
      clearRefreshCookie(reply, this.config);
      throw new InvalidCredentials('The session has ended; sign in again.');
    }
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  // Signing out is idempotent: without the cookie there is nothing to revoke, and that is a 204 too.
  @ApiSecurity({})
  @ApiCookieAuth('refresh_token')
  @ApiOperation({ summary: 'Sign out: revokes the session, if the cookie names one, and clears the cookie' })
  @ApiNoContentResponse({ description: 'Signed out (also when there was nothing to sign out of)' })
  @ApiProblem(403, 'Cross-site request')
  async logout(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    assertSameOrigin(request, this.config);
    const token = refreshCookieOf(request);
    if (token) await this.auth.logout(token);
    clearRefreshCookie(reply, this.config);
  }

  @Public()
  @Post('email/verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm an e-mail address (after sign-up or an address change) with the e-mailed token' })
  @ApiOkResponse({ type: UserDto })
  @ApiProblem(400, 'Invalid, expired or used token')
  @ApiProblem(409, 'The new address was taken meanwhile')
  verifyEmail(@Body() body: TokenDto): Promise<UserDto> {
    return this.auth.verifyEmail(body.token);
  }

  @Post('email/verify/resend')
  @HttpCode(202)
  @RequiresScope('account')
  @RateLimit('verifyResend')
  @ApiOperation({ summary: 'Send the verification e-mail again' })
  @ApiAcceptedResponse({ type: AcceptedDto })
  @ApiProblem(409, 'The address is already verified')
  async resendVerification(@CurrentPrincipal() principal: Principal): Promise<AcceptedDto> {
    await this.auth.resendVerification(principal.userId);
    return { message: 'We sent the verification e-mail again.' };
  }

  @Public()
  @Post('password/forgot')
  @HttpCode(202)
  @RateLimit('passwordForgot')
  @ApiOperation({ summary: 'E-mail a password reset link; answers the same whether or not the account exists' })
  @ApiAcceptedResponse({ type: AcceptedDto, example: { message: FORGOT_ANSWER } })
  async forgotPassword(@Body() body: EmailField): Promise<AcceptedDto> {
    await this.auth.forgotPassword(body.email);
    return { message: FORGOT_ANSWER };
  }

  @Public()
  @Post('password/reset')
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a new password with the e-mailed token; every session of the account ends' })
  @ApiNoContentResponse({ description: 'Password changed; sign in with it' })
  @ApiProblem(400, 'Invalid, expired or used token, or a password rule broken')
  async resetPassword(@Body() body: ResetPasswordDto): Promise<void> {
    await this.auth.resetPassword(body.token, body.password);
  }
}
