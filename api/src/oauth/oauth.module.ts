import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { MailModule } from '../mail/mail.module.js';
import { UsersModule } from '../users/users.module.js';
import { AppTokensService } from './app-tokens.service.js';
import { AuthorizationService } from './authorization.service.js';
import { ClientSecretBasicStrategy, ClientSecretPostStrategy } from './client-auth.js';
import { ConnectedAppsService } from './connected-apps.service.js';
import { OAuthClientsService } from './oauth-clients.service.js';
import { SigningKeysService } from './signing-keys.service.js';

/**
 * The OAuth 2.0 authorization server and OpenID Provider: registered apps (`oauth_clients`),
 * consents (`oauth_grants`), authorization codes, the ID-token signing keys, and the client
 * authentication strategies. Providers only, so the control panel can list, register, suspend
 * apps and rotate keys with the API's own rules; OAuthHttpModule adds the routes.
 */
@Module({
  imports: [AuthModule, UsersModule, AuditModule, MailModule],
  providers: [
    AppTokensService,
    AuthorizationService,
    ClientSecretBasicStrategy,
    ClientSecretPostStrategy,
    ConnectedAppsService,
    OAuthClientsService,
    SigningKeysService,
  ],
  exports: [AppTokensService, AuthorizationService, ConnectedAppsService, OAuthClientsService, SigningKeysService],
})
export class OAuthModule {}
