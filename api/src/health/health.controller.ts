import { Controller, Get, ServiceUnavailableException, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators.js';
import { ProblemDetailsDto } from '../openapi/problem.dto.js';
import { HealthStatusDto } from './health-status.dto.js';

/** Probes for orchestrators: outside API versioning, public, never cached. */
@ApiTags('health')
@Public()
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up and serving requests' })
  @ApiOkResponse({ type: HealthStatusDto, example: { status: 'ok' } })
  live(): HealthStatusDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the database answers; 503 while it does not' })
  @ApiOkResponse({ type: HealthStatusDto, example: { status: 'ok' } })
  @ApiServiceUnavailableResponse({
    type: ProblemDetailsDto,
    description: 'The database is not reachable',
    example: {
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      detail: 'The database is not reachable.',
      instance: '/api/health/ready',
    },
  })
  async ready(): Promise<HealthStatusDto> {
    try {
      await this.health.check([() => this.database.pingCheck('database', { timeout: 1500 })]);
    } catch {
      throw new ServiceUnavailableException('The database is not reachable.');
    }
    return { status: 'ok' };
  }
}
