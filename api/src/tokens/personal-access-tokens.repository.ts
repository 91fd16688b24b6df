/**
 * The home of the `personal_access_tokens` table: every statement that reads or writes it. The
 * per-request check is one statement on the pool (sql.ts), as the session check is.
 */
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { queryRows } from '../database/sql.js';
import { PersonalAccessToken } from './personal-access-token.entity.js';

/** A token that authenticates: live, of an active account. */
export interface AuthenticatedToken {
  readonly id: string;
  readonly userId: string;
  readonly scopes: readonly string[];
  readonly emailVerified: boolean;
}

/** A token, as `t`, neither revoked nor expired. */
const LIVE = 't.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())';

@Injectable()
export class PersonalAccessTokensRepository {
  constructor(private readonly dataSource: DataSource) {}

  private tokens(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(PersonalAccessToken);
  }

  /**
   * The live token of an active account with this hash, or undefined: what every request sent
   * with a personal access token checks, so a revocation, an expiry or a suspension holds on the
   * very next request. In the same statement it notes the use, at most once a minute, so a busy
   * script does not write a row per request.
   */
  async authenticate(tokenHash: string): Promise<AuthenticatedToken | undefined> {
    const [row] = await queryRows<{ id: string; user_id: string; scopes: string; verified: boolean }>(
      this.dataSource,
      `WITH live AS (
         SELECT t.id, t.user_id, t.scopes, t.last_used_at, u.email_verified_at IS NOT NULL AS verified
           FROM personal_access_tokens t JOIN users u ON u.id = t.user_id AND u.is_active
          WHERE t.token_hash = $1 AND ${LIVE}),
       touched AS (
         UPDATE personal_access_tokens p SET last_used_at = now() FROM live
          WHERE p.id = live.id AND (live.last_used_at IS NULL OR live.last_used_at < now() - interval '1 minute')
            -- Again on the row itself: a burst of requests waiting on its lock writes once, not once each.
            AND (p.last_used_at IS NULL OR p.last_used_at < now() - interval '1 minute'))
       SELECT id, user_id, scopes, verified FROM live`,
      [tokenHash],
    );
    return row && { id: row.id, userId: row.user_id, scopes: row.scopes.split(' '), emailVerified: row.verified };
  }

  async insert(fields: Partial<PersonalAccessToken>, manager: EntityManager): Promise<PersonalAccessToken> {
    return this.tokens(manager).save(this.tokens(manager).create(fields));
  }

  /** The account's tokens that were not revoked (expired ones included, so the owner sees them lapse), newest first. */
  listForUser(userId: string): Promise<PersonalAccessToken[]> {
    return this.tokens().find({ where: { userId, revokedAt: IsNull() }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  /** How many live tokens the account holds. */
  async countLive(userId: string, manager: EntityManager): Promise<number> {
    const [row] = await manager.query<[{ n: number }]>(
      `SELECT count(*)::int AS n FROM personal_access_tokens t WHERE t.user_id = $1 AND ${LIVE}`,
      [userId],
    );
    return row.n;
  }

  /**
   * Revokes a token that is not revoked yet, of the account `userId` (of any account when null);
   * the token, or undefined when there is none.
   */
  async revoke(id: string, userId: string | null, manager: EntityManager): Promise<PersonalAccessToken | undefined> {
    const [rows] = await manager.query<[{ id: string }[], number]>(
      `UPDATE personal_access_tokens SET revoked_at = now(), updated_at = now()
        WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2) AND revoked_at IS NULL RETURNING id`,
      [id, userId],
    );
    return rows.length > 0 ? ((await this.tokens(manager).findOneBy({ id })) ?? undefined) : undefined;
  }
}
