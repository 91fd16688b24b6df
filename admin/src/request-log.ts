/**
 * The panel's request log, shaped like the API's (api/src/logging): one line per answered
 * request, enough to find it (id, method, URL, status, time, user agent, client address), never
 * its headers or body; at the API's levels (5xx at error, answers slower than LOG_SLOW_MS at warn,
 * the rest at debug). The panel's own health probes stay out of it.
 * It is the first Express middleware, so it sees AdminJS's routes too.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { accessLevel, type AppConfig, requestId } from '@nuell/api';

const HEALTH_PROBE = /^\/cp\/health\/(live|ready)(\?|$)/;

export function logRequests(logger: Logger, config: Pick<AppConfig, 'logSlowMs'>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!HEALTH_PROBE.test(req.url) && logger.isLevelEnabled('error')) {
      const started = performance.now();
      // A caller's plain X-Request-Id is kept, as the API keeps it; otherwise a fresh UUID.
      const id = requestId(req);
      res.setHeader('x-request-id', id);
      // 'close' also fires when the client goes away before the answer is complete.
      res.once('close', () => {
        const responseTime = performance.now() - started;
        const level = accessLevel(res.statusCode, responseTime, config.logSlowMs);
        if (!logger.isLevelEnabled(level)) return;
        logger[level](
          {
            req: {
              id,
              method: req.method,
              url: req.originalUrl,
              userAgent: req.headers['user-agent'],
              remoteAddress: req.ip,
            },
            res: { statusCode: res.statusCode, ...(res.writableFinished ? {} : { aborted: true }) },
            responseTime: Math.round(responseTime),
          },
          'request completed',
        );
      });
    }
    next();
  };
}
