import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Moderation that keeps evidence: an operator hides a post instead of deleting it. A hidden post
 * keeps every column; `hidden_at`, `hidden_reason` (shown to its author) and `hidden_by` (the
 * operator's account id, no foreign key, as in the audit log: it outlives the account) say who
 * took it out of public reads and why. The feed's partial indexes leave hidden posts out, as the
 * feed does.
 */
export class PostModeration1764720000000 implements MigrationInterface {
  name = 'PostModeration1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "posts" ADD "hidden_at" TIMESTAMP WITH TIME ZONE, ADD "hidden_reason" character varying(500),
                           ADD "hidden_by" uuid`,
    );
    await q.query(
      `ALTER TABLE "posts" ADD CONSTRAINT "posts_hidden_check" CHECK ((hidden_at IS NULL) = (hidden_reason IS NULL))`,
    );
    await q.query(`DROP INDEX "posts_published_idx"`);
    await q.query(`DROP INDEX "posts_author_published_idx"`);
    await q.query(
      `CREATE INDEX "posts_published_idx" ON "posts" ("published_at", "id") WHERE status = 'published' AND hidden_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX "posts_author_published_idx" ON "posts" ("author_id", "published_at", "id") WHERE status = 'published' AND hidden_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "posts_author_published_idx"`);
    await q.query(`DROP INDEX "posts_published_idx"`);
    await q.query(`CREATE INDEX "posts_published_idx" ON "posts" ("published_at", "id") WHERE status = 'published'`);
    await q.query(
      `CREATE INDEX "posts_author_published_idx" ON "posts" ("author_id", "published_at", "id") WHERE status = 'published'`,
    );
    await q.query(`ALTER TABLE "posts" DROP CONSTRAINT "posts_hidden_check"`);
    await q.query(`ALTER TABLE "posts" DROP COLUMN "hidden_by", DROP COLUMN "hidden_reason", DROP COLUMN "hidden_at"`);
  }
}
