import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Operators find posts by what they say: the panel's "Words" filter matches every word of the
 * query anywhere in the Markdown, case-insensitively (`content ILIKE '%word%'` per word). A
 * trigram index (pg_trgm, a trusted extension that a database owner may create) answers those
 * filters without reading every post, and matches inside words and in scripts without spaces
 * (Japanese), which a full-text index with the `simple` configuration would not.
 */
export class PostsContentSearch1764892800000 implements MigrationInterface {
  name = 'PostsContentSearch1764892800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE INDEX "posts_content_trgm_idx" ON "posts" USING gin ("content" gin_trgm_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "posts_content_trgm_idx"`);
  }
}
