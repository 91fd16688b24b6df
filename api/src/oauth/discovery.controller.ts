import { Controller, Get, Header, Inject, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Public } from '../policy/access.js';
import { discoveryDocument } from './discovery.js';
import { DiscoveryDto } from './dto/discovery.dto.js';

/**
 * The well-known metadata documents, at the root of the origin as the specifications require
 * (outside /api and its versions: app.ts excludes /.well-known from the prefix).
 */
@ApiTags('oauth')
@Public()
@Controller({ path: '.well-known', version: VERSION_NEUTRAL })
export class DiscoveryController {
  private readonly document: Record<string, unknown>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.document = discoveryDocument(config);
  }

  @Get('openid-configuration')
  @Header('cache-control', 'public, max-age=3600')
  @ApiOperation({
    summary: 'OpenID Connect Discovery: the OpenID Provider’s metadata',
    operationId: 'oauthOpenIdConfiguration',
  })
  @ApiOkResponse({ type: DiscoveryDto })
  openIdConfiguration(): Record<string, unknown> {
    return this.document;
  }

  @Get('oauth-authorization-server')
  @Header('cache-control', 'public, max-age=3600')
  @ApiOperation({
    summary: 'OAuth 2.0 Authorization Server Metadata (RFC 8414)',
    operationId: 'oauthAuthorizationServerMetadata',
  })
  @ApiOkResponse({ type: DiscoveryDto })
  authorizationServer(): Record<string, unknown> {
    return this.document;
  }
}
