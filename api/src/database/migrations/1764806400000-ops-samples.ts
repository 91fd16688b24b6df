import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Operations samples: every OPS_SAMPLE_INTERVAL_SECONDS each API replica (and the control panel)
 * writes how much its metrics counters grew since its last row, so the panel can sum an hour or a
 * day across every process of a deployment, and tell which replicas are alive (a row lately).
 * `replica` is a random id per process start. Rows older than 8 days are removed by the writers;
 * the `at` index serves that, the (deployment, at) index the panel's sums.
 */
export class OpsSamples1764806400000 implements MigrationInterface {
  name = 'OpsSamples1764806400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "ops_samples" (
        "id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        "deployment" character varying(40) NOT NULL,
        "replica" uuid NOT NULL,
        "kind" character varying(8) NOT NULL CHECK ("kind" IN ('api', 'panel')),
        "host" character varying(255) NOT NULL,
        "pid" integer NOT NULL,
        "started_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "interval_seconds" integer NOT NULL,
        "sign_in_failures" integer NOT NULL DEFAULT 0 CHECK ("sign_in_failures" >= 0),
        "rate_limit_rejections" integer NOT NULL DEFAULT 0 CHECK ("rate_limit_rejections" >= 0),
        "mail_failures" integer NOT NULL DEFAULT 0 CHECK ("mail_failures" >= 0),
        "requests" integer NOT NULL DEFAULT 0 CHECK ("requests" >= 0),
        "server_errors" integer NOT NULL DEFAULT 0 CHECK ("server_errors" >= 0)
      )`);
    await q.query(`CREATE INDEX "ops_samples_deployment_at_idx" ON "ops_samples" ("deployment", "at")`);
    await q.query(`CREATE INDEX "ops_samples_at_idx" ON "ops_samples" ("at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "ops_samples"`);
  }
}
