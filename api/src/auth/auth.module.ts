import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AuditModule } from '../audit/audit.module.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { MailModule } from '../mail/mail.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { RateLimitsModule } from '../rate-limits/rate-limits.module.js';
import { UsersModule } from '../users/users.module.js';
import { AccessTokenService } from './access-token.service.js';
import { AccountTokensRepository } from './account-tokens.repository.js';
import { DeviceCookies } from './auth-cookies.js';
import { AuthService } from './auth.service.js';
import { EmailedLinks } from './emailed-links.js';
import { OperatorAccountService } from './operator-account.service.js';
import { OwnAccountService } from './own-account.service.js';
import { PasswordChange } from './password-change.js';
import { RefreshTokenService } from './refresh-token.service.js';
import { SessionsRepository } from './sessions.repository.js';
import { SignInLimiter } from './sign-in-limiter.js';
import { MfaTickets } from '../mfa/mfa-tickets.js';
import { OwnMfaService } from '../mfa/own-mfa.service.js';
import { SecondFactors } from '../mfa/second-factors.js';
import { StepUp } from '../mfa/step-up.js';
import { TotpService } from '../mfa/totp.service.js';

/**
 * Owns authentication: sign-up and sign-in, access and refresh tokens (the `sessions` table),
 * e-mailed account links (`account_tokens`), and what combines them with an account: what users
 * do to their own (OwnAccountService) and what operators do to anyone's (OperatorAccountService,
 * which the control panel calls), and second factors (api/src/mfa/: authenticator apps, recovery
 * codes, MFA tickets, step-up), which sign-in cannot do without. Providers only, so the panel can
 * import it without mounting routes or guards; AuthHttpModule adds the routes and the global guards.
 */
@Module({
  imports: [UsersModule, AuditModule, MailModule, MetricsModule, RateLimitsModule, JwtModule.register({})],
  providers: [
    AccessTokenService,
    AccountTokensRepository,
    AuthService,
    EmailedLinks,
    OperatorAccountService,
    OwnAccountService,
    PasswordChange,
    RefreshTokenService,
    SessionsRepository,
    SignInLimiter,
    MfaTickets,
    OwnMfaService,
    SecondFactors,
    StepUp,
    TotpService,
    {
      provide: DeviceCookies,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new DeviceCookies(config.jwt.secret),
    },
  ],
  exports: [
    AccessTokenService,
    AuthService,
    DeviceCookies,
    OperatorAccountService,
    OwnAccountService,
    OwnMfaService,
    RefreshTokenService,
    SessionsRepository,
    SecondFactors,
    StepUp,
    TotpService,
  ],
})
export class AuthModule {}
