/**
 * Mounts AdminJS at /cp on the Express app, in @adminjs/nestjs's "custom loader" slot, with the
 * panel's own security around @adminjs/express's route builders:
 *
 *   CSP nonce ─ static bundles ─ same-origin check ─ session ─ sign-in (both steps)/out ─ operator gate
 *   ─ form parsing ─ the audit client ─ the audit log's CSV ─ AdminJS's pages and JSON API ─ errors
 *
 * The stock authenticated router would parse uploads before anyone signed in, keep its own
 * in-memory login limit, leave the session id unchanged at sign-in and answer errors with stack
 * traces; this order keeps all of that out.
 */
import { HttpException, Inject, Injectable, Logger } from '@nestjs/common';
import type { AbstractHttpAdapter } from '@nestjs/core';
import { buildAssets, buildRoutes } from '@adminjs/express';
import { AbstractLoader } from '@adminjs/nestjs';
import AdminJS, { ForbiddenError, NotFoundError, Router as AdminRouter, ValidationError } from 'adminjs';
import express, { type ErrorRequestHandler, type Express } from 'express';
import formidable from 'express-formidable';
import { AuditRepository, AuthService, auditClient, TotpService, UsersRepository, withAuditClient } from '@nuell/api';
import { auditExport, EXPORT_PATH } from './audit-export.js';
import { type PanelConfig, ROOT_PATH } from './config.js';
import { type PanelSessions } from './auth/panel-session.js';
import { sameOriginOnly } from './auth/same-origin.js';
import { operatorGate, signInRoutes } from './auth/sign-in.js';
import { PANEL_CONFIG, PANEL_SESSIONS } from './panel-services.module.js';
import { withContentSecurityPolicy } from './security-headers.js';
import { prebuiltAssetsDir } from './bundle-paths.js';

/** Form bodies: large enough for a 100,000-character post, no files at all. */
const FORMS = { maxFieldsSize: 2 * 1024 * 1024, maxFields: 200, maxFileSize: 1 };

function statusOf(error: unknown): number {
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof ValidationError) return 400;
  if (error instanceof HttpException) return error.getStatus();
  const status = (error as { status?: unknown } | null)?.status; // body-parser and formidable say so
  return typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
}

@Injectable()
export class PanelLoader extends AbstractLoader {
  private readonly logger = new Logger('Panel');

  constructor(
    @Inject(PANEL_CONFIG) private readonly config: PanelConfig,
    @Inject(PANEL_SESSIONS) private readonly sessions: PanelSessions,
    private readonly auth: AuthService,
    private readonly totp: TotpService,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
  ) {
    super();
  }

  override async register(admin: AdminJS, httpAdapter: AbstractHttpAdapter): Promise<void> {
    await admin.initialize(); // bundles components here only in production without a prebuilt bundle
    const app = httpAdapter.getInstance<Express>();
    const deps = { admin, auth: this.auth, totp: this.totp, users: this.users, config: this.config };
    const router = express.Router();

    router.use(withContentSecurityPolicy());
    const prebuilt = prebuiltAssetsDir();
    if (admin.options.assetsCDN && prebuilt) {
      router.use('/assets', express.static(prebuilt, { index: false, maxAge: '365d', fallthrough: false }));
    }
    buildAssets({ admin, assets: AdminRouter.assets, routes: AdminRouter.routes, router });
    router.use(sameOriginOnly(this.config.origins));
    router.use(this.sessions.middleware);
    signInRoutes(router, deps);
    router.use(operatorGate(deps));
    router.use(formidable(FORMS));
    // Whatever the API's services audit from here on says which client asked (audit-client.ts).
    router.use((request, _response, next) => {
      withAuditClient(auditClient(request.ip, request.headers['user-agent']), next);
    });
    router.get(EXPORT_PATH, auditExport(admin, this.audit));
    buildRoutes({ admin, routes: AdminRouter.routes, router });
    router.use(this.errors());

    app.use(ROOT_PATH, router);
  }

  /** 4xx with the reason; anything unexpected is logged and answered with a generic 500. */
  private errors(): ErrorRequestHandler {
    return (error: unknown, request, response, next) => {
      if (response.headersSent) {
        next(error);
        return;
      }
      const status = statusOf(error);
      if (status >= 500) this.logger.error({ err: error, url: request.originalUrl }, 'panel request failed');
      const message =
        status >= 500 ? 'An unexpected error occurred. It has been logged.' : (error as Error).message || 'Refused.';
      response.status(status).json({ message });
    };
  }
}
