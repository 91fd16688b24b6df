/**
 * The counts behind the control panel's dashboard: per UTC day (a row at 23:59:59.999 belongs to
 * its day, one at midnight to the next), and totals that turn into PostgreSQL's estimate once a
 * table is large, so the dashboard never reads a whole big table.
 */
import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/database/data-source.js';
import { migrate } from '../src/database/migrate.js';
import { EXACT_COUNT_LIMIT } from '../src/database/table-counts.js';
import { UsersRepository } from '../src/users/users.repository.js';
import { createScratchDatabase } from './support/database.js';

describe('dashboard counts', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let dataSource: DataSource;
  beforeAll(async () => {
    scratch = await createScratchDatabase('counts');
    dataSource = await createDataSource({ database: { url: scratch.url, poolMax: 2 } }).initialize();
    await migrate(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await scratch.drop();
  });

  const addUsers = (count: number, createdAt: string) =>
    dataSource.query(
      `INSERT INTO users (id, email, display_name, password_hash, created_at)
       SELECT gen_random_uuid(), md5(random()::text) || '@example.test', 'x', 'x', $2::timestamptz
         FROM generate_series(1, $1)`,
      [count, createdAt],
    );

  it('counts sign-ups per UTC day, every day of the window, empty ones as 0', async () => {
    await addUsers(2, '2026-03-01T23:59:59.999Z');
    await addUsers(3, '2026-03-02T00:00:00.000Z');
    const days = await new UsersRepository(dataSource).signUpsPerDay(new Date('2026-02-28T00:00:00Z'), 4);
    expect(days).toEqual([
      { day: '2026-02-28', count: 0 },
      { day: '2026-03-01', count: 2 },
      { day: '2026-03-02', count: 3 },
      { day: '2026-03-03', count: 0 },
    ]);
  });

  it('counts a small table exactly and estimates a large one', async () => {
    const users = new UsersRepository(dataSource);
    const small = await users.count();
    expect(small).toEqual({ count: 5, exact: true });

    await addUsers(EXACT_COUNT_LIMIT, '2026-01-01T00:00:00Z');
    await dataSource.query('ANALYZE users');
    const large = await users.count();
    expect(large.exact).toBe(false);
    expect(Math.abs(large.count - (EXACT_COUNT_LIMIT + 5)) / EXACT_COUNT_LIMIT).toBeLessThan(0.05);
  }, 60_000);
});
