import { Controller, Delete, Get, HttpCode, Param, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { clientOf } from '../auth/client-info.js';
import { ApiProblem } from '../http/problem-responses.js';
import { CurrentPrincipal, type Principal, RequiresScope } from '../policy/access.js';
import { ConnectedAppsService } from './connected-apps.service.js';
import { ConnectedAppDto } from './dto/apps.dto.js';

/** The apps the signed-in user allowed to act for them, and disconnecting one. First-party only. */
@ApiTags('apps')
@RequiresScope('account')
@Controller('users/me/connected-apps')
export class ConnectedAppsController {
  constructor(private readonly connected: ConnectedAppsService) {}

  @Get()
  @ApiOperation({ summary: 'The apps you allowed to use your account, newest first', operationId: 'appsConnected' })
  @ApiOkResponse({ type: [ConnectedAppDto] })
  list(@CurrentPrincipal() principal: Principal): Promise<ConnectedAppDto[]> {
    return this.connected.list(principal.userId);
  }

  @Delete(':clientId')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Disconnect an app',
    description: 'Forgets what you allowed it, and every token it holds for you stops working at once.',
    operationId: 'appsDisconnect',
  })
  @ApiParam({ name: 'clientId', example: 'nuell_app_3x9Kq2LmP0aZbY7wV4tR1sUe' })
  @ApiNoContentResponse({ description: 'Disconnected' })
  @ApiProblem(404, 'You have not connected this app')
  async disconnect(
    @CurrentPrincipal() principal: Principal,
    @Param('clientId') clientId: string,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.connected.disconnect(principal.userId, clientId, clientOf(request));
  }
}
