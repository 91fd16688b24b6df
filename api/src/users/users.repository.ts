/**
 * The home of the `users` table: every query that reads or writes accounts is here. Look-ups by
 * e-mail go through lower(email), matching the unique index; a taken address is EmailInUse, also
 * when two writers race for it.
 */
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull, MoreThanOrEqual } from 'typeorm';
import { queryRows } from '../database/sql.js';
import { countPerDay, countRows, type DailyCount, type Tally } from '../database/table-counts.js';
import { User } from './user.entity.js';

/** Another account has the address (lower-cased): what a write that would share it throws. */
export class EmailInUse extends Error {
  constructor() {
    super('another account has this e-mail address');
  }
}

/** The form of an address that look-ups and per-account limits use: no surrounding blanks, lower case. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** PostgreSQL's unique_violation, e.g. two sign-ups racing for one address. */
function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}

export type AccountProfile = Pick<
  User,
  'id' | 'email' | 'displayName' | 'bio' | 'link' | 'role' | 'emailVerifiedAt' | 'createdAt'
>;

/** An active account's public face, as read: name, bio, link, join date and how many posts it has published. */
export interface PublicProfileRow {
  id: string;
  display_name: string;
  bio: string | null;
  link: string | null;
  created_at: Date;
  posts: number;
}

