/**
 * How the token endpoint fails: RFC 6749 §5.2's `{ error, error_description }` in JSON, never the
 * problem+json the rest of the API answers, since that is what OAuth clients read.
 */
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  isDatabaseUnavailable,
  TooManyRequests,
  ValidationProblem,
} from '../http/problem.js';

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_token_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'temporarily_unavailable';

/** RFC 6749 §5.2 error codes, answered as `{ error, error_description }`. */
export class OAuthError extends HttpException {
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    status = 400,
  ) {
    super(description, status);
  }
}

/**
 * The client failed to authenticate (RFC 6749 §5.2): 401 with a Basic challenge, so a client that
 * sent its credentials in the body learns that the header is the expected way.
 */
export class InvalidClient extends OAuthError {
  constructor(description = 'client authentication failed') {
    super('invalid_client', description, 401);
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
      if (exception instanceof InvalidClient)
        void reply.header('www-authenticate', 'Basic realm="nuell", charset="UTF-8"');
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
