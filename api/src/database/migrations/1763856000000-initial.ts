import type { MigrationInterface, QueryRunner } from 'typeorm';

/** users and posts (docs/architecture.md#data-model). Hand-written and reviewed: migrations are the schema. */
export class Initial1763856000000 implements MigrationInterface {
  name = 'Initial1763856000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE "user_role" AS ENUM ('user', 'admin')`);
    await q.query(`
      CREATE TABLE "users" (
        "id" uuid NOT NULL,
        "email" character varying(254) NOT NULL,
        "display_name" character varying(80) NOT NULL,
        "password_hash" text NOT NULL,
        "role" "user_role" NOT NULL DEFAULT 'user',
        "is_active" boolean NOT NULL DEFAULT true,
        "email_verified_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "users_pkey" PRIMARY KEY ("id")
      )`);
    // Case-insensitive uniqueness without the citext extension: look-ups use lower(email) too.
    await q.query(`CREATE UNIQUE INDEX "users_email_lower_key" ON "users" (lower("email"))`);
    await q.query(`
      CREATE TABLE "posts" (
        "id" uuid NOT NULL,
        "author_id" uuid NOT NULL,
        "content" text NOT NULL,
        "content_html" text NOT NULL,
        "excerpt" text NOT NULL,
        "word_count" integer NOT NULL,
        "reading_time_minutes" integer NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "posts_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "posts_content_length_check" CHECK (char_length(content) <= 100000),
        CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`);
    // The feed (newest first) and the per-author feed are index scans, read backwards.
    await q.query(`CREATE INDEX "posts_feed_idx" ON "posts" ("created_at", "id")`);
    await q.query(`CREATE INDEX "posts_author_feed_idx" ON "posts" ("author_id", "created_at", "id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "posts"`);
    await q.query(`DROP TABLE "users"`);
    await q.query(`DROP TYPE "user_role"`);
  }
}
