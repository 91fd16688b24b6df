/**
 * The panel's request logging: pino-http as Express middleware (nestjs-pino), with the API's
 * redaction and request ids, JSON in production and readable in development. The panel's own
 * health probes are left out of the log.
 */
import type { IncomingMessage } from 'node:http';
import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { type AppConfig, LOG_REDACTION, requestId } from '@nuell/api';

const HEALTH_PROBE = /^\/cp\/health\/(live|ready)(\?|$)/;

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
export class PanelLoggingModule {
  static forRoot(config: AppConfig, stream?: DestinationStream): DynamicModule {
    const pretty = config.env === 'development' && stream === undefined;
    return {
      module: PanelLoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            // A caller's plain X-Request-Id is kept, as the API keeps it; otherwise a fresh UUID.
            genReqId: (req: IncomingMessage) => requestId(req),
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
