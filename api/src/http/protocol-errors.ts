/**
 * Errors that happen before a route is found, answered as problem details like every other:
 *
 * - a method a known path does not support: 405 with `Allow`, not a misleading 404;
 * - a request Node's HTTP parser cannot take (headers over 16 KB: 431; a timeout: 408; anything
 *   else malformed: 400). Fastify writes those straight to the socket, so they get their body here.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { PROBLEM_CONTENT_TYPE, problem } from './problem.js';

/** Which methods each registered path answers (Fastify's route patterns: `:param`, `*`). */
export class RouteMethods {
  private readonly routes: { readonly pattern: RegExp; readonly methods: readonly string[] }[] = [];

  register(url: string, method: string | string[]): void {
    if (url === '*' || url === '/*') return; // the CORS preflight catch-all answers every path
    const pattern = url
      .split('/')
      .map((segment) =>
        segment === '*' ? '.*' : segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/');
    this.routes.push({ pattern: new RegExp(`^${pattern}/?$`), methods: [method].flat() });
  }

  /** The methods `path` answers, sorted; empty when no route has this path at all. */
  allowed(path: string): string[] {
    const methods = this.routes.filter((route) => route.pattern.test(path)).flatMap((route) => route.methods);
    return [...new Set(methods)].sort();
  }
}

const CLIENT_ERRORS: Record<string, { status: number; detail: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, detail: 'The request headers are larger than this server accepts (16 KB).' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: 'The request did not arrive in time.' },
};

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
