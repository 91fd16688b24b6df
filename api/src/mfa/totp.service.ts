/**
 * Authenticator apps (RFC 6238 TOTP: SHA-1, 6 digits, 30-second steps, what every app supports)
 * and the recovery codes that come with them. A code is accepted once: the newest step accepted is
 * stored, and a code of that step or an older one is refused, so a code read over a shoulder or
 * from a phishing page cannot be replayed within its window. Checking a code is limited like a
 * password (the same sign-in buckets, sign-in-limiter.ts): a six-digit code falls to guessing
 * otherwise.
 */
import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { Secret, TOTP } from 'otpauth';
import { v7 as uuidv7 } from 'uuid';
import { DataSource, type EntityManager, IsNull, Not } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository.js';
import { DeviceCookies } from '../auth/auth-cookies.js';
import type { ClientInfo } from '../auth/refresh-token.service.js';
import { SignInLimiter } from '../auth/sign-in-limiter.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { MailService } from '../mail/mail.service.js';
import { templates } from '../mail/templates.js';
import { UsersRepository } from '../users/users.repository.js';
import { AccountChangeRefused } from '../auth/account-errors.js';
import { wrongCode } from './mfa-errors.js';
import { hashRecoveryCode, newRecoveryCode, RECOVERY_CODE_COUNT } from './recovery-codes.js';
import { RecoveryCode } from './recovery-code.entity.js';
import { TotpFactor } from './totp-factor.entity.js';

/** The name authenticator apps show above the account. */
export const TOTP_ISSUER = 'nuell';
/** Codes of the step before and after the current one pass too: clocks drift, people type slowly. */
const WINDOW = 1;

export interface TotpStatus {
  readonly enabled: boolean;
  readonly enabledAt: Date | null;
  readonly recoveryCodesLeft: number;
}

/** What a second step offers: a code from the app, or a recovery code. */
export interface SecondFactorInput {
  readonly code?: string | undefined;
  readonly recoveryCode?: string | undefined;
}

export type SecondFactorMethod = 'totp' | 'recovery_code';

const totpOf = (secret: string, label = '') =>
  new TOTP({ issuer: TOTP_ISSUER, label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });

