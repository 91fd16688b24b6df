import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Posts remember which version of the content engine rendered them, so `npm run posts:rerender`
 * can find and refresh the ones an older version rendered. Existing rows count as version 0.
 */
export class PostsRendererVersion1764028800000 implements MigrationInterface {
  name = 'PostsRendererVersion1764028800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "posts" ADD "renderer_version" integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "posts" DROP COLUMN "renderer_version"`);
  }
}
