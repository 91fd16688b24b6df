import { Module } from '@nestjs/common';
import { AppsController } from './apps.controller.js';
import { AuthorizeController } from './authorize.controller.js';
import { ConnectedAppsController } from './connected-apps.controller.js';
import { DiscoveryController } from './discovery.controller.js';
import { OAuthEndpointsController } from './oauth-endpoints.controller.js';
import { OAuthModule } from './oauth.module.js';

/**
 * The OAuth and OpenID Connect routes: apps and connected apps under /users/me, the consent API,
 * JWKS, userinfo, revocation, introspection and the /.well-known metadata. The token endpoint
 * stays in AuthHttpModule (auth/oauth.controller.ts), shared with the first-party grants.
 */
@Module({
  imports: [OAuthModule],
  controllers: [
    AppsController,
    AuthorizeController,
    ConnectedAppsController,
    DiscoveryController,
    OAuthEndpointsController,
  ],
})
export class OAuthHttpModule {}
