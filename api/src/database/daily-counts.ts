import type { DataSource } from 'typeorm';

/** How many rows a table gained on one UTC day (`YYYY-MM-DD`). */
export interface DailyCount {
  readonly day: string;
  readonly count: number;
}

/**
 * Rows created per UTC day since `since`, for the tables whose `created_at` is indexed (users,
 * posts): a range scan of that index, grouped, so it stays cheap however large the table grows.
 * Shared by those tables' repositories; the table name is one of ours, never input.
 */
export async function dailyCounts(
  dataSource: DataSource,
  table: 'users' | 'posts',
  since: Date,
): Promise<DailyCount[]> {
  const rows = await dataSource.query<{ day: string; count: string }[]>(
    `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*) AS count
       FROM ${table} WHERE created_at >= $1 GROUP BY 1 ORDER BY 1`,
    [since],
  );
  return rows.map((row) => ({ day: row.day, count: Number(row.count) }));
}
