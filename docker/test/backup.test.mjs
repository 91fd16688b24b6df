/**
 * scripts/db-backup.sh against the run's embedded PostgreSQL 17, with PostgreSQL 17's own
 * pg_dump and pg_restore (scripts/lib/tools.mjs): a backup taken, the data changed and a table
 * dropped, the backup restored, and everything as it was; and the ways it refuses.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { execWithDeadline as exec } from '../../scripts/lib/bounded-process.mjs';
import { ROOT } from '../../scripts/lib/dev-env.mjs';
import { postgresClientBin } from '../../scripts/lib/tools.mjs';

const SCRIPT = join(ROOT, 'scripts', 'db-backup.sh');
const DATABASE = 'nuell_backup';

let dir;
let url;
let pgBin;

function urlFor(database) {
  const u = new URL(process.env.TEST_DATABASE_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

async function query(sql, params = [], database = DATABASE) {
  const client = new pg.Client({ connectionString: urlFor(database) });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Runs the script; resolves with its exit code and output. */
async function script(args, env = {}) {
  try {
    const { stdout, stderr } = await exec('sh', [SCRIPT, ...args], {
      env: { ...process.env, PG_BIN: pgBin, DATABASE_URL: url, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}

before(async () => {
  pgBin = await postgresClientBin();
  dir = await mkdtemp(join(tmpdir(), 'nuell-backup-'));
  url = urlFor(DATABASE);
  await query(`DROP DATABASE IF EXISTS ${DATABASE}`, [], 'postgres');
  await query(`CREATE DATABASE ${DATABASE}`, [], 'postgres');
  // The application's schema, as production has it.
  await exec(process.execPath, [join(ROOT, 'api/dist/cli/main.js'), 'migrate'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: url,
      JWT_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'warn',
    },
  });
  await query(
    `INSERT INTO users (id, email, display_name, password_hash, role, is_active, created_at, updated_at)
     VALUES (gen_random_uuid(), 'kept@example.test', 'Kept', 'not-a-real-hash', 'user', true, now(), now())`,
  );
});

after(async () => {
  await query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`, [], 'postgres');
  await rm(dir, { recursive: true, force: true });
});

describe('scripts/db-backup.sh', () => {
  let archive;

  test('backs up to a complete archive only the owner can read', async () => {
    const result = await script(['backup'], { BACKUP_DIR: dir });
    assert.equal(result.code, 0, result.stderr);
    const files = await readdir(dir);
    assert.equal(files.length, 1);
    assert.match(files[0], /^nuell-\d{8}T\d{6}Z\.dump$/);
    archive = join(dir, files[0]);
    assert.equal((await stat(archive)).mode & 0o777, 0o600);
    assert.match(result.stdout, /backup written to/);
  });

  test('restores the database as it was backed up, whatever happened since', async () => {
    await query(`UPDATE users SET display_name = 'Changed' WHERE email = 'kept@example.test'`);
    await query(`INSERT INTO users (id, email, display_name, password_hash, role, is_active, created_at, updated_at)
                 VALUES (gen_random_uuid(), 'later@example.test', 'Later', 'x', 'user', true, now(), now())`);
    await query('DROP TABLE posts');
    await query('CREATE TABLE added_since (id int)');

    const result = await script(['restore', archive]);
    assert.equal(result.code, 0, result.stderr);

    const users = await query('SELECT email, display_name FROM users ORDER BY email');
    assert.deepEqual(users, [{ email: 'kept@example.test', display_name: 'Kept' }]);
    const tables = (await query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)).map((r) => r.tablename);
    assert.ok(tables.includes('posts'), 'the dropped table is back');
    assert.ok(!tables.includes('added_since'), 'nothing created since survives');
    const migrations = await query('SELECT count(*)::int AS n FROM migrations');
    assert.ok(migrations[0].n > 0, 'the migration history came back with the schema');
  });

  test('refuses to restore while something is connected, and changes nothing', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const result = await script(['restore', archive]);
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /being accessed by other users/);
    } finally {
      await client.end();
    }
    assert.equal((await query('SELECT count(*)::int AS n FROM users'))[0].n, 1);
  });

  test('refuses to restore an archive into a database of another name', async () => {
    const result = await script(['restore', archive], { DATABASE_URL: urlFor('nuell_other') });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /holds database "nuell_backup", but DATABASE_URL names "nuell_other"/);
  });

  test('a failed backup leaves no file behind', async () => {
    const target = join(dir, 'failed.dump');
    const result = await script(['backup', target], { DATABASE_URL: urlFor('no_such_database') });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /no_such_database/);
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.startsWith('failed')),
      [],
    );
  });
});
