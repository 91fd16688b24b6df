import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What an account did, newest first (the panel's user page, the audit log filtered by actor):
 * without an index on the actor, PostgreSQL walks the whole log backwards for an account that
 * rarely acts. What was done to an account already has `audit_log_target_idx`.
 */
export class AuditActorIndex1764979200000 implements MigrationInterface {
  name = 'AuditActorIndex1764979200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "audit_log_actor_idx" ON "audit_log" ("actor_id", "created_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "audit_log_actor_idx"`);
  }
}
