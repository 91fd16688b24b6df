/**
 * The home of the `sessions` table (refresh tokens): every statement that reads or writes it is
 * here, the ones that also look at the account's state included. The rotation's claim is one
 * conditional UPDATE in raw SQL, so that of racing refreshes exactly one wins.
 */
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { queryRows } from '../database/sql.js';
import type { UserRole } from '../policy/access.js';
import { Session } from './session.entity.js';

/**
 * A live session token, as `s`: neither revoked nor expired. Every statement that asks whether a
 * session still counts (the refresh's claim, the per-request check, the list) uses this one.
 */
const LIVE = 's.revoked_at IS NULL AND s.expires_at > now()';

/** What a refresh claims from the token it spends. */
export interface ClaimedSession {
  readonly userId: string;
  readonly familyId: string;
  readonly scope: string;
  readonly familyExpiresAt: Date;
  /** The app (oauth_clients.id) of the family; null for a first-party session. */
  readonly clientId: string | null;
}

/** A live session, as listed: the family's current token and when the family began. */
export interface LiveSessionRow {
  readonly family_id: string;
  readonly user_agent: string | null;
  readonly ip: string | null;
  readonly started_at: Date;
  readonly last_used_at: Date;
}

@Injectable()
export class SessionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(fields: Partial<Session>, manager: EntityManager = this.dataSource.manager): Promise<Session> {
    return manager.save(manager.create(Session, fields));
  }

  /**
   * Spends a live token of an active account: marks it revoked and replaced by `replacedBy`, and
   * returns what the new token inherits; null when the token is unknown, spent, expired, the
   * account is suspended, or the family is not `clientId`'s (an app's, by oauth_clients.id; null: a
   * first-party session), so neither side can spend the other's tokens. Concurrent claims of one
   * token: the first wins, the others get null.
   */
  async claim(
    tokenHash: string,
    replacedBy: string,
    clientId: string | null,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ClaimedSession | null> {
    const [[row]] = await manager.query<
      [
        {
          user_id: string;
          family_id: string;
          scope: string;
          family_expires_at: Date;
          client_id: string | null;
        }[],
        number,
      ]
    >(
      `UPDATE sessions s SET revoked_at = now(), replaced_by = $2, last_used_at = now(), updated_at = now()
         FROM users u
        WHERE s.token_hash = $1 AND ${LIVE} AND s.client_id IS NOT DISTINCT FROM $3::uuid
          AND u.id = s.user_id AND u.is_active
        RETURNING s.user_id, s.family_id, s.scope, s.family_expires_at, s.client_id`,
      [tokenHash, replacedBy, clientId],
    );
    return row
      ? {
          userId: row.user_id,
          familyId: row.family_id,
          scope: row.scope,
          familyExpiresAt: row.family_expires_at,
          clientId: row.client_id,
        }
      : null;
  }

  findByTokenHash(tokenHash: string): Promise<Session | null> {
    return this.dataSource
      .getRepository(Session)
      .createQueryBuilder('s')
      .where('s.tokenHash = :tokenHash', { tokenHash })
      .getOne();
  }

  /**
   * The role and verification state of an active account whose session `familyId` is live: what
   * every authenticated request checks. `clientId` is the app's public client_id an app's token
   * carries: the family must be that app's, and the app not suspended; without one, the family must
   * be first-party. Undefined when the account is suspended, the session over or the app suspended.
   */
  async principalOf(
    userId: string,
    familyId: string,
    clientId?: string,
  ): Promise<{ role: UserRole; verified: boolean } | undefined> {
    const rows = await queryRows<{ role: UserRole; verified: boolean }>(
      this.dataSource,
      `SELECT u.role, u.email_verified_at IS NOT NULL AS verified FROM users u
        WHERE u.id = $1 AND u.is_active
          AND EXISTS (SELECT 1 FROM sessions s WHERE s.family_id = $2 AND s.user_id = u.id AND ${LIVE}
                        AND CASE WHEN $3::text IS NULL THEN s.client_id IS NULL
                                 ELSE EXISTS (SELECT 1 FROM oauth_clients c WHERE c.id = s.client_id
                                                AND c.client_id = $3 AND c.suspended_at IS NULL) END)`,
      [userId, familyId, clientId ?? null],
    );
    return rows[0];
  }

  /** When a family began: when its owner signed in (an ID token's auth_time). */
  async familyStartedAt(familyId: string): Promise<Date | undefined> {
    const [row] = await this.dataSource.query<{ started_at: Date | null }[]>(
      'SELECT min(created_at) AS started_at FROM sessions WHERE family_id = $1',
      [familyId],
    );
    return row?.started_at ?? undefined;
  }

  /** Revokes every live token the app (oauth_clients.id) holds for the user; how many. */
  async revokeForApp(
    userId: string,
    clientId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<number> {
    const [, count] = await manager.query<[unknown, number]>(
      `UPDATE sessions SET revoked_at = now(), updated_at = now()
        WHERE user_id = $1 AND client_id = $2 AND revoked_at IS NULL`,
      [userId, clientId],
    );
    return count;
  }

  /**
   * The user's live first-party sessions, most recently used first (toSessionDto shows them); apps
   * are listed as connected apps instead.
   */
  liveForUser(userId: string): Promise<LiveSessionRow[]> {
    return this.dataSource.query<LiveSessionRow[]>(
      `SELECT s.family_id, s.user_agent, s.ip, s.last_used_at,
              (SELECT min(f.created_at) FROM sessions f WHERE f.family_id = s.family_id) AS started_at
         FROM sessions s
        WHERE s.user_id = $1 AND ${LIVE} AND s.client_id IS NULL
        ORDER BY s.last_used_at DESC`,
      [userId],
    );
  }

  /** The account a session (family) belongs to, if the family exists. */
  async ownerOfFamily(familyId: string, manager: EntityManager = this.dataSource.manager): Promise<string | undefined> {
    const [row] = await manager.query<{ user_id: string }[]>(
      'SELECT user_id FROM sessions WHERE family_id = $1 LIMIT 1',
      [familyId],
    );
    return row?.user_id;
  }

  /** Accounts that signed in or refreshed a session at or after `since` (sessions_last_used_idx). */
  async countActiveUsersSince(since: Date): Promise<number> {
    const [row] = await this.dataSource.query<[{ n: string }]>(
      'SELECT count(DISTINCT user_id) AS n FROM sessions WHERE last_used_at >= $1',
      [since],
    );
    return Number(row.n);
  }

  /** Revokes every live token of a family that belongs to `ownerId` (to anyone when null); how many. */
  async revokeFamily(
    familyId: string,
    ownerId: string | null = null,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<number> {
    const [, count] = await manager.query<[unknown, number]>(
      `UPDATE sessions SET revoked_at = now(), updated_at = now()
        WHERE family_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR user_id = $2)`,
      [familyId, ownerId],
    );
    return count;
  }

  /**
   * Ends every session of a user, or all but the API session `exceptFamilyId`; how many API tokens
   * were live. The account's control-panel sessions (`panel_sessions`, the panel's session store)
   * end in the same statement: whatever ends a user's sessions (sign out everywhere, a password
   * change or reset, a suspension, a deletion) must not leave an operator's panel open to whoever held the
   * old password.
   */
  async revokeAllForUser(
    userId: string,
    exceptFamilyId: string | null = null,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<number> {
    const [, count] = await manager.query<[unknown, number]>(
      `WITH panel AS (DELETE FROM panel_sessions WHERE sess->'adminUser'->>'id' = $1::uuid::text)
       UPDATE sessions SET revoked_at = now(), updated_at = now()
        WHERE user_id = $1 AND revoked_at IS NULL AND family_id IS DISTINCT FROM $2`,
      [userId, exceptFamilyId],
    );
    return count;
  }
}
