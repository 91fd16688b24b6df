import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `users.password_changed_at`: when the account last got a new password (a change or a reset;
 * never a rehash of the same password). Device cookies are bound to it, so a new password
 * forgets every browser that proved the old one. Null for accounts that never changed theirs.
 */
export class PasswordChangedAt1764374400000 implements MigrationInterface {
  name = 'PasswordChangedAt1764374400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "users" ADD COLUMN "password_changed_at" timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "users" DROP COLUMN "password_changed_at"`);
  }
}
