import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `personal_access_tokens`: tokens users mint for their scripts (api/src/tokens/). Only the
 * SHA-256 of a token is stored (`token_hash`, looked up on every request that sends one); `prefix`
 * and `last4` are what the list shows of it. `scopes` is space-separated, as OAuth writes them.
 * `expires_at` null: never expires. Revoked tokens keep their row (revoked_at) for the record.
 */
export class PersonalAccessTokens1765152000000 implements MigrationInterface {
  name = 'PersonalAccessTokens1765152000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "personal_access_tokens" (
        "id" uuid PRIMARY KEY,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "user_id" uuid NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
        "name" character varying(100) NOT NULL,
        "scopes" text NOT NULL,
        "token_hash" character(64) NOT NULL,
        "prefix" character varying(16) NOT NULL,
        "last4" character(4) NOT NULL,
        "expires_at" timestamptz,
        "last_used_at" timestamptz,
        "revoked_at" timestamptz)`);
    await q.query(
      `CREATE UNIQUE INDEX "personal_access_tokens_token_hash_key" ON "personal_access_tokens" ("token_hash")`,
    );
    await q.query(
      `CREATE INDEX "personal_access_tokens_user_idx" ON "personal_access_tokens" ("user_id", "created_at")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "personal_access_tokens"`);
  }
}
