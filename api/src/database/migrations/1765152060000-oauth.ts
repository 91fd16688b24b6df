import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The OAuth 2.0 authorization server and OpenID Provider (api/src/oauth/):
 * - `oauth_clients`: registered apps; `client_id` is public, the secret kept as SHA-256;
 *   `owner_id` null when an operator registered the app.
 * - `oauth_codes`: authorization codes, single-use and short-lived, stored as SHA-256, bound to
 *   client, redirect URI, PKCE challenge, scopes and nonce; `family_id` is the session a code
 *   started, so a replayed code can revoke it.
 * - `oauth_grants`: a user's consent to an app (the "connected apps").
 * - `signing_keys`: the ES256 keys that sign ID tokens, published at the JWKS endpoint.
 * - `sessions.client_id`: the app a refresh-token family belongs to; null for first-party sessions.
 */
export class OAuth1765152060000 implements MigrationInterface {
  name = 'OAuth1765152060000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "oauth_clients" (
        "id" uuid PRIMARY KEY,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "client_id" character varying(64) NOT NULL,
        "name" character varying(80) NOT NULL,
        "owner_id" uuid CONSTRAINT "oauth_clients_owner_id_fkey" REFERENCES "users" ("id") ON DELETE CASCADE,
        "type" character varying(16) NOT NULL,
        "secret_hash" character(64),
        "redirect_uris" text[] NOT NULL,
        "scopes" text[] NOT NULL,
        "suspended_at" timestamptz)`);
    await q.query(`CREATE UNIQUE INDEX "oauth_clients_client_id_key" ON "oauth_clients" ("client_id")`);
    await q.query(`CREATE INDEX "oauth_clients_owner_idx" ON "oauth_clients" ("owner_id")`);
    await q.query(`
      CREATE TABLE "oauth_codes" (
        "id" uuid PRIMARY KEY,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "code_hash" character(64) NOT NULL,
        "client_id" uuid NOT NULL CONSTRAINT "oauth_codes_client_id_fkey" REFERENCES "oauth_clients" ("id") ON DELETE CASCADE,
        "user_id" uuid NOT NULL CONSTRAINT "oauth_codes_user_id_fkey" REFERENCES "users" ("id") ON DELETE CASCADE,
        "redirect_uri" text NOT NULL,
        "code_challenge" character varying(128) NOT NULL,
        "scope" text NOT NULL,
        "nonce" character varying(512),
        "auth_time" timestamptz NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "used_at" timestamptz,
        "family_id" uuid)`);
    await q.query(`CREATE UNIQUE INDEX "oauth_codes_code_hash_key" ON "oauth_codes" ("code_hash")`);
    await q.query(`CREATE INDEX "oauth_codes_expires_idx" ON "oauth_codes" ("expires_at")`);
    await q.query(`
      CREATE TABLE "oauth_grants" (
        "id" uuid PRIMARY KEY,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "user_id" uuid NOT NULL CONSTRAINT "oauth_grants_user_id_fkey" REFERENCES "users" ("id") ON DELETE CASCADE,
        "client_id" uuid NOT NULL CONSTRAINT "oauth_grants_client_id_fkey" REFERENCES "oauth_clients" ("id") ON DELETE CASCADE,
        "scopes" text[] NOT NULL)`);
    await q.query(`CREATE UNIQUE INDEX "oauth_grants_user_client_key" ON "oauth_grants" ("user_id", "client_id")`);
    await q.query(`CREATE INDEX "oauth_grants_client_idx" ON "oauth_grants" ("client_id")`);
    await q.query(`
      CREATE TABLE "signing_keys" (
        "id" uuid PRIMARY KEY,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "kid" character varying(64) NOT NULL,
        "alg" character varying(16) NOT NULL,
        "private_jwk" jsonb NOT NULL,
        "public_jwk" jsonb NOT NULL,
        "signs_until" timestamptz NOT NULL,
        "retire_after" timestamptz NOT NULL)`);
    await q.query(`CREATE UNIQUE INDEX "signing_keys_kid_key" ON "signing_keys" ("kid")`);
    await q.query(`
      ALTER TABLE "sessions" ADD "client_id" uuid
        CONSTRAINT "sessions_client_id_fkey" REFERENCES "oauth_clients" ("id") ON DELETE CASCADE`);
    await q.query(`CREATE INDEX "sessions_client_idx" ON "sessions" ("client_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "sessions" DROP COLUMN "client_id"`);
    await q.query(`DROP TABLE "signing_keys"`);
    await q.query(`DROP TABLE "oauth_grants"`);
    await q.query(`DROP TABLE "oauth_codes"`);
    await q.query(`DROP TABLE "oauth_clients"`);
  }
}
