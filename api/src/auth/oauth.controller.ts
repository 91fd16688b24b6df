import {
  type ArgumentsHost,
  Body,
  Catch,
  Controller,
  type ExceptionFilter,
  Header,
  HttpCode,
  HttpException,
  Inject,
  Logger,
  Post,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { deviceCookieOf, setDeviceCookie } from './auth-cookies.js';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  isDatabaseUnavailable,
  TooManyRequests,
  ValidationProblem,
} from '../http/problem.js';
import { ApiProblem } from '../http/problem-responses.js';
import { Public } from '../policy/access.js';
import { AuthService, LoginFailed, type SignedIn } from './auth.service.js';
import { clientOf } from './client-info.js';
import { ALL_SCOPES, isScope, type Scope } from '../policy/scopes.js';
import { RefreshRefused } from './refresh-token.service.js';

/** RFC 6749 §5.2 error codes, answered as `{ error, error_description }`. */
export class OAuthError extends HttpException {
  constructor(
    readonly code:
      'invalid_request' | 'invalid_grant' | 'unsupported_grant_type' | 'invalid_scope' | 'temporarily_unavailable',
    readonly description: string,
    status = 400,
  ) {
    super(description, status);
  }
}

/** Renders every failure of the token endpoint the way OAuth clients expect, never problem+json. */
@Catch()
export class OAuthErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('OAuthErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    let status = 500;
    let body = { error: 'server_error', error_description: 'An unexpected error occurred.' };
    if (exception instanceof OAuthError) {
      status = exception.getStatus();
      body = { error: exception.code, error_description: exception.description };
    } else if (exception instanceof TooManyRequests) {
      status = 429;
      body = { error: 'temporarily_unavailable', error_description: exception.message };
      void reply.header('retry-after', String(exception.retryAfterSeconds));
    } else if (isDatabaseUnavailable(exception)) {
      status = 503;
      body = { error: 'temporarily_unavailable', error_description: 'The service is briefly unavailable.' };
      void reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    } else if (exception instanceof ValidationProblem) {
      status = 400;
      body = { error: 'invalid_request', error_description: exception.errors.map((e) => e.detail).join('; ') };
    } else if (exception instanceof HttpException && exception.getStatus() < 500) {
      status = 400;
      body = { error: 'invalid_request', error_description: exception.message };
    } else {
      this.logger.error({ err: exception }, 'unexpected error at the token endpoint');
    }
    void reply
      .status(status)
      .header('cache-control', 'no-store')
      .header('pragma', 'no-cache')
      .header('content-type', 'application/json; charset=utf-8')
      .send(body);
  }
}

class TokenRequestDto {
  @ApiProperty({ enum: ['password', 'refresh_token'], example: 'password' })
  grant_type!: string;
  @ApiPropertyOptional({ description: 'The account e-mail (password grant)', example: 'ada@example.com' })
  username?: string;
  @ApiPropertyOptional({
    description: 'The password (password grant)',
    format: 'password',
    example: 'Correct-Horse-Battery-9',
  })
  password?: string;
  @ApiPropertyOptional({
    description: 'The refresh token (refresh_token grant)',
    example: 'kq3J0x2bq8F1yq2rV8dG3l5mN6pQ7sT9uW0xY1zA2bC',
  })
  refresh_token?: string;
  @ApiPropertyOptional({ description: 'Space-separated scopes; default: all', example: 'profile posts:write' })
  scope?: string;
  @ApiPropertyOptional({ description: 'Accepted and ignored: every client is public', example: 'my-cli' })
  client_id?: string;
}

class TokenResponseDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9…' }) access_token!: string;
  @ApiProperty({ example: 'Bearer' }) token_type!: string;
  @ApiProperty({ example: 900 }) expires_in!: number;
  @ApiProperty({ example: 'kq3J0x2bq8F1yq2rV8dG3l5mN6pQ7sT9uW0xY1zA2bC' }) refresh_token!: string;
  @ApiProperty({ example: 'profile posts:write' }) scope!: string;
}

class OAuthErrorDto {
  @ApiProperty({
    enum: ['invalid_request', 'invalid_grant', 'unsupported_grant_type', 'invalid_scope', 'temporarily_unavailable'],
    example: 'invalid_grant',
  })
  error!: string;
  @ApiProperty({ example: 'the e-mail or the password is incorrect' }) error_description!: string;
}

function field(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new OAuthError('invalid_request', `${name} must be given once, as a string`);
  return value;
}

function required(body: Record<string, unknown>, name: string): string {
  const value = field(body, name);
  if (!value) throw new OAuthError('invalid_request', `${name} is required`);
  return value;
}

function parseScope(value: string | undefined): Scope[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const requested = value.trim().split(/\s+/);
  const unknown = requested.filter((s) => !isScope(s));
  if (unknown.length > 0) throw new OAuthError('invalid_scope', `unknown scope: ${unknown.join(' ')}`);
  return [...new Set(requested as Scope[])];
}

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
    description: 'invalid_request, invalid_grant, unsupported_grant_type or invalid_scope',
  })
  @ApiResponse({ status: 429, type: OAuthErrorDto, description: 'temporarily_unavailable: too many attempts' })
  @ApiProblem(413, 'The body is larger than a token request needs')
  async token(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponseDto> {
    if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
      throw new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded');
    }
    const form = (body ?? {}) as Record<string, unknown>;
    const grant = required(form, 'grant_type');
    const scopes = parseScope(field(form, 'scope'));
    const client = clientOf(request);
    let signedIn: SignedIn;
    if (grant === 'password') {
      const username = required(form, 'username');
      const password = required(form, 'password');
      try {
        const verified = await this.auth.checkCredentials(username, password, client, deviceCookieOf(request));
        signedIn = await this.auth.signIn(verified.user, scopes ?? ALL_SCOPES, client);
        setDeviceCookie(reply, this.config, verified.deviceCookie);
      } catch (error) {
        if (error instanceof LoginFailed)
          throw new OAuthError('invalid_grant', 'the e-mail or the password is incorrect');
        throw error;
      }
    } else if (grant === 'refresh_token') {
      try {
        signedIn = await this.auth.refresh(required(form, 'refresh_token'), client, scopes);
      } catch (error) {
        if (error instanceof RefreshRefused)
          throw new OAuthError('invalid_grant', 'the refresh token is invalid, expired or revoked');
        throw error;
      }
    } else {
      throw new OAuthError(
        'unsupported_grant_type',
        `grant_type ${grant} is not supported; use password or refresh_token`,
      );
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
