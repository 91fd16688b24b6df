/**
 * Builds the HTTP application: Fastify adapter, /api prefix with URI versioning, security
 * headers, CORS allowlist, strict body parsing, validation, problem+json errors, OpenAPI.
 * main.ts, the OpenAPI writer and the integration tests all start from here.
 */
import 'reflect-metadata';
import fastifyCookie from '@fastify/cookie';
import { VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import { createLogger, logRequests, NestLogger, requestId } from './logging/logging.js';
import { AppModule, type AppModuleOptions } from './app.module.js';
import type { AppConfig } from './config/config.js';
import { configureBodyParsing } from './http/body-parsing.js';
import { ProblemFilter } from './http/problem.filter.js';
import { Metrics } from './metrics/metrics.js';
import { PUBLIC_PROFILE_ROUTE } from './read-cache/cached-routes.js';
import { ReadCache } from './read-cache/read-cache.service.js';
import { answerClientError, answerFrameworkError, RouteMethods } from './http/protocol-errors.js';
import { createValidationPipe } from './http/validation.js';
import { buildOpenApiDocument, mountOpenApi } from './openapi/document.js';

const NO_STORE = /^\/api\/v1\/(auth|users)\//;

export interface CreateAppOptions extends AppModuleOptions {
  /** Where logs go instead of stdout (tests read them). */
  readonly logStream?: DestinationStream;
  /** Build without instantiating providers (no database): enough to produce the OpenAPI document. */
  readonly preview?: boolean;
}

export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    trustProxy: config.trustProxy,
    bodyLimit: config.bodyLimitBytes,
    // Answer 503 to new requests while draining on shutdown; close idle keep-alive sockets.
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // A client gets REQUEST_TIMEOUT_MS for its whole request; idle keep-alive sockets close after 72 s
    // (longer than a proxy's idle timeout, so the proxy never reuses a socket we just closed).
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: 72_000,
    // Node enforces both timeouts when it sweeps its connections: often enough to honour them.
    http: { connectionsCheckingInterval: Math.min(5_000, Math.ceil(config.requestTimeoutMs / 2)) },
    requestIdHeader: false,
    genReqId: requestId,
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
  });
  const fastify = adapter.getInstance();
  const logger = createLogger(config, options.logStream);
  logRequests(fastify, logger, config);
  // Headers must arrive within 10 s: a client trickling them byte by byte cannot hold a socket.
  // Never more than the whole request's time: Node swaps the two when headers get longer, and a
  // 1 s REQUEST_TIMEOUT_MS then let a request run for 10 s.
  fastify.server.headersTimeout = Math.min(10_000, config.requestTimeoutMs);
  const routes = new RouteMethods();
  fastify.addHook('onRoute', (route) => {
    routes.register(route.url, route.method);
  });
  fastify.addHook('onRequest', (request, _reply, done) => {
    done(routes.refusal(request.method, request.routeOptions.url, request.url));
  });
  configureBodyParsing(fastify, config);
  // Every answer, errors included, echoes the request id so a caller can quote it (problem bodies
  // carry it too). Answers about accounts and tokens must never be cached: a shared cache or the
  // browser's history could hand one person's tokens or account details to the next. An author's
  // public profile is no such answer: when it is found, the read cache's hook says how to keep it.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    const found = reply.statusCode === 200 || reply.statusCode === 304;
    const publicProfile = found && request.routeOptions.url === PUBLIC_PROFILE_ROUTE;
    if (NO_STORE.test(request.url) && !publicProfile) void reply.header('cache-control', 'no-store');
    done(null, payload);
  });

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, options), adapter, {
    bodyParser: false,
    abortOnError: false,
    logger: options.preview ? false : new NestLogger(logger),
    ...(options.preview ? { preview: true } : {}),
  });
  if (!options.preview) {
    // Anonymous public reads answered from memory, after the hooks above and Nest's own (security
    // headers, CORS), before guards, pipes and handlers; conditional reads (ETag, 304) for them all.
    app.get(ReadCache).install(fastify);
    const metrics = app.get(Metrics);
    fastify.addHook('onResponse', (request, reply, done) => {
      metrics.observeRequest(
        request.method,
        request.routeOptions.url ?? 'unmatched',
        reply.statusCode,
        reply.elapsedTime / 1000,
      );
      done();
    });
  }
  app.useBodyParser('application/x-www-form-urlencoded');
  await app.register(fastifyCookie);

  // The well-known metadata must sit at the origin's root (RFC 8414, OpenID Connect Discovery).
  app.setGlobalPrefix('api', {
    exclude: ['.well-known/openid-configuration', '.well-known/oauth-authorization-server'],
  });
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  // HSTS only where the app is served over HTTPS, i.e. in production behind Caddy.
  app.useSecurityHeaders({ strictTransportSecurity: config.isProduction });
  // Exact origins only; with none configured there is no CORS at all, and no work for it per request.
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: [...config.corsOrigins],
      credentials: false,
      exposedHeaders: ['ETag', 'Retry-After', 'X-Request-Id'],
      maxAge: 600,
    });
  }
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter(logger));
  mountOpenApi(app, buildOpenApiDocument(app, config));
  return app;
}
