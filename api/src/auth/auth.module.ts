import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { PasswordHasher } from '../users/password-hasher.js';
import { AccessTokenService } from './access-token.service.js';
import { AccountTokenService } from './account-token.service.js';
import { DeviceCookies } from './auth-cookies.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { OAuthController } from './oauth.controller.js';
import { RateLimitGuard, rateLimitOptions } from './rate-limit.js';
import { SessionService } from './session.service.js';
import { SignInLimiter } from './sign-in-limiter.js';

/**
 * Owns authentication (DESIGN §5): sign-up and sign-in, access and refresh tokens, e-mailed
 * account links, rate limits, and the global guards that make every route private by default.
 */
@Module({
  imports: [
    JwtModule.register({}),
    ThrottlerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (config: AppConfig) => rateLimitOptions(config) }),
  ],
  controllers: [AuthController, OAuthController],
  providers: [
    AccessTokenService,
    AccountTokenService,
    AuthService,
    SessionService,
    SignInLimiter,
    {
      provide: DeviceCookies,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new DeviceCookies(config.jwt.secret),
    },
    {
      provide: PasswordHasher,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new PasswordHasher(config.argon2),
    },
    // Order matters: authenticate first, so per-user limits know the user.
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
  exports: [AccessTokenService, AccountTokenService, AuthService, SessionService, PasswordHasher],
})
export class AuthModule {}
