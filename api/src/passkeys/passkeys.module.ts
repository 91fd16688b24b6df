import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { MailModule } from '../mail/mail.module.js';
import { UsersModule } from '../users/users.module.js';
import { PasskeysService } from './passkeys.service.js';
import { WebAuthnChallenges } from './webauthn-challenges.js';

/**
 * Owns passkeys (the `passkeys` and `webauthn_challenges` tables): registering, listing, renaming
 * and removing them, and checking one for a sign-in or a step-up. Providers only, so the control
 * panel can import it without mounting routes; PasskeysHttpModule adds them.
 */
@Module({
  imports: [AuthModule, UsersModule, AuditModule, MailModule],
  providers: [PasskeysService, WebAuthnChallenges],
  exports: [PasskeysService],
})
export class PasskeysModule {}
