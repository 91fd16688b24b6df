import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { RateLimitsModule } from '../rate-limits/rate-limits.module.js';
import { PasskeySignInController } from './passkey-sign-in.controller.js';
import { PasskeysController } from './passkeys.controller.js';
import { PasskeysModule } from './passkeys.module.js';

/** The passkey routes: the sign-in under /auth/passkey, the rest under /users/me. */
@Module({
  imports: [PasskeysModule, AuthModule, RateLimitsModule],
  controllers: [PasskeySignInController, PasskeysController],
})
export class PasskeysHttpModule {}
