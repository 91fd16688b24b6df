import { ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, TooManyRequests, toProblem } from './problem.js';

/**
 * The single global exception filter: every error, from a guard, a pipe, a handler, Fastify's
 * body parsing or an unknown route, leaves as application/problem+json.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { problem, expected } = toProblem(exception);

    if (!expected) {
      // Logged here rather than by pino-http: routes Fastify serves itself (the OpenAPI UI)
      // bypass Nest middleware, and their failures must not go unseen.
      this.logger.error({ err: exception, reqId: request.id, url: request.url }, 'unexpected error');
    }
    const body = { ...problem, instance: request.url.split('?')[0], requestId: request.id };
    if (problem.status === 401) void reply.header('www-authenticate', 'Bearer realm="nuell"');
    if (exception instanceof TooManyRequests) void reply.header('retry-after', String(exception.retryAfterSeconds));
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
  }
}
