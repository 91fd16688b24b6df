import { ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem.js';

/** pino-http logs the `err` it finds on the raw response with the request's completion line. */
interface LoggedResponse {
  err?: unknown;
}

/**
 * The single global exception filter: every error, from a guard, a pipe, a handler, Fastify's
 * body parsing or an unknown route, leaves as application/problem+json.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { problem, expected } = toProblem(exception);

    if (!expected) {
      // pino-http logs `res.err` (stack included) with the request's completion line.
      (reply.raw as LoggedResponse).err = exception;
    }
    const body = { ...problem, instance: request.url.split('?')[0], requestId: request.id };
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
  }
}
