/**
 * Owns request logging: one pino logger, JSON in production and readable in development, a
 * request id per request (an incoming X-Request-Id is honoured and echoed), secrets redacted.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '../config/config.js';

/** The API's and the control panel's probes (both processes log through this module). */
const HEALTH_PROBE = /^\/(api|cp)\/health\/(live|ready)(\?|$)/;

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

/** pino-http hands serializers its standard request shape (pino-std-serializers), not the raw one. */
interface SerializedRequest {
  id?: unknown;
  method?: string;
  url?: string;
  headers?: Record<string, unknown>;
  remoteAddress?: string;
}

/** What a request line records: enough to find the request, never its headers or body. */
const serializers = {
  req: (req: SerializedRequest) => ({
    id: req.id,
    method: req.method,
    url: req.url,
    userAgent: req.headers?.['user-agent'],
    remoteAddress: req.remoteAddress,
  }),
  res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
};

@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig, stream?: DestinationStream): DynamicModule {
    const pretty = config.env === 'development' && stream === undefined;
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            // Fastify assigned the id (see requestId); pino-http reuses the one on the request.
            serializers,
            redact: LOG_REDACTION,
            // Health probes every few seconds would drown everything else.
            // Middleware sees a mount-relative req.url; originalUrl is the path the client asked for.
            autoLogging: {
              ignore: (req) => HEALTH_PROBE.test((req as { originalUrl?: string }).originalUrl ?? req.url ?? ''),
            },
            customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
            ...(pretty
              ? { transport: { target: 'pino-pretty', options: { singleLine: true, ignore: 'pid,hostname' } } }
              : {}),
            ...(stream ? { stream } : {}),
          },
        }),
      ],
    };
  }
}
