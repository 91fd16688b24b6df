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

export interface ScratchDatabase {
  readonly name: string;
  readonly url: string;
  /** Refuses new connections and ends the current ones (an outage), or lets them in again. */
  setReachable(reachable: boolean): Promise<void>;
  drop(): Promise<void>;
}

/** A new database on the same server (empty, or migrated), for tests that must not touch the shared one. */
export async function createScratchDatabase(
  prefix: string,
  options: { migrated?: boolean } = {},
): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${name}`;
  if (options.migrated) {
    const dataSource = await createDataSource({ database: { url: url.toString(), poolMax: 1 } }).initialize();
    await migrate(dataSource).finally(() => dataSource.destroy());
  }
  return {
    name,
    url: url.toString(),
    setReachable: async (reachable) => {
      await adminQuery(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS ${reachable}`);
      if (!reachable)
        await adminQuery(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
    },
    drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
