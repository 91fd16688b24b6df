import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AuditModule } from '../audit/audit.module.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { MailModule } from '../mail/mail.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { RateLimitGuard } from '../policy/rate-limit.js';
import { RateLimits } from '../policy/rate-limits.js';
import { UsersModule } from '../users/users.module.js';
import { AccessTokenService } from './access-token.service.js';
import { AccountController } from './account.controller.js';
import { AccountService } from './account.service.js';
import { AccountTokensRepository } from './account-tokens.repository.js';
import { DeviceCookies } from './auth-cookies.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { OAuthController } from './oauth.controller.js';
import { RefreshTokenService } from './refresh-token.service.js';
import { SessionsRepository } from './sessions.repository.js';
import { SignInLimiter } from './sign-in-limiter.js';

/**
 * Owns authentication: sign-up and sign-in, access and refresh tokens (the `sessions` table),
 * e-mailed account links (`account_tokens`), what combines them with an account (AccountService),
 * and the global guards that make every route private by default and apply the rate limits.
 */
@Module({
  imports: [UsersModule, AuditModule, MailModule, MetricsModule, JwtModule.register({})],
  controllers: [AuthController, OAuthController, AccountController],
  providers: [
    AccessTokenService,
    AccountService,
    AccountTokensRepository,
    AuthService,
    RateLimits,
    RefreshTokenService,
    SessionsRepository,
    SignInLimiter,
    {
      provide: DeviceCookies,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new DeviceCookies(config.jwt.secret),
    },
    // Order matters: authenticate first, so per-user limits know the user.
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
  exports: [AccountService, AuthService, RateLimits, SessionsRepository],
})
export class AuthModule {}
