import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the control panel needs: its session store, and indexes for its dashboard.
 *
 * - `panel_sessions` is connect-pg-simple's table (its own layout: the session id, the session as
 *   JSON, its expiry), the one table the panel owns. It is no entity: nothing else reads it.
 * - `users_created_idx` serves sign-ups per day and new accounts today; `sessions_last_used_idx`
 *   serves "active in the last 7 days" as an index-only scan (docs/performance.md).
 */
export class ControlPanel1764288000000 implements MigrationInterface {
  name = 'ControlPanel1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "panel_sessions" (
        "sid" character varying NOT NULL,
        "sess" json NOT NULL,
        "expire" TIMESTAMP(6) WITH TIME ZONE NOT NULL,
        CONSTRAINT "panel_sessions_pkey" PRIMARY KEY ("sid")
      )`);
    await q.query(`CREATE INDEX "panel_sessions_expire_idx" ON "panel_sessions" ("expire")`);
    await q.query(`CREATE INDEX "users_created_idx" ON "users" ("created_at")`);
    await q.query(`CREATE INDEX "sessions_last_used_idx" ON "sessions" ("last_used_at", "user_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "sessions_last_used_idx"`);
    await q.query(`DROP INDEX "users_created_idx"`);
    await q.query(`DROP TABLE "panel_sessions"`);
  }
}
