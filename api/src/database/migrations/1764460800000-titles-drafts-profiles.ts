import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Posts get a title, a short id for readable links, and a status, so that drafts can live on the
 * server; authors get a short bio and a link.
 *
 * - Every existing post was public, so it becomes `published`, first published when it was
 *   written, with no title.
 * - `short_id` is drawn by the database (`posts_short_id()`, the column's default) so that the old
 *   rows get theirs in this migration and new rows by the same rule. Short ids name public pages
 *   that are no secret (drafts are guarded by their author's sign-in), so `random()` is enough.
 * - The feed now orders by `published_at` and reads published posts only: partial indexes on
 *   exactly that replace the `created_at` order for readers. `(created_at, id)` stays for the
 *   dashboard's counts, under a name that says so; the author's own list, most recently updated
 *   first, takes over the per-author index.
 * - New rows are drafts unless the writer says otherwise, and a published post always has its
 *   publication time (a check constraint).
 */
export class TitlesDraftsProfiles1764460800000 implements MigrationInterface {
  name = 'TitlesDraftsProfiles1764460800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE "post_status" AS ENUM ('draft', 'published')`);
    await q.query(`
      CREATE FUNCTION "posts_short_id"() RETURNS text LANGUAGE sql VOLATILE AS $$
        SELECT string_agg(substr('0123456789abcdefghijklmnopqrstuvwxyz', 1 + floor(random() * 36)::int, 1), '')
          FROM generate_series(1, 10)
      $$`);
    await q.query(`
      ALTER TABLE "posts"
        ADD "title" character varying(120),
        ADD "status" "post_status" NOT NULL DEFAULT 'published',
        ADD "published_at" TIMESTAMP WITH TIME ZONE,
        ADD "short_id" text NOT NULL DEFAULT posts_short_id()`);
    await q.query(`UPDATE "posts" SET "published_at" = "created_at"`);
    // Ten characters of 36 collide rarely, but a table of millions may hold a pair: draw again.
    for (;;) {
      const { affected } = await q.query(
        `UPDATE "posts" SET "short_id" = DEFAULT
          WHERE "id" IN (SELECT "id" FROM (SELECT "id", row_number() OVER (PARTITION BY "short_id" ORDER BY "id") AS n
                                             FROM "posts") AS drawn WHERE n > 1)`,
        [],
        true,
      );
      if (!affected) break;
    }
    await q.query(`ALTER TABLE "posts" ALTER COLUMN "status" SET DEFAULT 'draft'`);
    await q.query(
      `ALTER TABLE "posts" ADD CONSTRAINT "posts_published_at_check" CHECK (status = 'draft' OR published_at IS NOT NULL)`,
    );
    await q.query(`CREATE UNIQUE INDEX "posts_short_id_key" ON "posts" ("short_id")`);
    await q.query(`CREATE INDEX "posts_published_idx" ON "posts" ("published_at", "id") WHERE status = 'published'`);
    await q.query(
      `CREATE INDEX "posts_author_published_idx" ON "posts" ("author_id", "published_at", "id") WHERE status = 'published'`,
    );
    await q.query(`DROP INDEX "posts_author_feed_idx"`);
    await q.query(`CREATE INDEX "posts_author_updated_idx" ON "posts" ("author_id", "updated_at", "id")`);
    await q.query(`ALTER INDEX "posts_feed_idx" RENAME TO "posts_created_idx"`);
    await q.query(`ALTER TABLE "users" ADD "bio" character varying(280), ADD "link" character varying(200)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "users" DROP COLUMN "link", DROP COLUMN "bio"`);
    await q.query(`ALTER INDEX "posts_created_idx" RENAME TO "posts_feed_idx"`);
    await q.query(`DROP INDEX "posts_author_updated_idx"`);
    await q.query(`CREATE INDEX "posts_author_feed_idx" ON "posts" ("author_id", "created_at", "id")`);
    // Drafts were never public: going back to a table where every post is, they go.
    await q.query(`DELETE FROM "posts" WHERE "status" = 'draft'`);
    await q.query(`
      ALTER TABLE "posts"
        DROP CONSTRAINT "posts_published_at_check",
        DROP COLUMN "short_id",
        DROP COLUMN "published_at",
        DROP COLUMN "status",
        DROP COLUMN "title"`);
    await q.query(`DROP FUNCTION "posts_short_id"()`);
    await q.query(`DROP TYPE "post_status"`);
  }
}
