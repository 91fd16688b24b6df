import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { MailModule } from '../mail/mail.module.js';
import { UsersModule } from '../users/users.module.js';
import { PersonalAccessTokensRepository } from './personal-access-tokens.repository.js';
import { PersonalAccessTokensService } from './personal-access-tokens.service.js';

/**
 * Owns personal access tokens (the `personal_access_tokens` table). Providers only, so the guard
 * (AuthHttpModule) and the control panel can import it without mounting routes; TokensHttpModule
 * adds them. It needs nothing of AuthModule, so authentication can build on it.
 */
@Module({
  imports: [UsersModule, AuditModule, MailModule],
  providers: [PersonalAccessTokensRepository, PersonalAccessTokensService],
  exports: [PersonalAccessTokensRepository, PersonalAccessTokensService],
})
export class TokensModule {}