@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Pass the transaction's manager to read or write within it. */
  private users(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(User);
  }

  findById(id: string, manager?: EntityManager): Promise<User | null> {
    return this.users(manager).findOneBy({ id });
  }

  getById(id: string, manager?: EntityManager): Promise<User> {
    return this.users(manager).findOneByOrFail({ id });
  }

  /** What the account's owner sees of it (GET /users/me, read on every app start): one plain statement. */
  async findProfile(id: string): Promise<AccountProfile | undefined> {
    const [row] = await queryRows<AccountProfile>(
      this.dataSource,
      `SELECT id, email, display_name AS "displayName", bio, link, role, email_verified_at AS "emailVerifiedAt",
              created_at AS "createdAt"
         FROM users WHERE id = $1`,
      [id],
    );
    return row;
  }

  findByEmail(email: string, manager?: EntityManager): Promise<User | null> {
    return this.byEmail(email, manager).getOne();
  }

  /** The account with its password hash, which other reads leave out. */
  findByEmailWithHash(email: string, manager?: EntityManager): Promise<User | null> {
    return this.byEmail(email, manager).addSelect('u.passwordHash').getOne();
  }

  private byEmail(email: string, manager: EntityManager | undefined) {
    return this.users(manager).createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email });
  }

  /** The account with its password hash, which other reads leave out. */
  findByIdWithHash(id: string, manager?: EntityManager): Promise<User | null> {
    return this.users(manager).createQueryBuilder('u').addSelect('u.passwordHash').where('u.id = :id', { id }).getOne();
  }

  /** Creates an account; EmailInUse when another account has the address. */
  async create(fields: Partial<User>, manager?: EntityManager): Promise<User> {
    if (fields.email && (await this.findByEmail(fields.email, manager))) throw new EmailInUse();
    return this.save(this.users(manager).create(fields), manager);
  }

  /** Saves changed fields; EmailInUse when the address was taken meanwhile. */
  async save(user: User, manager?: EntityManager): Promise<User> {
    try {
      return await this.users(manager).save(user);
    } catch (error) {
      if (isUniqueViolation(error)) throw new EmailInUse();
      throw error;
    }
  }

  /** Stores a stronger hash of the same password (the account's devices stay known). */
  async setPasswordHash(id: string, passwordHash: string, manager?: EntityManager): Promise<void> {
    await this.users(manager).update({ id }, { passwordHash });
  }

  /** Stores the hash of a new password and when it changed (which forgets the account's devices). */
  async changePasswordHash(id: string, passwordHash: string, manager?: EntityManager): Promise<void> {
    await this.users(manager).update({ id }, { passwordHash, passwordChangedAt: () => 'now()' });
  }

  /** An active account's public face (toPublicProfileDto shows it); drafts are no one else's business. */
  async findPublicProfile(id: string): Promise<PublicProfileRow | undefined> {
    const [row] = await queryRows<PublicProfileRow>(
      this.dataSource,
      `SELECT u.id, u.display_name, u.bio, u.link, u.created_at,
              (SELECT count(*)::int FROM posts p
                WHERE p.author_id = u.id AND p.status = 'published' AND p.hidden_at IS NULL) AS posts
         FROM users u
        WHERE u.id = $1 AND u.is_active`,
      [id],
    );
    return row;
  }

  /** The next `size` ids, after `afterId`, of active accounts with a published post. */
  async activeAuthorsAfter(afterId: string, size: number): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource,
      `SELECT u.id FROM users u
        WHERE u.is_active AND u.id > $1
          AND EXISTS (SELECT 1 FROM posts p WHERE p.author_id = u.id AND p.status = 'published' AND p.hidden_at IS NULL)
        ORDER BY u.id LIMIT $2`,
      [afterId, size],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Suspends an active account on these terms (`is_active` false). The stored suspension, or null
   * when the account is suspended already (or is none).
   */
  async suspend(
    id: string,
    terms: { reason: string; until: Date | null; message: string | null },
    manager?: EntityManager,
  ): Promise<{ suspendedAt: Date; reason: string; until: Date | null; message: string | null } | null> {
    const [rows] = await (manager ?? this.dataSource.manager).query<[{ suspended_at: Date }[], number]>(
      `UPDATE users
          SET is_active = false, suspended_at = now(), suspended_until = $2, suspension_reason = $3,
              suspension_message = $4, updated_at = now()
        WHERE id = $1 AND is_active
        RETURNING suspended_at`,
      [id, terms.until, terms.reason, terms.message],
    );
    const row = rows[0];
    return row ? { suspendedAt: row.suspended_at, ...terms } : null;
  }

  /**
   * Lifts suspensions: of `ids` (null: of every account), and with `ended`, only those whose end
   * has come. A concurrent lift of the same account waits for the row and then finds it active, so
   * each is lifted once. Returns the ids lifted.
   */
  async lift(ids: readonly string[] | null, options: { ended: boolean }, manager?: EntityManager): Promise<string[]> {
    const [rows] = await (manager ?? this.dataSource.manager).query<[{ id: string }[], number]>(
      `UPDATE users
          SET is_active = true, suspended_at = NULL, suspended_until = NULL, suspension_reason = NULL,
              suspension_message = NULL, updated_at = now()
        WHERE NOT is_active
          AND ($1::uuid[] IS NULL OR id = ANY($1::uuid[]))
          AND (NOT $2 OR suspended_until <= now())
        RETURNING id`,
      [ids, options.ended],
    );
    return rows.map((row) => row.id);
  }

  /** Marks the address verified now; false if it already was. */
  async markVerified(id: string, manager?: EntityManager): Promise<boolean> {
    const { affected } = await this.users(manager).update(
      { id, emailVerifiedAt: IsNull() },
      { emailVerifiedAt: new Date() },
    );
    return (affected ?? 0) > 0;
  }

  /** Deletes the account; its posts, sessions and e-mailed tokens go with it (foreign keys cascade). */
  async delete(id: string, manager?: EntityManager): Promise<boolean> {
    const { affected } = await this.users(manager).delete({ id });
    return (affected ?? 0) > 0;
  }

  /**
   * The ids of the active admins, row-locked until the transaction ends, so that two operators
   * demoting or suspending each other at once cannot leave the service without one.
   */
  async lockActiveAdmins(manager: EntityManager): Promise<string[]> {
    const rows = await manager.query<{ id: string }[]>(
      `SELECT id FROM users WHERE role = 'admin' AND is_active ORDER BY id FOR UPDATE`,
    );
    return rows.map((row) => row.id);
  }

  /** How many accounts there are (estimated once there are very many: table-counts.ts). */
  count(): Promise<Tally> {
    return countRows(this.dataSource, 'users');
  }

  /** Accounts created at or after `since` (users_created_idx). */
  countCreatedSince(since: Date): Promise<number> {
    return this.users().countBy({ createdAt: MoreThanOrEqual(since) });
  }

  /** Sign-ups on each of `days` UTC days from `firstDay` (users_created_idx). */
  signUpsPerDay(firstDay: Date, days: number): Promise<DailyCount[]> {
    return countPerDay(this.dataSource, 'users', firstDay, days);
  }
}
