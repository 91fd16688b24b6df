import { DataSource, type DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { entities } from './entities.js';
import { migrations } from './migrations/index.js';

/**
 * The one description of how we talk to PostgreSQL: the app, the CLI and the tests share it. It
 * knows the entities (the data model) and the migrations, and nothing of what features do.
 */
export function dataSourceOptions(config: {
  database: Pick<AppConfig['database'], 'url' | 'poolMax'>;
}): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.database.url,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    extra: { max: config.database.poolMax, connectionTimeoutMillis: 5_000 },
  };
}

/**
 * The API's own connections also bound what a request can wait for: a pooled connection
 * (DATABASE_POOL_TIMEOUT_MS) and one statement (DATABASE_STATEMENT_TIMEOUT_MS); past either the
 * client gets a 503. Migrations and the CLI run without these bounds.
 */
export function servingDataSourceOptions(config: Pick<AppConfig, 'database'>): DataSourceOptions {
  const options = dataSourceOptions(config);
  return {
    ...options,
    extra: {
      ...(options.extra as object),
      connectionTimeoutMillis: config.database.poolTimeoutMs,
      statement_timeout: config.database.statementTimeoutMs,
    },
  };
}

export function createDataSource(config: { database: Pick<AppConfig['database'], 'url' | 'poolMax'> }): DataSource {
  return new DataSource(dataSourceOptions(config));
}
