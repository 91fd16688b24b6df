import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AuditService } from '../audit/audit.service.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { hashToken, newOpaqueToken } from './opaque-token.js';
import { Session } from './session.entity.js';

const DAY_MS = 86_400_000;

export interface ClientInfo {
  readonly userAgent: string | null;
  readonly ip: string | null;
}

export interface IssuedRefreshToken {
  readonly token: string;
  readonly session: Session;
}

/** Why a refresh token was refused; `reused` means it had already been rotated (likely stolen). */
export class RefreshRefused extends Error {
  constructor(readonly reason: 'unknown' | 'expired' | 'revoked' | 'reused' | 'inactive') {
    super(`refresh token refused: ${reason}`);
  }
}

/**
 * Refresh tokens (DESIGN §5): opaque, stored as SHA-256, rotated on every use within a family,
 * 7-day sliding and 30-day absolute lifetime. Presenting a token that was already rotated revokes
 * the whole family and is audited: either the client raced itself or somebody replayed a stolen
 * token, and the server cannot tell which.
 */
@Injectable()
export class SessionService {
  private readonly ttlMs: number;
  private readonly maxAgeMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.ttlMs = config.refreshToken.ttlDays * DAY_MS;
    this.maxAgeMs = config.refreshToken.maxAgeDays * DAY_MS;
  }

  /** Starts a new family (a sign-in). */
  async start(userId: string, scope: string, client: ClientInfo): Promise<IssuedRefreshToken> {
    const now = Date.now();
    const familyExpiresAt = new Date(now + this.maxAgeMs);
    return this.insert(this.dataSource.manager, {
      userId,
      familyId: uuidv7(),
      scope,
      familyExpiresAt,
      expiresAt: new Date(Math.min(now + this.ttlMs, familyExpiresAt.getTime())),
      userAgent: client.userAgent,
      ip: client.ip,
    });
  }

  /**
   * Exchanges a refresh token for a new one in the same family. Exactly one of any number of
   * concurrent calls with the same token can win the conditional UPDATE; the others see a
   * rotated token and revoke the family.
   */
  async rotate(token: string, client: ClientInfo): Promise<IssuedRefreshToken> {
    const tokenHash = hashToken(token);
    const newId = uuidv7();
    const issued = await this.dataSource.transaction(async (manager) => {
      const [[claimed]] = await manager.query<
        [{ user_id: string; family_id: string; scope: string; family_expires_at: Date }[], number]
      >(
        `UPDATE sessions s SET revoked_at = now(), replaced_by = $2, last_used_at = now(), updated_at = now()
           FROM users u
          WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
            AND u.id = s.user_id AND u.is_active
          RETURNING s.user_id, s.family_id, s.scope, s.family_expires_at`,
        [tokenHash, newId],
      );
      if (!claimed) return null;
      const now = Date.now();
      return this.insert(manager, {
        id: newId,
        userId: claimed.user_id,
        familyId: claimed.family_id,
        scope: claimed.scope,
        familyExpiresAt: claimed.family_expires_at,
        expiresAt: new Date(Math.min(now + this.ttlMs, claimed.family_expires_at.getTime())),
        userAgent: client.userAgent,
        ip: client.ip,
      });
    });
    if (issued) return issued;
    throw new RefreshRefused(await this.diagnose(tokenHash, client));
  }

  /** Why rotation failed; a rotated token's reappearance revokes its family. */
  private async diagnose(tokenHash: string, client: ClientInfo): Promise<RefreshRefused['reason']> {
    const session = await this.dataSource
      .getRepository(Session)
      .createQueryBuilder('s')
      .where('s.tokenHash = :tokenHash', { tokenHash })
      .getOne();
    if (!session) return 'unknown';
    if (session.replacedBy !== null) {
      const revoked = await this.revokeFamily(session.familyId);
      await this.audit.record('refresh_token_reuse', {
        actorId: session.userId,
        target: { type: 'session', id: session.familyId },
        data: { ip: client.ip, userAgent: client.userAgent, revokedTokens: revoked },
      });
      return 'reused';
    }
    if (session.revokedAt !== null) return 'revoked';
    if (session.expiresAt.getTime() <= Date.now()) return 'expired';
    return 'inactive';
  }

  /** The live family a refresh token belongs to, without rotating it (for logout). */
  async familyOf(token: string): Promise<{ familyId: string; userId: string } | null> {
    const session = await this.dataSource
      .getRepository(Session)
      .createQueryBuilder('s')
      .where('s.tokenHash = :hash', { hash: hashToken(token) })
      .getOne();
    return session ? { familyId: session.familyId, userId: session.userId } : null;
  }

  /** Revokes every live token of a family; returns how many were live. */
  async revokeFamily(familyId: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const [, count] = await manager.query<[unknown, number]>(
      `UPDATE sessions SET revoked_at = now(), updated_at = now() WHERE family_id = $1 AND revoked_at IS NULL`,
      [familyId],
    );
    return count;
  }

  /** Ends every session of a user, or all but one. */
  async revokeAllForUser(
    userId: string,
    options: { exceptFamilyId?: string; manager?: EntityManager } = {},
  ): Promise<number> {
    const [, count] = await (options.manager ?? this.dataSource.manager).query<[unknown, number]>(
      `UPDATE sessions SET revoked_at = now(), updated_at = now()
        WHERE user_id = $1 AND revoked_at IS NULL AND family_id IS DISTINCT FROM $2`,
      [userId, options.exceptFamilyId ?? null],
    );
    return count;
  }

  private async insert(
    manager: EntityManager,
    fields: Omit<Partial<Session>, 'id'> & { id?: string },
  ): Promise<IssuedRefreshToken> {
    const token = newOpaqueToken();
    const session = manager.create(Session, { ...fields, tokenHash: hashToken(token), lastUsedAt: new Date() });
    await manager.save(session);
    return { token, session };
  }
}
