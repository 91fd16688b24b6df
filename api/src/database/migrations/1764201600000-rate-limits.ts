import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate-limit counters, shared by every API replica and the control panel, in the layout
 * rate-limiter-flexible's PostgreSQL store reads and writes (`expire` in epoch milliseconds).
 * UNLOGGED: counters need no crash safety, so they cost no WAL; after a database crash they start
 * from zero. The index serves the periodic removal of expired counters.
 */
export class RateLimits1764201600000 implements MigrationInterface {
  name = 'RateLimits1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE UNLOGGED TABLE "rate_limits" ("key" varchar(255) PRIMARY KEY, "points" integer NOT NULL DEFAULT 0, "expire" bigint)`,
    );
    await q.query(`CREATE INDEX "rate_limits_expire_idx" ON "rate_limits" ("expire")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "rate_limits"`);
  }
}
