import { type DataSource, type Migration, MigrationExecutor } from 'typeorm';

/** Arbitrary, fixed key of the advisory lock that serialises migration runs. */
const MIGRATION_LOCK = 7_262_031;

/**
 * Applies pending migrations while holding a session-level advisory lock, so that several
 * processes starting at once (API replicas, parallel test workers) migrate exactly once.
 */
export async function migrate(dataSource: DataSource): Promise<Migration[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    // On the lock's own connection: a pool of one must not wait for a second connection.
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    return await executor.executePendingMigrations();
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
