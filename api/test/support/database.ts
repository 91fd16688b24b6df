import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDataSource } from '../../src/database/data-source.js';
import { migrate } from '../../src/database/migrate.js';

/** The run's PostgreSQL (started by global-setup.mjs). */
export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is unset: run the tests through jest (global-setup.mjs)');
  return url;
}

let migrated: Promise<void> | undefined;

/** Migrates the shared test database once per worker (and once overall, thanks to the lock). */
export function ensureMigrated(): Promise<void> {
  migrated ??= (async () => {
    const dataSource = await createDataSource({ database: { url: testDatabaseUrl(), poolMax: 1 } }).initialize();
    try {
      await migrate(dataSource);
    } finally {
      await dataSource.destroy();
    }
  })();
  return migrated;
}

/** Runs SQL as the superuser on the server's maintenance database (create/drop databases). */
export async function adminQuery(sql: string): Promise<void> {
  const url = new URL(testDatabaseUrl());
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new empty database on the same server, for tests that must not touch the shared one. */
export async function createScratchDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
