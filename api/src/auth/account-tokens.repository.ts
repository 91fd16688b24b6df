import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AccountToken, type AccountTokenPurpose } from './account-token.entity.js';
import { hashToken, newOpaqueToken } from './opaque-token.js';

/** How long an e-mailed link works. */
export const ACCOUNT_TOKEN_TTL_MS: Record<AccountTokenPurpose, number> = {
  password_reset: 30 * 60_000,
  email_verify: 48 * 3_600_000,
  email_change: 48 * 3_600_000,
};

/** What a spent or looked-up token tells: whose it is, what for, and the address it confirms. */
export type EmailedToken = Pick<AccountToken, 'userId' | 'purpose' | 'email'>;

interface TokenRow {
  user_id: string;
  purpose: AccountTokenPurpose;
  email: string | null;
}

const toEmailedToken = (row: TokenRow | undefined): EmailedToken | null =>
  row ? { userId: row.user_id, purpose: row.purpose, email: row.email } : null;

/** A live token with this hash ($1) for one of these purposes ($2): unused and unexpired. */
const LIVE_TOKEN = `token_hash = $1 AND used_at IS NULL AND expires_at > now()
  AND purpose = ANY($2::account_token_purpose[])`;

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

  /** The live token's owner and purpose, without using it up (to check a new password first); null if none. */
  async peek(
    token: string,
    purposes: readonly AccountTokenPurpose[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<EmailedToken | null> {
    const rows = await manager.query<TokenRow[]>(
      `SELECT user_id, purpose, email FROM account_tokens WHERE ${LIVE_TOKEN}`,
      [hashToken(token), purposes],
    );
    return toEmailedToken(rows[0]);
  }

  /**
   * Marks the token used and returns it; null when no live token matches. One caller at most
   * succeeds, whatever the concurrency.
   */
  async consume(
    token: string,
    purposes: readonly AccountTokenPurpose[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<EmailedToken | null> {
    const [rows] = await manager.query<[TokenRow[], number]>(
      `UPDATE account_tokens SET used_at = now(), updated_at = now() WHERE ${LIVE_TOKEN}
        RETURNING user_id, purpose, email`,
      [hashToken(token), purposes],
    );
    return toEmailedToken(rows[0]);
  }
}
