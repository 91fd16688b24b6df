import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Refresh-token sessions, single-use account tokens and the audit log (docs/architecture.md#data-model). */
export class Auth1763942400000 implements MigrationInterface {
  name = 'Auth1763942400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "sessions" (
        "id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "family_id" uuid NOT NULL,
        "token_hash" character(64) NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "family_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "scope" character varying(200) NOT NULL,
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        "replaced_by" uuid,
        "last_used_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "user_agent" character varying(512),
        "ip" character varying(64),
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "sessions_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "sessions_token_hash_key" ON "sessions" ("token_hash")`);
    await q.query(`CREATE INDEX "sessions_family_idx" ON "sessions" ("family_id")`);
    await q.query(`CREATE INDEX "sessions_user_idx" ON "sessions" ("user_id")`);

    await q.query(`CREATE TYPE "account_token_purpose" AS ENUM ('password_reset', 'email_verify', 'email_change')`);
    await q.query(`
      CREATE TABLE "account_tokens" (
        "id" uuid NOT NULL,
        "purpose" "account_token_purpose" NOT NULL,
        "user_id" uuid NOT NULL,
        "token_hash" character(64) NOT NULL,
        "email" character varying(254),
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "used_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "account_tokens_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "account_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "account_tokens_token_hash_key" ON "account_tokens" ("token_hash")`);
    await q.query(`CREATE INDEX "account_tokens_user_idx" ON "account_tokens" ("user_id", "purpose")`);

    await q.query(`
      CREATE TABLE "audit_log" (
        "id" uuid NOT NULL,
        "actor_id" uuid,
        "action" character varying(64) NOT NULL,
        "target_type" character varying(64),
        "target_id" uuid,
        "data" jsonb NOT NULL DEFAULT '{}',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
      )`);
    // Audit entries outlive the accounts they name: no foreign keys, by design.
    await q.query(`CREATE INDEX "audit_log_created_idx" ON "audit_log" ("created_at")`);
    await q.query(`CREATE INDEX "audit_log_target_idx" ON "audit_log" ("target_type", "target_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "audit_log"`);
    await q.query(`DROP TABLE "account_tokens"`);
    await q.query(`DROP TYPE "account_token_purpose"`);
    await q.query(`DROP TABLE "sessions"`);
  }
}
