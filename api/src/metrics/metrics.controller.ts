import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Header, Inject, Req, Res, UnauthorizedException, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ApiProblem } from '../http/problem-responses.js';
import { Public } from '../policy/access.js';
import { Metrics } from './metrics.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Prometheus scrapes /api/metrics. It is not public: it answers a request that carries the bearer
 * token METRICS_TOKEN, or one made on this host (a loopback socket, and no X-Forwarded-For: a
 * proxy on this host forwarding someone else's request is not "this host"). Caddy does not route it.
 */
@ApiTags('health')
@Public()
@Controller({ path: 'metrics', version: VERSION_NEUTRAL })
export class MetricsController {
  private readonly token: Buffer | undefined;

  constructor(
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.token = config.metricsToken ? digest(config.metricsToken) : undefined;
  }

  private allowed(request: FastifyRequest): boolean {
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (this.token && scheme?.toLowerCase() === 'bearer' && token) return timingSafeEqual(digest(token), this.token);
    return LOOPBACK.has(request.socket.remoteAddress ?? '') && request.headers['x-forwarded-for'] === undefined;
  }

  @Get()
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus metrics (operators only)',
    description:
      'Requests, latency, event-loop delay, database pool, e-mail queue, sign-in failures, rate limits. ' +
      'Needs `Authorization: Bearer <METRICS_TOKEN>`, or a request from the host itself.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus text exposition format',
    schema: { type: 'string', example: 'http_requests_total{method="GET",route="/api/v1/posts",status="200"} 42' },
  })
  @ApiProblem(401, 'Neither the metrics token nor a request from this host')
  async scrape(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    if (!this.allowed(request))
      throw new UnauthorizedException('Metrics need the metrics token (METRICS_TOKEN) or a request from this host.');
    void reply.header('content-type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
