import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Second factors and proof of presence:
 * - `totp_factors`: one authenticator app per account (RFC 6238). A row whose `confirmed_at` is
 *   null is an enrolment begun and not yet confirmed with a code; it protects nothing.
 *   `last_step` is the newest time step accepted, so a code is never accepted twice.
 * - `recovery_codes`: single-use codes, stored only as SHA-256 hashes.
 * - `mfa_tickets`: the short-lived, single-use ticket a right password earns when the account has
 *   a second factor; the second step spends it. Stored hashed, with the failed tries counted.
 * - `passkeys`: WebAuthn credentials (public key, signature counter, transports, a name).
 * - `webauthn_challenges`: challenges handed out for passkey registration, sign-in and step-up,
 *   kept in the database so any replica can check the answer; single-use, short-lived.
 * - `sessions.proven_at`: when the session's owner last proved presence (a step-up);
 *   sensitive changes need it to be recent.
 */
export class SecondFactors1765065600000 implements MigrationInterface {
  name = 'SecondFactors1765065600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "totp_factors" (
        "id" uuid PRIMARY KEY,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "user_id" uuid NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
        "secret" character varying(64) NOT NULL,
        "confirmed_at" timestamptz,
        "last_step" bigint)`);
    await q.query(`CREATE UNIQUE INDEX "totp_factors_user_key" ON "totp_factors" ("user_id")`);
    await q.query(`
      CREATE TABLE "recovery_codes" (
        "id" uuid PRIMARY KEY,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "user_id" uuid NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
        "code_hash" character(64) NOT NULL,
        "used_at" timestamptz)`);
    await q.query(`CREATE UNIQUE INDEX "recovery_codes_user_hash_key" ON "recovery_codes" ("user_id", "code_hash")`);
    await q.query(`
      CREATE TABLE "mfa_tickets" (
        "id" uuid PRIMARY KEY,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "user_id" uuid NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
        "token_hash" character(64) NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "used_at" timestamptz,
        "failures" integer NOT NULL DEFAULT 0)`);
    await q.query(`CREATE UNIQUE INDEX "mfa_tickets_token_hash_key" ON "mfa_tickets" ("token_hash")`);
    await q.query(`CREATE INDEX "mfa_tickets_expires_idx" ON "mfa_tickets" ("expires_at")`);
    await q.query(`CREATE INDEX "mfa_tickets_user_idx" ON "mfa_tickets" ("user_id")`);
    await q.query(`
      CREATE TABLE "passkeys" (
        "id" uuid PRIMARY KEY,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "user_id" uuid NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
        "credential_id" character varying(1024) NOT NULL,
        "public_key" bytea NOT NULL,
        "counter" bigint NOT NULL DEFAULT 0,
        "transports" character varying(200),
        "name" character varying(80) NOT NULL,
        "device_type" character varying(32),
        "backed_up" boolean NOT NULL DEFAULT false,
        "last_used_at" timestamptz)`);
    await q.query(`CREATE UNIQUE INDEX "passkeys_credential_id_key" ON "passkeys" ("credential_id")`);
    await q.query(`CREATE INDEX "passkeys_user_idx" ON "passkeys" ("user_id")`);
    await q.query(`
      CREATE TABLE "webauthn_challenges" (
        "id" uuid PRIMARY KEY,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "user_id" uuid REFERENCES "users" ("id") ON DELETE CASCADE,
        "purpose" character varying(16) NOT NULL,
        "challenge" character varying(128) NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "used_at" timestamptz
      )`);
    await q.query(`CREATE INDEX "webauthn_challenges_expires_idx" ON "webauthn_challenges" ("expires_at")`);
    await q.query(`ALTER TABLE "sessions" ADD COLUMN "proven_at" timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "sessions" DROP COLUMN "proven_at"`);
    await q.query(`DROP TABLE "webauthn_challenges"`);
    await q.query(`DROP TABLE "passkeys"`);
    await q.query(`DROP TABLE "mfa_tickets"`);
    await q.query(`DROP TABLE "recovery_codes"`);
    await q.query(`DROP TABLE "totp_factors"`);
  }
}
