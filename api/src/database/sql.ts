/**
 * Raw SQL straight on the data source's own connection pool, for the statements that are SQL by
 * design (the feed, one post, the session check, profiles) and run on every hot read. TypeORM's
 * `DataSource.query` builds a QueryRunner with its broadcaster and several promises per statement;
 * under load that garbage outlives the young generation and made about a quarter of the feed's CPU
 * (docs/performance.md). Same pool, same connection and statement timeouts; a failure is wrapped
 * in TypeORM's QueryFailedError exactly as `DataSource.query` wraps it, so callers, the problem
 * filter and the 503 mapping see no difference. Anything inside a transaction keeps using the
 * transaction's EntityManager.
 *
 * Each statement runs as a named prepared statement: PostgreSQL parses and plans it once per
 * connection rather than on every request. Planning the one-post join cost PostgreSQL more than
 * running it (about 150 µs of its CPU per request; see docs/performance.md). The texts are fixed
 * strings in the repositories (the feed has a few shapes), so the set of names stays small; the cap
 * only guards against a caller that would build texts from data.
 */
import type { Pool } from 'pg';
import { type DataSource, QueryFailedError } from 'typeorm';

function poolOf(dataSource: DataSource): Pool {
  const pool = (dataSource.driver as unknown as { master?: Pool }).master;
  if (!pool) throw new Error('raw SQL needs an initialised PostgreSQL data source');
  return pool;
}

const statementNames = new Map<string, string>();
const MAX_NAMED_STATEMENTS = 100;

/** The prepared statement's name for a text, or undefined (run unnamed) past the cap. */
function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `nuell_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}

/** The rows of one parameterised statement. */
export async function queryRows<T>(
  dataSource: DataSource,
  text: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  try {
    const result = await poolOf(dataSource).query({ name: statementName(text), text, values: params as unknown[] });
    return result.rows as T[];
  } catch (error) {
    throw new QueryFailedError(text, params as unknown[], error as Error);
  }
}
