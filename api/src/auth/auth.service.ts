import { ConflictException, Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository.js';
import { Metrics } from '../metrics/metrics.js';
import type { UserRole } from '../policy/access.js';
import { FIRST_PARTY_SCOPES, type Scope, scopesOf } from '../policy/scopes.js';
import { toUserDto, type UserDto } from '../users/dto/user.dto.js';
import { PasswordHasher } from '../users/password-hasher.js';
import { assertPasswordPolicy } from '../users/password-policy.js';
import type { User } from '../users/user.entity.js';
import { normaliseEmail, UsersRepository } from '../users/users.repository.js';
import { AccessTokenService } from './access-token.service.js';
import { claimingEmail, EmailTaken, InvalidAccountToken } from './account-errors.js';
import { AccountTokensRepository } from './account-tokens.repository.js';
import { DeviceCookies } from './auth-cookies.js';
import { EmailedLinks } from './emailed-links.js';
import { OperatorAccountService } from './operator-account.service.js';
import { PasswordChange } from './password-change.js';
import type { Session } from './session.entity.js';
import { type ClientInfo, RefreshTokenService } from './refresh-token.service.js';
import { SignInLimiter, unknownAccountKey } from './sign-in-limiter.js';
import { AccountSuspended } from './suspension.js';
import { describeDevice } from './device.js';
import { MailService } from '../mail/mail.service.js';
import { templates } from '../mail/templates.js';
import { MfaRequired } from '../mfa/mfa-errors.js';
import { MfaTickets } from '../mfa/mfa-tickets.js';
import { type SecondFactorInput, TotpService } from '../mfa/totp.service.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';

export class LoginFailed extends UnauthorizedException {
  constructor() {
    super('The e-mail or the password is incorrect.');
  }
}

/**
 * The OAuth password grant for an account with two-step sign-in: the grant has no step for a
 * code, and letting it through would make the second factor optional for anyone with the password.
 */
export class PasswordGrantNeedsSecondFactor extends Error {
  constructor() {
    super('the account uses two-step sign-in, which the password grant cannot complete');
  }
}

/** A password proven right: the account, and a fresh device cookie for the client to keep. */
export interface Verified {
  readonly user: User;
  readonly deviceCookie: string;
}

/** How a browser sign-in was proven; kept in its audit entry. */
export type SignInMethod = 'password' | 'totp' | 'recovery_code' | 'passkey';

export interface SignedIn {
  readonly accessToken: string;
  readonly expiresIn: number;
  readonly refreshToken: string;
  readonly refreshExpiresAt: Date;
  readonly scopes: readonly Scope[];
  readonly user: UserDto;
}

/**
 * Sign-up, sign-in, token refresh and the e-mailed flows (verification, password reset). E-mails
 * are queued in the transaction of the change they announce, and sent afterwards by the queue:
 * an answer never waits for SMTP.
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly accountTokens: AccountTokensRepository,
    private readonly audit: AuditRepository,
    private readonly links: EmailedLinks,
    private readonly passwords: PasswordChange,
    private readonly limiter: SignInLimiter,
    private readonly devices: DeviceCookies,
    private readonly metrics: Metrics,
    private readonly accounts: OperatorAccountService,
    private readonly totp: TotpService,
    private readonly tickets: MfaTickets,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async register(
    input: { email: string; password: string; displayName: string },
    client?: ClientInfo,
  ): Promise<UserDto> {
    assertPasswordPolicy(input.password, input);
    const passwordHash = await this.hasher.hash(input.password);
    const user = await this.dataSource.transaction(async (manager) => {
      const created = await claimingEmail(
        this.users.create({ email: input.email, displayName: input.displayName, passwordHash, role: 'user' }, manager),
      );
      await this.links.send(created, 'email_verify', created.email, manager);
      await this.audit.record(
        'registered',
        { actorId: created.id, target: { type: 'user', id: created.id }, ...(client ? { client } : {}) },
        manager,
      );
      return created;
    });
    return toUserDto(user);
  }

  /**
   * Checks a password sign-in, within the sign-in limits (sign-in-limiter.ts). Unknown e-mail and
   * wrong password cost one argon2 verification each and end in the same LoginFailed; a suspended
   * account fails exactly so too unless the password is right, and then with AccountSuspended
   * (its message and end), never before. The attempt counts against the account found here.
   */
  checkCredentials(
    email: string,
    password: string,
    client: ClientInfo,
    deviceCookie: string | undefined,
  ): Promise<Verified> {
    return this.verifyPassword(email, password, client, deviceCookie, { role: null, failed: 'login_failed' });
  }

  /**
   * The control panel's password step: the same checks and limits, and only active admins pass.
   * An account of another role, or a suspended admin, fails exactly like a wrong password, audited
   * as a failed panel sign-in. A success is only the first step: panelSignedIn records the sign-in
   * once the second factor is proven too.
   */
  checkOperatorCredentials(
    email: string,
    password: string,
    client: ClientInfo,
    deviceCookie: string | undefined,
  ): Promise<Verified> {
    return this.verifyPassword(email, password, client, deviceCookie, {
      role: 'admin',
      failed: 'panel_login_failed',
    });
  }

  /** The control panel's sign-in is complete (password and second factor): audited. */
  async panelSignedIn(
    userId: string,
    client: ClientInfo,
    method: 'totp' | 'recovery_code' | 'enrolment',
  ): Promise<void> {
    await this.audit.record('panel_login', {
      actorId: userId,
      target: { type: 'user', id: userId },
      data: { method },
      client,
    });
  }

  /** The control panel's sign-out, audited like its sign-in. */
  async panelSignedOut(userId: string, client: ClientInfo): Promise<void> {
    await this.audit.record('panel_logout', { actorId: userId, target: { type: 'user', id: userId }, client });
  }

  private async verifyPassword(
    email: string,
    password: string,
    client: ClientInfo,
    deviceCookie: string | undefined,
    rule: { role: UserRole | null; failed: 'login_failed' | 'panel_login_failed' },
  ): Promise<Verified> {
    const address = normaliseEmail(email);
    const user = await this.users.findByEmailWithHash(address);
    const attempt = await this.limiter.begin({
      account: user ? `user:${user.id}` : unknownAccountKey(address),
      ip: client.ip,
      device: user ? this.devices.deviceOf(deviceCookie, user) : null,
    });
    const matches = await this.hasher.verifyOrWaste(user?.passwordHash, password);
    if (user && matches && !user.isActive && user.suspendedUntil && user.suspendedUntil.getTime() <= Date.now()) {
      // The suspension has ended and the sweep has not come by yet: lift it now.
      await this.accounts.liftEnded(user.id);
      user.isActive = (await this.users.findById(user.id))?.isActive ?? false;
    }
    const reason = !user
      ? 'unknown_email'
      : !matches
        ? 'wrong_password'
        : !user.isActive
          ? 'inactive'
          : rule.role !== null && user.role !== rule.role
            ? 'not_admin'
            : null;
    if (!user || reason !== null) {
      this.metrics.signInFailures.inc({ reason: reason ?? 'unknown_email' });
      await this.audit.record(rule.failed, {
        actorId: user?.id ?? null,
        target: { type: 'user', id: user?.id ?? null },
        data: { email, reason },
        client,
      });
      if (user && reason === 'inactive' && rule.role === null) {
        // The password was right: not a guess, so it spends none of the sign-in limits (a
        // suspended owner trying again reads the suspension, never "too many attempts").
        await attempt.succeeded();
        throw new AccountSuspended(user.suspendedUntil, user.suspensionMessage);
      }
      throw new LoginFailed();
    }
    await attempt.succeeded();
    if (this.hasher.needsRehash(user.passwordHash)) {
      // Cost parameters were raised since this hash was made: upgrade it while we know the password.
      await this.users.setPasswordHash(user.id, await this.hasher.hash(password));
    }
    return { user, deviceCookie: this.devices.issue(user) };
  }

  /**
   * Starts a session once the account is proven (a browser sign-in, the password grant); audited
   * as `login` with how it was proven.
   */
  async signIn(
    user: User,
    scopes: readonly Scope[],
    client: ClientInfo,
    method: SignInMethod = 'password',
  ): Promise<SignedIn> {
    const { token, session } = await this.refreshTokens.start(user.id, scopes.join(' '), client);
    await this.audit.record('login', {
      actorId: user.id,
      target: { type: 'user', id: user.id },
      data: { session: session.familyId, scopes: [...scopes], method },
      client,
    });
    return this.issue(user, session, scopes, token);
  }

  /** The OAuth password grant (oauth.controller.ts): a proven password starts a session of `scopes`. */
  async passwordGrant(
    email: string,
    password: string,
    scopes: readonly Scope[],
    client: ClientInfo,
    deviceCookie: string | undefined,
  ): Promise<SignedIn & { deviceCookie: string }> {
    const { user, deviceCookie: issued } = await this.checkCredentials(email, password, client, deviceCookie);
    if (await this.totp.isEnabled(user.id)) throw new PasswordGrantNeedsSecondFactor();
    return { ...(await this.signIn(user, scopes, client)), deviceCookie: issued };
  }

  /**
   * The web app's sign-in with a password: a session at once, or, when the account has two-step
   * sign-in on, MfaRequired with a ticket for the second step (loginWithSecondFactor). The device
   * cookie is only given once the sign-in is complete.
   */
  async login(
    email: string,
    password: string,
    client: ClientInfo,
    deviceCookie: string | undefined,
  ): Promise<SignedIn & { deviceCookie: string }> {
    const { user } = await this.checkCredentials(email, password, client, deviceCookie);
    if (await this.totp.isEnabled(user.id)) {
      const { ticket, expiresAt } = await this.tickets.issue(user.id);
      throw new MfaRequired(ticket, expiresAt);
    }
    return this.signInBrowser(user, client, deviceCookie, 'password');
  }

  /** The second step: the ticket from the first and a code from the app or a recovery code. */
  async loginWithSecondFactor(
    ticket: string,
    input: SecondFactorInput,
    client: ClientInfo,
    deviceCookie: string | undefined,
  ): Promise<SignedIn & { deviceCookie: string }> {
    const { userId, result: method } = await this.tickets.redeem(ticket, (id) =>
      this.totp.verify(id, input, client, deviceCookie),
    );
    const user = await this.users.getById(userId);
    // Suspended between the two steps: the same answer the password step gives.
    if (!user.isActive) throw new AccountSuspended(user.suspendedUntil, user.suspensionMessage);
    return this.signInBrowser(user, client, deviceCookie, method);
  }

  /**
   * Completes a browser sign-in, however it was proven: the session, a new device cookie, and an
   * e-mail to the owner when this browser never signed in to the account before (it has no valid
   * device cookie for it), unless this is the account's very first sign-in.
   */
  async signInBrowser(
    user: User,
    client: ClientInfo,
    deviceCookie: string | undefined,
    method: SignInMethod,
  ): Promise<SignedIn & { deviceCookie: string }> {
    const knownDevice = this.devices.deviceOf(deviceCookie, user) !== null;
    const signedInBefore = knownDevice || (await this.audit.hasActed(user.id, 'login'));
    const signedIn = await this.signIn(user, FIRST_PARTY_SCOPES, client, method);
    if (!knownDevice && signedInBefore) {
      await this.mail.send(
        user.email,
        templates.newDeviceSignIn(
          user.displayName,
          describeDevice(client.userAgent),
          client.ip,
          new Date(),
          new URL('/settings#sessions', this.config.publicUrl).href,
        ),
      );
    }
    return { ...signedIn, deviceCookie: this.devices.issue(user) };
  }

  /** Rotates a refresh token; `narrow` restricts the new access token to fewer scopes. */
  async refresh(refreshToken: string, client: ClientInfo, narrow?: readonly Scope[]): Promise<SignedIn> {
    const { token, session } = await this.refreshTokens.rotate(refreshToken, client);
    const user = await this.users.getById(session.userId);
    const granted = scopesOf(session.scope);
    const scopes = narrow ? granted.filter((s) => narrow.includes(s)) : granted;
    return this.issue(user, session, scopes, token);
  }

  logout(refreshToken: string): Promise<void> {
    return this.refreshTokens.endByToken(refreshToken);
  }

  private async issue(user: User, session: Session, scopes: readonly Scope[], refreshToken: string): Promise<SignedIn> {
    const accessToken = await this.accessTokens.sign({
      userId: user.id,
      role: user.role,
      scopes,
      sessionId: session.familyId,
    });
    return {
      accessToken,
      expiresIn: this.accessTokens.ttlSeconds,
      refreshToken,
      refreshExpiresAt: session.expiresAt,
      scopes,
      user: toUserDto(user),
    };
  }

  /**
   * Confirms an address: the sign-up one (`email_verify`) or a new one (`email_change`). A suspended
   * account's links do nothing (and stay unused, the transaction rolls back).
   */
  async verifyEmail(token: string): Promise<UserDto> {
    const user = await this.dataSource.transaction(async (manager) => {
      const used = await this.accountTokens.consume(token, ['email_verify', 'email_change'], manager);
      if (!used) throw new InvalidAccountToken();
      const found = await this.users.getById(used.userId, manager);
      if (!found.isActive) throw new InvalidAccountToken();
      const before = found.email;
      if (used.purpose === 'email_change' && used.email) {
        const holder = await this.users.findByEmail(used.email, manager);
        if (holder && holder.id !== found.id) throw new EmailTaken();
        found.email = used.email;
        await this.audit.record(
          'email_changed',
          { actorId: found.id, target: { type: 'user', id: found.id }, data: { from: before, to: used.email } },
          manager,
        );
      } else if (used.email !== null && used.email.toLowerCase() !== found.email.toLowerCase()) {
        // A verification link for an address the account no longer has confirms nothing.
        throw new ConflictException('This link was for an address the account no longer uses.');
      }
      found.emailVerifiedAt = new Date();
      return claimingEmail(this.users.save(found, manager));
    });
    return toUserDto(user);
  }

  async resendVerification(userId: string): Promise<void> {
    const user = await this.users.getById(userId);
    if (user.emailVerifiedAt) throw new ConflictException('Your e-mail address is already verified.');
    await this.links.send(user, 'email_verify', user.email);
  }

  /**
   * Sends a reset link if the account exists and is active. The caller answers the same either
   * way; the token is issued off the request path so timing does not tell either.
   */
  async forgotPassword(email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user?.isActive) return;
    setImmediate(() => {
      this.links.send(user, 'password_reset', user.email).catch((error: unknown) => {
        this.logger.error({ err: error, userId: user.id }, 'could not issue a password reset token');
      });
    });
  }

  /**
   * Sets a new password from a reset link, ends every session (the control panel's too), voids
   * every other e-mailed link still pending and clears the account's sign-in failures; nobody is
   * signed in.
   */
  async resetPassword(token: string, password: string): Promise<void> {
    const pending = await this.accountTokens.peek(token, ['password_reset']);
    if (!pending) throw new InvalidAccountToken();
    const user = await this.users.findByIdWithHash(pending.userId);
    if (!user) throw new LoginFailed();
    const passwordHash = await this.passwords.hashNew(user, password, 'password');
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.accountTokens.consume(token, ['password_reset'], manager))) throw new InvalidAccountToken();
      await this.passwords.apply(user, passwordHash, { action: 'password_reset', keptSessionId: null }, manager);
      // The link proved the mailbox: the owner signs in with the new password at once, as the
      // sign-in refusal ("or reset your password") promises. Only this token's account is cleared.
      await this.limiter.forgetAccountFailures(user.id, manager);
    });
  }
}
