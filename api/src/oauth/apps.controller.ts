import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { clientOf } from '../auth/client-info.js';
import { ApiProblem } from '../http/problem-responses.js';
import { UuidParam } from '../http/uuid-param.js';
import { CurrentPrincipal, type Principal, RequiresScope } from '../policy/access.js';
import { AppDto, AppWithSecretDto, RegisterAppDto, UpdateAppDto } from './dto/apps.dto.js';
import { OAuthClientsService } from './oauth-clients.service.js';

const APP_ID = '019ad0f2-5c1e-7b3a-8d4f-2e6a9c0b1d7e';

/**
 * The apps (OAuth clients) the signed-in user registered: developer settings, as on GitHub.
 * First-party only (`account`): an app cannot register or change apps.
 */
@ApiTags('apps')
@RequiresScope('account')
@Controller('users/me/apps')
export class AppsController {
  constructor(private readonly clients: OAuthClientsService) {}

  @Get()
  @ApiOperation({ summary: 'The apps you registered, newest first', operationId: 'appsList' })
  @ApiOkResponse({ type: [AppDto] })
  list(@CurrentPrincipal() principal: Principal): Promise<AppDto[]> {
    return this.clients.listOwned(principal.userId);
  }

  @Post()
  @ApiOperation({
    summary: 'Register an app',
    description:
      'A confidential app gets a client secret in this answer only: keep it, only its hash is stored. A public app ' +
      '(browser, mobile, desktop) gets none and relies on PKCE.',
    operationId: 'appsRegister',
  })
  @ApiCreatedResponse({ type: AppWithSecretDto })
  @ApiProblem(400, 'Invalid field: name, type, a redirect URI (https, or http only for localhost) or a scope')
  register(
    @CurrentPrincipal() principal: Principal,
    @Body() body: RegisterAppDto,
    @Req() request: FastifyRequest,
  ): Promise<AppWithSecretDto> {
    return this.clients.register(principal.userId, body, { actorId: principal.userId, client: clientOf(request) });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of your apps', operationId: 'appsGet' })
  @ApiOkResponse({ type: AppDto })
  @ApiProblem(400, 'Malformed id')
  @ApiProblem(404, 'No such app of yours')
  get(@CurrentPrincipal() principal: Principal, @UuidParam('id', APP_ID) id: string): Promise<AppDto> {
    return this.clients.getOwned(principal.userId, id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change one of your apps: name, redirect URIs, scopes',
    description: 'Users who connected it keep what they allowed; new authorizations use the new settings.',
    operationId: 'appsUpdate',
  })
  @ApiOkResponse({ type: AppDto })
  @ApiProblem(400, 'Malformed id or invalid field')
  @ApiProblem(404, 'No such app of yours')
  update(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id', APP_ID) id: string,
    @Body() body: UpdateAppDto,
    @Req() request: FastifyRequest,
  ): Promise<AppDto> {
    return this.clients.update(principal.userId, id, body, { actorId: principal.userId, client: clientOf(request) });
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete one of your apps',
    description: 'Every token it holds stops working at once, and every user’s connection to it goes.',
    operationId: 'appsDelete',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblem(400, 'Malformed id')
  @ApiProblem(404, 'No such app of yours')
  async remove(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id', APP_ID) id: string,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.clients.remove(principal.userId, id, { actorId: principal.userId, client: clientOf(request) });
  }

  @Post(':id/secret')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Give a confidential app a new client secret',
    description: 'The old secret stops working at once. The new one is in this answer only.',
    operationId: 'appsResetSecret',
  })
  @ApiOkResponse({ type: AppWithSecretDto })
  @ApiProblem(400, 'Malformed id')
  @ApiProblem(404, 'No such app of yours, or a public app (it has no secret)')
  resetSecret(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id', APP_ID) id: string,
    @Req() request: FastifyRequest,
  ): Promise<AppWithSecretDto> {
    return this.clients.resetSecret(principal.userId, id, { actorId: principal.userId, client: clientOf(request) });
  }
}
