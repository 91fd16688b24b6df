import { Controller, Get, ServiceUnavailableException, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../policy/access.js';
import { ApiProblem } from '../http/problem-responses.js';
import { HealthStatusDto } from './health-status.dto.js';
import { Lifecycle } from './lifecycle.js';

/** Probes for orchestrators: outside API versioning, public, never cached. */
@ApiTags('health')
@Public()
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly lifecycle: Lifecycle,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up and serving requests' })
  @ApiOkResponse({ type: HealthStatusDto, example: { status: 'ok' } })
  live(): HealthStatusDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: the database answers and the process is not shutting down; 503 otherwise',
  })
  @ApiOkResponse({ type: HealthStatusDto, example: { status: 'ok' } })
  @ApiProblem(503, 'The database is not reachable, or the process is shutting down')
  async ready(): Promise<HealthStatusDto> {
    if (this.lifecycle.draining) throw new ServiceUnavailableException('The process is shutting down.');
    try {
      await this.health.check([() => this.database.pingCheck('database', { timeout: 1500 })]);
    } catch {
      throw new ServiceUnavailableException('The database is not reachable.');
    }
    return { status: 'ok' };
  }
}
