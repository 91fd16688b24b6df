import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/database/data-source.js';
import { migrate } from '../src/database/migrate.js';
import { migrations } from '../src/database/migrations/index.js';
import { createScratchDatabase } from './support/database.js';

async function tables(dataSource: DataSource): Promise<string[]> {
  const rows: { table_name: string }[] = await dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

describe('migrations', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let dataSource: DataSource;
  beforeAll(async () => {
    scratch = await createScratchDatabase('migrations');
    dataSource = await createDataSource({ database: { url: scratch.url, poolMax: 2 } }).initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await scratch.drop();
  });

  it('go up, all the way down, and up again', async () => {
    const applied = await migrate(dataSource);
    expect(applied.map((m) => m.name)).toEqual(migrations.map((m) => m.name));
    expect(await tables(dataSource)).toEqual(expect.arrayContaining(['migrations', 'posts', 'users']));

    for (let i = 0; i < migrations.length; i++) await dataSource.undoLastMigration();
    expect(await tables(dataSource)).toEqual(['migrations']);

    expect((await migrate(dataSource)).length).toBe(migrations.length);
    expect(await migrate(dataSource)).toEqual([]);
  });

  it('leave the schema exactly as the entities describe it (no drift)', async () => {
    await migrate(dataSource);
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('make e-mail unique case-insensitively', async () => {
    await migrate(dataSource);
    const insert = (id: string, email: string) =>
      dataSource.query(`INSERT INTO users (id, email, display_name, password_hash) VALUES ($1, $2, 'x', 'x')`, [
        id,
        email,
      ]);
    await insert('01900000-0000-7000-8000-000000000001', 'Ada@Example.com');
    await expect(insert('01900000-0000-7000-8000-000000000002', 'ada@example.COM')).rejects.toThrow(
      /users_email_lower_key/,
    );
  });
});
