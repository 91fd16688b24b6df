import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AuditRepository } from '../audit/audit.repository.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { hashToken, newOpaqueToken } from './opaque-token.js';
import type { Session } from './session.entity.js';
import { SessionsRepository } from './sessions.repository.js';

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
 * Refresh tokens: opaque, stored as SHA-256, rotated on every use within a family, with a sliding
 * and an absolute lifetime (REFRESH_TOKEN_TTL_DAYS, REFRESH_TOKEN_MAX_AGE_DAYS). Presenting a token
 * that was already rotated revokes the whole family and is audited: either the client raced itself
 * or somebody replayed a stolen token, and the server cannot tell which.
 */
@Injectable()
export class RefreshTokenService {
  private readonly ttlMs: number;
  private readonly maxAgeMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: SessionsRepository,
    private readonly audit: AuditRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.ttlMs = config.refreshToken.ttlDays * DAY_MS;
    this.maxAgeMs = config.refreshToken.maxAgeDays * DAY_MS;
  }

  /** Starts a new family (a sign-in); `clientId` (oauth_clients.id) when an app signs the user in. */
  async start(
    userId: string,
    scope: string,
    client: ClientInfo,
    clientId: string | null = null,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<IssuedRefreshToken> {
    const now = Date.now();
    const familyExpiresAt = new Date(now + this.maxAgeMs);
    return this.issue(manager, {
      userId,
      clientId,
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
   * concurrent calls with the same token can win the claim; the others see a rotated token and
   * revoke the family. `clientId` is the app (oauth_clients.id) refreshing, null for first-party
   * clients: a family is only ever refreshed by whom it was issued to.
   */
  async rotate(token: string, client: ClientInfo, clientId: string | null = null): Promise<IssuedRefreshToken> {
    const tokenHash = hashToken(token);
    const newId = uuidv7();
    const issued = await this.dataSource.transaction(async (manager) => {
      const claimed = await this.sessions.claim(tokenHash, newId, clientId, manager);
      if (!claimed) return null;
      return this.issue(manager, {
        ...claimed,
        id: newId,
        expiresAt: new Date(Math.min(Date.now() + this.ttlMs, claimed.familyExpiresAt.getTime())),
        userAgent: client.userAgent,
        ip: client.ip,
      });
    });
    if (issued) return issued;
    throw new RefreshRefused(await this.diagnose(tokenHash, client, clientId));
  }

  /**
   * Why rotation failed; a rotated token's reappearance revokes its family. Another client's token
   * is unknown to the caller, and the caller cannot end that family by presenting it.
   */
  private async diagnose(
    tokenHash: string,
    client: ClientInfo,
    clientId: string | null,
  ): Promise<RefreshRefused['reason']> {
    const session = await this.sessions.findByTokenHash(tokenHash);
    if (!session || session.clientId !== clientId) return 'unknown';
    if (session.replacedBy !== null) {
      const revoked = await this.sessions.revokeFamily(session.familyId);
      await this.audit.record('refresh_token_reuse', {
        actorId: session.userId,
        target: { type: 'session', id: session.familyId },
        data: { revokedTokens: revoked },
        client,
      });
      return 'reused';
    }
    if (session.revokedAt !== null) return 'revoked';
    if (session.expiresAt.getTime() <= Date.now()) return 'expired';
    return 'inactive';
  }

  /** Ends the session a refresh token belongs to, whatever state the token is in (sign-out). */
  async endByToken(token: string): Promise<void> {
    const session = await this.sessions.findByTokenHash(hashToken(token));
    if (session) await this.sessions.revokeFamily(session.familyId);
  }

  private async issue(
    manager: EntityManager,
    fields: Omit<Partial<Session>, 'id'> & { id?: string },
  ): Promise<IssuedRefreshToken> {
    const token = newOpaqueToken();
    const session = await this.sessions.insert(
      { ...fields, tokenHash: hashToken(token), lastUsedAt: new Date() },
      manager,
    );
    return { token, session };
  }
}
