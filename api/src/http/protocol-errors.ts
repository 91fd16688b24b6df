/**
 * Errors that happen before a route is found, answered as problem details like every other:
 *
 * - a method a known path does not support: 405 with `Allow`, not a misleading 404 or 400;
 * - a URL the router cannot take (a bad percent-escape: 400; a path parameter over 100
 *   characters: 414);
 * - a request Node's HTTP parser cannot take (headers over 16 KB: 431; a timeout: 408; anything
 *   else malformed: 400). Fastify writes those straight to the socket, so they get their body here.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { HttpException, NotFoundException } from '@nestjs/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problem } from './problem.js';

/** 405: the path exists, but not with this method. The problem filter sends `allowed` as `Allow`. */
export class MethodNotAllowed extends HttpException {
  constructor(
    method: string,
    readonly allowed: readonly string[],
  ) {
    super(`${method} is not supported here; use ${allowed.join(', ')}.`, 405);
  }
}

/** Which methods each registered path answers (Fastify's route patterns: `:param`, `*`). */
export class RouteMethods {
  private readonly routes: { readonly pattern: RegExp; readonly methods: readonly string[] }[] = [];
  /** The methods of each path that has a route of its own, without parameters. */
  private readonly literal = new Map<string, string[]>();

  register(url: string, method: string | string[]): void {
    if (url === '*' || url === '/*') return; // the CORS preflight catch-all answers every path
    const pattern = url
      .split('/')
      .map((segment) =>
        segment === '*' ? '.*' : segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/');
    this.routes.push({ pattern: new RegExp(`^${pattern}/?$`), methods: [method].flat() });
    if (!/[:*]/.test(url)) this.literal.set(url, [...(this.literal.get(url) ?? []), method].flat().sort());
  }

  /**
   * The methods `path` answers, sorted; empty when no route has this path at all. A path with a
   * route of its own answers only that route's methods, not a parametric sibling's (/posts/:id).
   */
  allowed(path: string): string[] {
    const literal = this.literal.get(path.endsWith('/') ? path.slice(0, -1) : path);
    if (literal) return literal;
    const methods = this.routes.filter((route) => route.pattern.test(path)).flatMap((route) => route.methods);
    return [...new Set(methods)].sort();
  }

  /**
   * Why a request cannot be served by the route Fastify matched for it (`route`, undefined when
   * none): 404 for an unknown path, 405 for a known one. Decided before the body is read, so a body
   * of any type (or a QUERY without one) does not turn the answer into a 400 or 415. A parametric
   * route also matches a path that is a route of its own with other methods (PATCH
   * /posts/preview matches PATCH /posts/:id): that path names that resource, not an id.
   */
  refusal(method: string, route: string | undefined, url: string): HttpException | undefined {
    if (route !== undefined && !route.includes(':')) return undefined;
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    if (route !== undefined) {
      const methods = this.literal.get(path);
      return methods && !methods.includes(method) ? new MethodNotAllowed(method, methods) : undefined;
    }
    const allowed = this.allowed(path);
    // The same answer as Nest's own handler for unknown routes.
    return allowed.length > 0
      ? new MethodNotAllowed(method, allowed)
      : new NotFoundException(`Cannot ${method} ${url}`);
  }
}

const CLIENT_ERRORS: Record<string, { status: number; detail: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, detail: 'The request headers are larger than this server accepts (16 KB).' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: 'The request did not arrive in time.' },
};

const FRAMEWORK_ERRORS: Record<string, string> = {
  FST_ERR_BAD_URL: 'The URL is malformed: a percent sign must start a valid escape (%20).',
  FST_ERR_MAX_PARAM_LENGTH: 'A part of the path is longer than this API accepts (100 characters).',
};

/**
 * Fastify's `frameworkErrors`: a URL its router cannot take (a bad percent-escape: 400; a path
 * parameter over 100 characters: 414). Its default answers these in plain JSON of its own shape.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const detail = FRAMEWORK_ERRORS[error.code] ?? 'The request could not be routed.';
  const instance = request.url.split('?')[0];
  const body = { ...problem(status, detail), instance, requestId: request.id };
  void reply.code(status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

/** Fastify's `clientErrorHandler`: the same answers as its default one, as problem details. */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, detail } = CLIENT_ERRORS[error.code ?? ''] ?? {
    status: 400,
    detail: 'The request could not be parsed as HTTP.',
  };
  const body = JSON.stringify(problem(status, detail));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