/** Six digits, spaces allowed (apps show "123 456"). */
const asTotpCode = (typed: string): string | null => {
  const digits = typed.replace(/\s/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
};

@Injectable()
export class TotpService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
    private readonly mail: MailService,
    private readonly limiter: SignInLimiter,
    private readonly devices: DeviceCookies,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get securityUrl(): string {
    return new URL('/settings#security', this.config.publicUrl).href;
  }

  async isEnabled(userId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return manager.getRepository(TotpFactor).exists({ where: { userId, confirmedAt: Not(IsNull()) } });
  }

  async status(userId: string): Promise<TotpStatus> {
    const factor = await this.dataSource.getRepository(TotpFactor).findOneBy({ userId });
    const enabledAt = factor?.confirmedAt ?? null;
    const recoveryCodesLeft = enabledAt
      ? await this.dataSource.getRepository(RecoveryCode).countBy({ userId, usedAt: IsNull() })
      : 0;
    return { enabled: enabledAt !== null, enabledAt, recoveryCodesLeft };
  }

  /**
   * Starts an enrolment: a new secret, as the `otpauth://` URI an app scans (and the secret, for
   * typing). It replaces an enrolment begun earlier and protects nothing until confirmed.
   */
  async begin(user: { readonly id: string; readonly email: string }): Promise<{ secret: string; otpauthUri: string }> {
    if (await this.isEnabled(user.id)) {
      throw new ConflictException('Two-step sign-in is already on. Turn it off first to move to another app.');
    }
    const secret = new Secret({ size: 20 }).base32;
    await this.dataSource.query(
      `INSERT INTO totp_factors (id, user_id, secret) VALUES ($3, $1, $2)
       ON CONFLICT (user_id) DO UPDATE SET secret = EXCLUDED.secret, last_step = NULL, updated_at = now()
       WHERE totp_factors.confirmed_at IS NULL`,
      [user.id, secret, uuidv7()],
    );
    return { secret, otpauthUri: totpOf(secret, user.email).toString() };
  }

  /**
   * Confirms an enrolment with a code from the app, which proves it holds the secret: two-step
   * sign-in is on from now, and the ten recovery codes are answered, once.
   */
  async confirm(userId: string, code: string, client?: ClientInfo): Promise<string[]> {
    const factor = await this.dataSource
      .getRepository(TotpFactor)
      .findOne({ where: { userId }, select: { id: true, secret: true, confirmedAt: true } });
    if (!factor) throw new ConflictException('Start setting up two-step sign-in first: there is no code to confirm.');
    if (factor.confirmedAt) throw new ConflictException('Two-step sign-in is already on.');
    const step = this.stepOf(factor.secret, code);
    if (step === null) throw wrongCode('code');
    const user = await this.users.getById(userId);
    return this.dataSource.transaction(async (manager) => {
      // Only the enrolment this code was checked against, and only once: a second confirmation racing
      // this one, or a new set-up begun meanwhile in another tab, changes no row and is refused.
      const [, confirmed] = await manager.query<[unknown, number]>(
        `UPDATE totp_factors SET confirmed_at = now(), last_step = $3, updated_at = now()
          WHERE id = $1 AND secret = $2 AND confirmed_at IS NULL`,
        [factor.id, factor.secret, String(step)],
      );
      if (confirmed !== 1) {
        throw new ConflictException('The set-up changed meanwhile (another tab or device): start it again.');
      }
      const codes = await this.replaceRecoveryCodes(userId, manager);
      await this.audit.record(
        'mfa_enabled',
        { actorId: userId, target: { type: 'user', id: userId }, ...(client ? { client } : {}) },
        manager,
      );
      await this.mail.send(
        user.email,
        templates.factorAdded(user.displayName, 'an authenticator app', this.securityUrl),
        manager,
      );
      return codes;
    });
  }

  /**
   * Checks a second step: a code from the app or a recovery code (spent by this). Within the
   * sign-in limits; a failure is audited and answers a field error of the form.
   */
  async verify(
    userId: string,
    input: SecondFactorInput,
    client: ClientInfo,
    deviceCookie?: string,
  ): Promise<SecondFactorMethod> {
    const user = await this.users.getById(userId);
    const attempt = await this.limiter.begin({
      account: `user:${userId}`,
      ip: client.ip,
      device: this.devices.deviceOf(deviceCookie, user),
      secondStep: true,
    });
    const method: SecondFactorMethod = input.recoveryCode !== undefined ? 'recovery_code' : 'totp';
    const passed =
      method === 'totp'
        ? await this.spendTotpCode(userId, input.code ?? '')
        : await this.spendRecoveryCode(userId, input.recoveryCode ?? '', client);
    if (!passed) {
      await this.audit.record('mfa_failed', {
        actorId: userId,
        target: { type: 'user', id: userId },
        data: { method },
        client,
      });
      throw wrongCode(method === 'totp' ? 'code' : 'recoveryCode');
    }
    await attempt.succeeded();
    return method;
  }

  /** `verify` for one field that may hold either: six digits are an app's code, anything else a recovery code. */
  verifyEither(userId: string, typed: string, client: ClientInfo): Promise<SecondFactorMethod> {
    return this.verify(userId, asTotpCode(typed) !== null ? { code: typed } : { recoveryCode: typed }, client).catch(
      (error: unknown) => {
        // The field the client sent is `code`, whichever kind it held.
        throw error instanceof Error && 'errors' in error ? wrongCode('code') : error;
      },
    );
  }

  /**
   * Turns two-step sign-in off, with a fresh code (from the app or a recovery code): a session
   * alone, even a recently proven one, cannot remove the factor. Operators must keep theirs.
   */
  async disable(userId: string, code: string, client: ClientInfo): Promise<void> {
    const user = await this.users.getById(userId);
    if (user.role === 'admin') {
      throw new AccountChangeRefused('Operators must keep two-step sign-in: the control panel requires it.');
    }
    if (!(await this.isEnabled(userId))) throw new ConflictException('Two-step sign-in is already off.');
    await this.verifyEither(userId, code, client);
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(TotpFactor, { userId });
      await manager.delete(RecoveryCode, { userId });
      await this.audit.record(
        'mfa_disabled',
        { actorId: userId, target: { type: 'user', id: userId }, client },
        manager,
      );
      await this.mail.send(
        user.email,
        templates.factorRemoved(user.displayName, 'an authenticator app', this.securityUrl),
        manager,
      );
    });
  }

  /** Ten new recovery codes; the old ones stop working. The owner is told by e-mail. */
  async regenerateRecoveryCodes(userId: string, client?: ClientInfo): Promise<string[]> {
    const user = await this.users.getById(userId);
    return this.dataSource.transaction(async (manager) => {
      // The factor's row is locked for the transaction, so two regenerations run one after the other
      // and the second replaces the first's codes rather than adding ten more.
      const [factor] = await manager.query<{ id: string }[]>(
        `SELECT id FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL FOR UPDATE`,
        [userId],
      );
      if (!factor) throw new ConflictException('Turn on two-step sign-in first: recovery codes come with it.');
      const codes = await this.replaceRecoveryCodes(userId, manager);
      await this.audit.record(
        'recovery_codes_regenerated',
        { actorId: userId, target: { type: 'user', id: userId }, ...(client ? { client } : {}) },
        manager,
      );
      await this.mail.send(user.email, templates.recoveryCodesReplaced(user.displayName, this.securityUrl), manager);
      return codes;
    });
  }

  private async replaceRecoveryCodes(userId: string, manager: EntityManager): Promise<string[]> {
    await manager.delete(RecoveryCode, { userId });
    const codes = new Set<string>();
    while (codes.size < RECOVERY_CODE_COUNT) codes.add(newRecoveryCode());
    await manager.save(
      RecoveryCode,
      [...codes].map((code) => manager.create(RecoveryCode, { userId, codeHash: hashRecoveryCode(code) })),
    );
    return [...codes];
  }

  /** The time step a code belongs to, if it is right for the secret now (within the window). */
  private stepOf(secret: string, typed: string): number | null {
    const token = asTotpCode(typed);
    if (token === null) return null;
    const totp = totpOf(secret);
    const now = Date.now();
    const delta = totp.validate({ token, timestamp: now, window: WINDOW });
    return delta === null ? null : totp.counter({ timestamp: now }) + delta;
  }

  /** Accepts the code once: only a step newer than the last accepted one moves it forward. */
  private async spendTotpCode(userId: string, typed: string): Promise<boolean> {
    const factor = await this.dataSource
      .getRepository(TotpFactor)
      .findOne({ where: { userId, confirmedAt: Not(IsNull()) }, select: { id: true, secret: true } });
    if (!factor) return false;
    const step = this.stepOf(factor.secret, typed);
    if (step === null) return false;
    const [, moved] = await this.dataSource.query<[unknown, number]>(
      `UPDATE totp_factors SET last_step = $2, updated_at = now()
        WHERE id = $1 AND (last_step IS NULL OR last_step < $2)`,
      [factor.id, step],
    );
    return moved === 1;
  }

  private async spendRecoveryCode(userId: string, typed: string, client: ClientInfo): Promise<boolean> {
    if (typed.length > 64) return false;
    return this.dataSource.transaction(async (manager) => {
      const [, spent] = await manager.query<[unknown, number]>(
        `UPDATE recovery_codes SET used_at = now(), updated_at = now()
          WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`,
        [userId, hashRecoveryCode(typed)],
      );
      if (spent !== 1) return false;
      const left = await manager.getRepository(RecoveryCode).countBy({ userId, usedAt: IsNull() });
      await this.audit.record(
        'recovery_code_used',
        { actorId: userId, target: { type: 'user', id: userId }, data: { left }, client },
        manager,
      );
      return true;
    });
  }
}
