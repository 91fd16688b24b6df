/**
 * What an operator does for an owner who lost their second factors: remove them all (the
 * authenticator app, the recovery codes, the passkeys), so the owner signs in with the password
 * and sets them up again. Audited, and the owner is told.
 */
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository.js';
import type { ClientInfo } from '../auth/refresh-token.service.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { MailService } from '../mail/mail.service.js';
import { templates } from '../mail/templates.js';
import { UsersRepository } from '../users/users.repository.js';

export interface SecondFactorCounts {
  readonly totp: boolean;
  readonly passkeys: number;
}

@Injectable()
export class SecondFactors {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Which second factors the account has: a confirmed authenticator app, and how many passkeys. */
  async of(userId: string): Promise<SecondFactorCounts> {
    const [row] = await this.dataSource.query<{ totp: boolean; passkeys: number }[]>(
      `SELECT EXISTS (SELECT 1 FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL) AS totp,
              (SELECT count(*)::int FROM passkeys WHERE user_id = $1) AS passkeys`,
      [userId],
    );
    return { totp: row?.totp ?? false, passkeys: row?.passkeys ?? 0 };
  }

  async reset(actorId: string, userId: string, client?: ClientInfo): Promise<SecondFactorCounts> {
    const user = await this.users.findById(userId);
    if (!user) throw new NotFoundException('No such account.');
    return this.dataSource.transaction(async (manager) => {
      // DELETE … RETURNING answers [rows, count].
      const [[totp]] = await manager.query<[{ confirmed: boolean }[], number]>(
        `DELETE FROM totp_factors WHERE user_id = $1 RETURNING confirmed_at IS NOT NULL AS confirmed`,
        [userId],
      );
      const [passkeys] = await manager.query<{ n: number }[]>(
        `WITH gone AS (DELETE FROM passkeys WHERE user_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
        [userId],
      );
      await manager.query(`DELETE FROM recovery_codes WHERE user_id = $1`, [userId]);
      await manager.query(`DELETE FROM webauthn_challenges WHERE user_id = $1`, [userId]);
      const removed = { totp: totp?.confirmed ?? false, passkeys: passkeys?.n ?? 0 };
      await this.audit.record(
        'mfa_reset',
        { actorId, target: { type: 'user', id: userId }, data: { ...removed }, ...(client ? { client } : {}) },
        manager,
      );
      await this.mail.send(
        user.email,
        templates.factorsReset(user.displayName, new URL('/settings#security', this.config.publicUrl).href),
        manager,
      );
      return removed;
    });
  }
}
