import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { deviceCookieOf, replyWithSession } from '../auth/auth-cookies.js';
import { AuthService } from '../auth/auth.service.js';
import { clientOf } from '../auth/client-info.js';
import { AccessTokenDto } from '../auth/dto/auth.dto.js';
import { AccountSuspendedProblemDto } from '../auth/dto/suspension.dto.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { PROBLEM_CONTENT_TYPE } from '../http/problem.js';
import { ApiProblem } from '../http/problem-responses.js';
import { Public } from '../policy/access.js';
import { RateLimit } from '../rate-limits/rate-limit.js';
import { PasskeyAssertionDto, PasskeyRequestOptionsDto } from './dto/passkeys.dto.js';
import { PasskeysService } from './passkeys.service.js';

/** The web app's sign-in with a passkey instead of the password (and the authenticator code). */
@ApiTags('auth')
@Controller('auth/passkey')
export class PasskeySignInController {
  constructor(
    private readonly passkeys: PasskeysService,
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('options')
  @HttpCode(200)
  @RateLimit('passkeyOptions')
  @ApiOperation({
    summary: 'Start a passkey sign-in: options for the browser',
    description:
      "Any passkey of this site the browser or the person's phone holds will do (discoverable credentials); " +
      'the authenticator must verify its user (PIN or biometrics). Good for one answer within 5 minutes.',
    operationId: 'authPasskeyOptions',
  })
  @ApiOkResponse({ type: PasskeyRequestOptionsDto })
  signInOptions(): Promise<PasskeyRequestOptionsDto> {
    return this.passkeys.signInOptions();
  }

  @Public()
  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with a passkey: the access token in the body, the refresh token as an httpOnly cookie',
    description:
      'The answer of startAuthentication() to the options of POST /auth/passkey/options. A passkey replaces both ' +
      'the password and the authenticator code. Sets the same cookies as POST /auth/login. A suspended account ' +
      'answers 403 `https://nuell.dev/problems/account-suspended`, as the password sign-in does.',
    operationId: 'authPasskey',
  })
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiProblem(400, 'The body is not a challenge id and a credential of the expected shape')
  @ApiProblem(
    401,
    'The passkey could not sign in: unknown or removed, a bad signature, another site, or an expired or used challenge',
  )
  @ApiExtraModels(AccountSuspendedProblemDto)
  @ApiResponse({
    status: 403,
    description: 'The passkey is right but the account is suspended (type account-suspended, with message and until)',
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(AccountSuspendedProblemDto) } } },
  })
  async signIn(
    @Body() body: PasskeyAssertionDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AccessTokenDto> {
    const client = clientOf(request);
    const user = await this.passkeys.signIn(body.challengeId, body.credential, client);
    const signedIn = await this.auth.signInBrowser(user, client, deviceCookieOf(request), 'passkey');
    return replyWithSession(reply, this.config, signedIn);
  }
}
