import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AuditClientInterceptor } from '../audit/audit-client.interceptor.js';
import { RateLimitGuard } from '../rate-limits/rate-limit.js';
import { RateLimitsModule } from '../rate-limits/rate-limits.module.js';
import { AccountController } from './account.controller.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthModule } from './auth.module.js';
import { OAuthController } from './oauth.controller.js';
import { SuspensionSweep } from './suspension-sweep.js';
import { MfaController } from '../mfa/mfa.controller.js';
import { OAuthModule } from '../oauth/oauth.module.js';
import { TokensModule } from '../tokens/tokens.module.js';

/**
 * The API's authentication routes (/auth, the OAuth token endpoint, /users/me's password, address,
 * sessions and deletion) and the global guards that make every route private by default and
 * apply the rate limits, the interceptor that gives audit entries their request's client, and the
 * sweep that lifts ended suspensions.
 */
@Module({
  // TokensModule: the guard checks personal access tokens too.
  // OAuthModule: the token endpoint authenticates apps and exchanges their codes.
  imports: [AuthModule, OAuthModule, RateLimitsModule, TokensModule],
  controllers: [AuthController, OAuthController, AccountController, MfaController],
  providers: [
    // Order matters: authenticate first, so per-user limits know the user.
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useExisting: RateLimitGuard },
    // What a handler audits says which client it came from (audit/audit-client.ts).
    { provide: APP_INTERCEPTOR, useClass: AuditClientInterceptor },
    // Lifts suspensions whose end has come (the API's processes only, not the panel's).
    SuspensionSweep,
  ],
})
export class AuthHttpModule {}
