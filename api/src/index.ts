/**
 * What other workspaces (the control panel) import from @nuell/api: the data model, the
 * configuration, and the provider-only feature modules with the services they export, so the
 * panel runs the API's own rules (and audit) instead of writing tables itself.
 */
export {
  entities,
  AccountToken,
  AuditLog,
  MfaTicket,
  OAuthClient,
  OAuthCode,
  OAuthGrant,
  Passkey,
  PersonalAccessToken,
  Post,
  RecoveryCode,
  Session,
  SigningKey,
  TotpFactor,
  User,
  WebAuthnChallenge,
} from './database/entities.js';
export { SUSPENSION_TEXT_MAX, USER_ROLES, type UserRole } from './users/user.entity.js';
export { AUDIT_ACTIONS, type AuditAction } from './audit/audit-log.entity.js';
export { createDataSource, dataSourceOptions } from './database/data-source.js';
export { migrate } from './database/migrate.js';
export type { DailyCount, Tally } from './database/table-counts.js';
export { loadConfig, ConfigError, environmentDefaults, type AppConfig } from './config/config.js';
export { ConfigModule, APP_CONFIG } from './config/config.module.js';
export { accessLevel, createLogger, NestLogger, requestId } from './logging/logging.js';
export { TooManyRequests, ValidationProblem } from './http/problem.js';
export { AuditModule } from './audit/audit.module.js';
export { AuditRepository } from './audit/audit.repository.js';
export { auditClient, withAuditClient, type AuditClient } from './audit/audit-client.js';
export { AuthModule } from './auth/auth.module.js';
export { AuthService, LoginFailed } from './auth/auth.service.js';
export { AccountChangeRefused } from './auth/account-errors.js';
export { OperatorAccountService } from './auth/operator-account.service.js';
export { AccountSuspended, type BulkSuspension, type SuspensionInput } from './auth/suspension.js';
export { OwnAccountService } from './auth/own-account.service.js';
export { TotpService, TOTP_ISSUER, type SecondFactorInput, type TotpStatus } from './mfa/totp.service.js';
export { SecondFactors, type SecondFactorCounts } from './mfa/second-factors.js';
export { SessionsRepository } from './auth/sessions.repository.js';
export { OAuthModule } from './oauth/oauth.module.js';
export { OAuthClientsService, toAppDto, type AppInput, type AppChanges } from './oauth/oauth-clients.service.js';
export { SigningKeysService } from './oauth/signing-keys.service.js';
export { type AppScope } from './oauth/app-scopes.js';
export { redirectUriProblem } from './oauth/redirect-uris.js';
export { TokensModule } from './tokens/tokens.module.js';
export { LIVE_TOKENS_MAX, PersonalAccessTokensService } from './tokens/personal-access-tokens.service.js';
export { describeDevice } from './auth/device.js';
export { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_SECONDS, DEVICE_COOKIE_PATHS } from './auth/auth-cookies.js';
export { ContentModule } from './content/content.module.js';
export { ContentService } from './content/content.service.js';
export { POST_STATUSES, type PostStatus } from './posts/post.entity.js';
export { PostsModule } from './posts/posts.module.js';
export { PostsService } from './posts/posts.service.js';
export { PostsRepository } from './posts/posts.repository.js';
export { MailModule } from './mail/mail.module.js';
export { MailQueueService, MAIL_JOB_STATES, type MailJob, type MailJobState } from './mail/mail-queue.service.js';
export { EMAIL_KINDS, type EmailKind } from './mail/templates.js';
export { OpsModule } from './ops/ops.module.js';
export { OpsSampler, OPS_SAMPLE_RETENTION_DAYS, type OpsProcessKind } from './ops/ops-samples.js';
export { OpsHealthService, type OpsHealth, type OpsReplica, type OpsWindow } from './ops/ops-health.service.js';
export { UsersModule } from './users/users.module.js';
export { UsersRepository } from './users/users.repository.js';
export { PasswordHasher } from './users/password-hasher.js';
// What the control panel's app registration checks and offers, with the API's own rules and words.
export { validated } from './http/validation.js';
export { SCOPES, API_SCOPES, OIDC_SCOPES } from './policy/scopes.js';
export { APP_SCOPES } from './oauth/app-scopes.js';
export { CLIENT_NAME_MAX, CLIENT_TYPES, REDIRECT_URIS_MAX, type ClientType } from './oauth/oauth-client.entity.js';
export { RegisterAppDto } from './oauth/dto/apps.dto.js';
