/**
 * Owns logging: one pino logger for the process, JSON lines in production and readable lines in
 * development, secrets redacted. Every answered request (health probes excepted) has an access
 * line, with the request id that Fastify assigned (an incoming X-Request-Id is honoured and echoed;
 * behind Caddy it is Caddy's own, so the two logs join): at error level for a 5xx answer, at warn
 * for a slow one, at debug for the rest, so that at the default level only the answers worth a look
 * cost a line. Nest's own messages go to the same logger, its start-up chatter (a line per module
 * and per route) at debug level.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { type DestinationStream, type Level, type Logger, pino } from 'pino';
import type { AppConfig } from '../config/config.js';

const HEALTH_PROBE = /^\/api\/health\/(live|ready)(\?|$)/;

/** Honour a caller's id only when it is short and plain, so it cannot forge log lines. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
];

export const LOG_REDACTION = { paths: REDACTED_PATHS, censor: '[redacted]' };

/** Fastify's genReqId: the caller's X-Request-Id when acceptable, a fresh UUID otherwise. */
export function requestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** The process's logger; `stream` replaces stdout (tests read what is logged). */
export function createLogger(config: Pick<AppConfig, 'env' | 'logLevel'>, stream?: DestinationStream): Logger {
  const options = { level: config.logLevel, redact: LOG_REDACTION };
  if (stream) return pino(options, stream);
  if (config.env === 'development') {
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { singleLine: true, ignore: 'pid,hostname' } },
    });
  }
  return pino(options);
}

/**
 * The level of an answered request's line. A 5xx answer is an error. An answer that took
 * `slowMs` or longer is a warning: the default level (info) shows it, and so does `warn`, the
 * level chosen to log least, because a slow answer is what an operator looks for when the
 * database or the pool struggles. Every other answer is `debug`: the edge (Caddy) already writes
 * a line for each request, with the same id, and one more line per answer cost about 20% of the
 * throughput of light routes (docs/performance.md).
 */
export function accessLevel(statusCode: number, responseTimeMs: number, slowMs: number): Level {
  if (statusCode >= 500) return 'error';
  return responseTimeMs >= slowMs ? 'warn' : 'debug';
}

/**
 * One line per answered request: enough to find it (id, method, URL, status, time, user agent,
 * client address), never its headers or body, at `accessLevel`; nothing is written, or built,
 * when the level does not log it. The line's fields are fixed and hold no secret, so it is
 * written by a child logger without the redaction pass, which cost 20-40 µs of CPU a line
 * (docs/performance.md).
 */
export function logRequests(fastify: FastifyInstance, logger: Logger, config: Pick<AppConfig, 'logSlowMs'>): void {
  const access = logger.child({}, { redact: [] });
  fastify.addHook('onResponse', (request, reply, done) => {
    const responseTime = reply.elapsedTime;
    // An event stream (GET /api/v1/posts/stream) lasts as long as its reader stays: not slow.
    const streamed = String(reply.getHeader('content-type')).startsWith('text/event-stream');
    const level = accessLevel(reply.statusCode, streamed ? 0 : responseTime, config.logSlowMs);
    if (access.isLevelEnabled(level) && !HEALTH_PROBE.test(request.url)) {
      access[level](
        {
          req: {
            id: request.id,
            method: request.method,
            url: request.url,
            userAgent: request.headers['user-agent'],
            remoteAddress: request.ip,
          },
          res: { statusCode: reply.statusCode },
          responseTime: Math.round(responseTime),
        },
        'request completed',
      );
    }
    done();
  });
}

/** Nest's lines that say only what was loaded and mapped at start. */
const STARTUP_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
]);

/**
 * Nest's LoggerService on pino. A Nest `Logger` appends its context as the last argument (and an
 * `undefined` stack to `error`); an object as the message becomes the line's fields.
 */
export class NestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const strings = params.filter((p): p is string => typeof p === 'string');
    const context = params.length > 0 && typeof params.at(-1) === 'string' ? strings.pop() : undefined;
    const effective: Level = level === 'info' && context && STARTUP_CONTEXTS.has(context) ? 'debug' : level;
    if (!this.logger.isLevelEnabled(effective)) return;
    const fields =
      message instanceof Error
        ? { err: message }
        : typeof message === 'object' && message !== null
          ? (message as Record<string, unknown>)
          : {};
    const text = typeof message === 'string' ? [message, ...strings].join(' ') : strings.join(' ');
    this.logger[effective]({ ...fields, ...(context ? { context } : {}) }, text);
  }
}
