import { createHash } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toProblem } from '../http/problem.js';
import type { Shell } from './shell.js';
import { type SitePage, SiteService } from './site.service.js';
import { ShellUnavailable } from './web-shell.js';

const HTML = 'text/html; charset=utf-8';
const TEXT = 'text/plain; charset=utf-8';
const RSS = 'application/rss+xml; charset=utf-8';
const XML = 'application/xml; charset=utf-8';

type Params = Partial<Record<string, string>>;
/** A page, or an XML document (null: there is no such author). */
type Answer = (shell: Shell, params: Params) => Promise<SitePage | string | null>;

/**
 * What a page of the web app is sent with, wherever it is served from (Caddy and web/serve.mjs
 * send the same with the static files), instead of Nest's security headers, which are made for
 * JSON. nuxt dev's page carries no policy (it runs inline scripts): then none is sent.
 */
function pageHeaders(reply: FastifyReply, shell: Shell): void {
  if (shell.contentSecurityPolicy) void reply.header('content-security-policy', shell.contentSecurityPolicy);
  else void reply.removeHeader('content-security-policy');
  void reply.header('x-frame-options', 'DENY').header('referrer-policy', 'strict-origin-when-cross-origin');
}

/**
 * Answers with `body`, revalidated on every use (no-cache: a post taken back to draft leaves
 * every page and feed at once) and cheap to revalidate: an ETag of the body, 304 when it matches.
 */
function send(request: FastifyRequest, reply: FastifyReply, status: number, type: string, body: string): void {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  void reply.header('cache-control', 'no-cache').header('etag', etag);
  const tags = request.headers['if-none-match']?.split(/\s*,\s*/) ?? [];
  if (status === 200 && tags.some((tag) => tag === '*' || tag.replace(/^W\//, '') === etag)) {
    void reply.status(304).send();
    return;
  }
  void reply.status(status).header('content-type', type).send(body);
}

/**
 * The web app's public pages, its feeds and its sitemap, at the site's own paths, which the edge
 * (Caddy; web/proxy.config.mjs locally) sends here. They are no API routes: registered on Fastify
 * beside Nest's, outside /api, its versioning, guards and OpenAPI document (docs/web.md lists
 * them), and each answers as a site does: HTML or XML, never problem details.
 */
@Injectable()
export class SiteRoutes implements OnModuleInit {
  private readonly logger = new Logger(SiteRoutes.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly site: SiteService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const routes: [string, string, Answer][] = [
      ['/', HTML, (shell) => this.site.feedPage(shell)],
      ['/posts/:ref', HTML, (shell, { ref }) => this.site.postPage(shell, ref ?? '')],
      ['/authors/:id', HTML, (shell, { id }) => this.site.authorPage(shell, id ?? '')],
      ['/rss.xml', RSS, (shell) => this.site.feed(shell)],
      ['/authors/:id/rss.xml', RSS, (shell, { id }) => this.site.authorFeed(shell, id ?? '')],
      ['/sitemap.xml', XML, () => this.site.sitemap()],
    ];
    for (const [path, type, answer] of routes) {
      fastify.get(path, (request, reply) => this.answer(request, reply, type, answer));
    }
  }

  private async answer(request: FastifyRequest, reply: FastifyReply, type: string, answer: Answer): Promise<void> {
    let shell: Shell | undefined;
    // HSTS is the edge's to send for the site's paths, as for its static files (never for localhost).
    void reply.removeHeader('strict-transport-security');
    try {
      shell = await this.site.shell();
      if (type === HTML) pageHeaders(reply, shell);
      const result = await answer(shell, request.params as Params);
      if (result === null) void reply.status(404).header('content-type', TEXT).send('Not found.\n');
      else if (typeof result === 'string') send(request, reply, 200, type, result);
      else send(request, reply, result.status, type, result.html);
    } catch (error) {
      this.fail(error, request, reply, type === HTML ? shell : undefined);
    }
  }

  /**
   * The database away is a 503 with Retry-After; a page then is the web app's page with the
   * site's own head, which loads and says the service is away as it does for any failed request.
   * Without the web app's page there is nothing to fill: 503, saying so. Anything else is a 500.
   */
  private fail(error: unknown, request: FastifyRequest, reply: FastifyReply, shell: Shell | undefined): void {
    if (error instanceof ShellUnavailable) {
      this.logger.error({ err: error, reqId: request.id }, error.message);
      void reply.status(503).header('content-type', TEXT).send(`${error.message}.\n`);
      return;
    }
    const { problem, expected, retryAfterSeconds } = toProblem(error);
    if (!expected) this.logger.error({ err: error, reqId: request.id, url: request.url }, 'unexpected error');
    else this.logger.warn({ err: error, reqId: request.id, url: request.url }, 'database unavailable');
    if (retryAfterSeconds) void reply.header('retry-after', String(retryAfterSeconds));
    void reply.status(problem.status >= 500 ? problem.status : 500).header('cache-control', 'no-store');
    if (shell) void reply.header('content-type', HTML).send(this.site.plainPage(shell));
    else void reply.header('content-type', TEXT).send(`${problem.detail ?? problem.title}\n`);
  }
}
