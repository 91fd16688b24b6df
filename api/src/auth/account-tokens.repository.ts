import { BadRequestException, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AccountToken, type AccountTokenPurpose } from './account-token.entity.js';
import { hashToken, newOpaqueToken } from './opaque-token.js';

/** How long an e-mailed link works. */
export const ACCOUNT_TOKEN_TTL_MS: Record<AccountTokenPurpose, number> = {
  password_reset: 30 * 60_000,
  email_verify: 48 * 3_600_000,
  email_change: 48 * 3_600_000,
};

export class InvalidAccountToken extends BadRequestException {
  constructor() {
    super('This link is invalid, expired or already used. Ask for a new one.');
  }
}

/**
 * The home of the `account_tokens` table: single-use tokens for e-mailed links, 256 random bits,
 * stored as SHA-256, expiring. Issuing a new one voids the user's earlier unused ones of the same
 * purpose, so only the latest link works; a new password voids them all.
 */
@Injectable()
export class AccountTokensRepository {
  constructor(private readonly dataSource: DataSource) {}

  async issue(
    userId: string,
    purpose: AccountTokenPurpose,
    email: string | null,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string> {
    await manager.query(
      `UPDATE account_tokens SET used_at = now(), updated_at = now()
        WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`,
      [userId, purpose],
    );
    const token = newOpaqueToken();
    await manager.save(
      manager.create(AccountToken, {
        userId,
        purpose,
        email,
        tokenHash: hashToken(token),
        expiresAt: new Date(Date.now() + ACCOUNT_TOKEN_TTL_MS[purpose]),
      }),
    );
    return token;
  }

  /**
   * Voids every unused token of the user, whatever its purpose: a new password must not leave a
   * link alive that someone who knew the old one asked for (an address change to their own
   * address, above all). How many were voided.
   */
  async voidAll(userId: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const [, count] = await manager.query<[unknown, number]>(
      `UPDATE account_tokens SET used_at = now(), updated_at = now() WHERE user_id = $1 AND used_at IS NULL`,
      [userId],
    );
    return count;
  }

  /** The live token's owner and purpose, without using it up (to check a new password first). */
  async peek(
    token: string,
    purposes: readonly AccountTokenPurpose[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Pick<AccountToken, 'userId' | 'purpose' | 'email'>> {
    const rows = await manager.query<{ user_id: string; purpose: AccountTokenPurpose; email: string | null }[]>(
      `SELECT user_id, purpose, email FROM account_tokens
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() AND purpose = ANY($2::account_token_purpose[])`,
      [hashToken(token), purposes],
    );
    const row = rows[0];
    if (!row) throw new InvalidAccountToken();
    return { userId: row.user_id, purpose: row.purpose, email: row.email };
  }

  /** Marks the token used and returns it; one caller at most succeeds, whatever the concurrency. */
  async consume(
    token: string,
    purposes: readonly AccountTokenPurpose[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Pick<AccountToken, 'userId' | 'purpose' | 'email'>> {
    const [rows] = await manager.query<
      [{ user_id: string; purpose: AccountTokenPurpose; email: string | null }[], number]
    >(
      `UPDATE account_tokens SET used_at = now(), updated_at = now()
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() AND purpose = ANY($2::account_token_purpose[])
        RETURNING user_id, purpose, email`,
      [hashToken(token), purposes],
    );
    const row = rows[0];
    if (!row) throw new InvalidAccountToken();
    return { userId: row.user_id, purpose: row.purpose, email: row.email };
  }
}
