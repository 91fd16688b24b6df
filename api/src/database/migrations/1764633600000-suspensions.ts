import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A ban becomes a suspension: when it began, until when (null: until an operator lifts it), the
 * operator's reason (for operators only) and a message the account's owner reads when signing in.
 * `is_active = false` stays the flag every request checks; these columns say why and for how long.
 * Accounts banned before this migration are suspended from the time of their last ban (or now),
 * with no end and a reason saying so; the audit log's `user_banned` / `user_unbanned` entries
 * become `user_suspended` / `user_unsuspended`, the one vocabulary the panel shows.
 * `users_suspended_until_idx` serves the sweep that lifts ended suspensions.
 */
export class Suspensions1764633600000 implements MigrationInterface {
  name = 'Suspensions1764633600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE "users"
        ADD COLUMN "suspended_at" timestamptz,
        ADD COLUMN "suspended_until" timestamptz,
        ADD COLUMN "suspension_reason" character varying(500),
        ADD COLUMN "suspension_message" character varying(500)`);
    await q.query(`
      UPDATE "users" u
         SET "suspended_at" = coalesce(
               (SELECT max(a."created_at") FROM "audit_log" a
                 WHERE a."action" = 'user_banned' AND a."target_type" = 'user' AND a."target_id" = u."id"),
               now()),
             "suspension_reason" = 'Banned before suspensions had reasons.'
       WHERE NOT u."is_active"`);
    await q.query(`UPDATE "audit_log" SET "action" = 'user_suspended' WHERE "action" = 'user_banned'`);
    await q.query(`UPDATE "audit_log" SET "action" = 'user_unsuspended' WHERE "action" = 'user_unbanned'`);
    await q.query(`CREATE INDEX "users_suspended_until_idx" ON "users" ("suspended_until")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "users_suspended_until_idx"`);
    await q.query(`UPDATE "audit_log" SET "action" = 'user_unbanned' WHERE "action" = 'user_unsuspended'`);
    await q.query(`UPDATE "audit_log" SET "action" = 'user_banned' WHERE "action" = 'user_suspended'`);
    await q.query(`
      ALTER TABLE "users"
        DROP COLUMN "suspension_message",
        DROP COLUMN "suspension_reason",
        DROP COLUMN "suspended_until",
        DROP COLUMN "suspended_at"`);
  }
}
