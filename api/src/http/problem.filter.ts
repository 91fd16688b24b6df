import { ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem.js';
import { etagOf, StaleVersion } from './etag.js';
import { MethodNotAllowed } from './protocol-errors.js';

/**
 * The single global exception filter: every error, from a guard, a pipe, a handler, Fastify's
 * body parsing or an unknown route, leaves as application/problem+json.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const converted = toProblem(exception);
    const problem = converted.problem;
    const path = request.url.split('?')[0] ?? '/';
    if (exception instanceof MethodNotAllowed) void reply.header('allow', exception.allowed.join(', '));

    if (problem.status === 503 && !(exception instanceof HttpException)) {
      this.logger.warn(
        { err: exception, reqId: request.id, url: request.url, context: 'ProblemFilter' },
        'database unavailable',
      );
    } else if (!converted.expected) {
      // With its stack and the request id, which the client received in the problem document.
      this.logger.error(
        { err: exception, reqId: request.id, url: request.url, context: 'ProblemFilter' },
        'unexpected error',
      );
    }
    const body = { ...problem, instance: path, requestId: request.id };
    if (problem.status === 401) void reply.header('www-authenticate', 'Bearer realm="nuell"');
    if (exception instanceof StaleVersion) void reply.header('etag', etagOf(exception.current));
    if (converted.retryAfterSeconds) void reply.header('retry-after', String(converted.retryAfterSeconds));
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
  }
}
