/**
 * Builds the panel's HTTP application: NestJS on Express (AdminJS's NestJS integration mounts on
 * Express only), security headers on every answer, client addresses through the same
 * TRUST_PROXY as the API. main.ts and the tests start from here.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import type { DestinationStream } from 'pino';
import { createLogger, NestLogger } from '@nuell/api';
import { prebuiltAssetsDir } from './bundle-paths.js';
import type { PanelConfig } from './config.js';
import { PanelModule } from './panel.module.js';
import { logRequests } from './request-log.js';

export async function createPanel(
  config: PanelConfig,
  options: { logStream?: DestinationStream } = {},
): Promise<NestExpressApplication> {
  // AdminJS decides between its development and production bundles from NODE_ENV at import time.
  const production = process.env.NODE_ENV === 'production';
  const prebuilt = production && prebuiltAssetsDir() !== undefined;
  if (production && process.env.ADMIN_JS_SKIP_BUNDLE === 'true' && !prebuilt) {
    throw new Error('the panel has no prebuilt bundles: run `npm run build -w @nuell/admin` first');
  }
  // One pino logger, as in the API: Nest's own lines (start-up chatter at debug) and the request log.
  const logger = createLogger(config.api, options.logStream);
  const server = express();
  server.use(logRequests(logger, config.api));
  const app = await NestFactory.create<NestExpressApplication>(
    PanelModule.forRoot(config, { prebuilt }),
    new ExpressAdapter(server),
    // AdminJS parses its own forms; nothing else here takes a body.
    { bodyParser: false, logger: new NestLogger(logger), abortOnError: false },
  );
  app.set('trust proxy', config.api.trustProxy);
  app.useSecurityHeaders({
    // Set per page with a nonce (security-headers.ts).
    contentSecurityPolicy: false,
    strictTransportSecurity: config.api.isProduction,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
  });
  return app;
}
