import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Posts carry a version, raised by every change of their content, which the API sends as the
 * post's ETag: editors send it back in If-Match, so two racing edits cannot overwrite each other.
 */
export class PostsVersion1764115200000 implements MigrationInterface {
  name = 'PostsVersion1764115200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "posts" ADD "version" integer NOT NULL DEFAULT 1`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "posts" DROP COLUMN "version"`);
  }
}
