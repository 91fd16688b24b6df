import type { DataSource } from 'typeorm';

/** The tables whose rows the control panel's dashboard counts; never input. */
export type CountedTable = 'users' | 'posts';

/** How many rows a table gained on one UTC day (`YYYY-MM-DD`). */
export interface DailyCount {
  readonly day: string;
  readonly count: number;
}

/** A row count, exact or PostgreSQL's estimate. */
export interface Tally {
  readonly count: number;
  readonly exact: boolean;
}

/** Above this many rows a table's total is PostgreSQL's estimate: counting exactly reads them all. */
export const EXACT_COUNT_LIMIT = 100_000;
const DAY_MS = 86_400_000;

/**
 * Rows created on each of `days` UTC days from `firstDay` (a UTC midnight), oldest first: one
 * index-only range count of `created_at` per day, so the cost follows the rows of those days and
 * needs no sort. Shared by the repositories of the tables it counts.
 */
export async function countPerDay(
  dataSource: DataSource,
  table: CountedTable,
  firstDay: Date,
  days: number,
): Promise<DailyCount[]> {
  const rows = await dataSource.query<{ count: string }[]>(
    `SELECT (SELECT count(*) FROM ${table} t WHERE t.created_at >= s.day AND t.created_at < s.day + interval '24 hours') AS count
       FROM generate_series(0, $2::int - 1) AS i
            CROSS JOIN LATERAL (SELECT $1::timestamptz + i * interval '24 hours') AS s(day)
      ORDER BY i`,
    [firstDay, days],
  );
  return rows.map((row, i) => ({
    day: new Date(firstDay.getTime() + i * DAY_MS).toISOString().slice(0, 10),
    count: Number(row.count),
  }));
}

/**
 * The table's row count: exact while the table is small, else the planner's estimate (kept
 * current by autovacuum's ANALYZE), which costs nothing however large the table grows.
 */
export async function countRows(dataSource: DataSource, table: CountedTable): Promise<Tally> {
  const [estimate] = await dataSource.query<{ n: string }[]>(
    'SELECT reltuples::bigint AS n FROM pg_class WHERE oid = $1::regclass',
    [table],
  );
  const estimated = Number(estimate?.n ?? -1);
  if (estimated >= EXACT_COUNT_LIMIT) return { count: estimated, exact: false };
  const [row] = await dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM ${table}`);
  return { count: Number(row?.n ?? 0), exact: true };
}
