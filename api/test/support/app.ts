/**
 * Boots the real application on the run's PostgreSQL, listening on a random loopback port,
 * so tests talk plain HTTP to it.
 */
import { randomBytes } from 'node:crypto';
import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.js';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { ensureMigrated, testDatabaseUrl } from './database.js';

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly config: AppConfig;
  /** The app's own connection, for arranging and checking rows directly. */
  readonly db: DataSource;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly close: () => Promise<void>;
}

export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: testDatabaseUrl(),
    DATABASE_POOL_MAX: '4',
    JWT_SECRET: randomBytes(32).toString('hex'),
    SMTP_URL: process.env.TEST_SMTP_URL ?? 'smtp://127.0.0.1:1',
    PUBLIC_URL: 'http://localhost:3000',
    // Each app has its own counters and e-mail queue, though all share the run's database: two
    // replicas of one deployment share them by sharing this name, as the replica tests do.
    DEPLOYMENT_NAME: `test-${randomBytes(4).toString('hex')}`,
    // The read cache answers an anonymous read within milliseconds of a change made elsewhere (its
    // event), not at once: a test that changes something through a service or SQL and reads it
    // back anonymously at once would race it. test/read-cache.spec.ts turns it on.
    READ_CACHE: 'off',
    // Generous limits: the tests that exercise throttling set their own.
    RATE_LIMIT_LOGIN_ACCOUNT: '1000/1m',
    RATE_LIMIT_LOGIN_DEVICE: '1000/1m',
    RATE_LIMIT_LOGIN_IP: '1000/1m',
    RATE_LIMIT_SIGNUP_IP: '1000/1m',
    RATE_LIMIT_PASSWORD_FORGOT: '1000/1m',
    RATE_LIMIT_VERIFY_RESEND: '1000/1m',
    RATE_LIMIT_PASSWORD_CHECK: '1000/1m',
    ...overrides,
  };
}

export async function startTestApp(
  options: { env?: Record<string, string>; extraModules?: Type[]; logStream?: DestinationStream } = {},
): Promise<TestApp> {
  await ensureMigrated();
  const config = loadConfig(testEnv(options.env));
  const app = await createApp(config, {
    ...(options.extraModules ? { extraModules: options.extraModules } : {}),
    ...(options.logStream ? { logStream: options.logStream } : {}),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('the test app is not listening on TCP');
  return {
    app,
    config,
    db: app.get(DataSource),
    url: `http://127.0.0.1:${address.port}`,
    close: () => app.close(),
  };
}

/**
 * The app for one test file: started before its tests, closed after them.
 * `const api = useTestApp(options)` at the top of the file; read it inside tests and hooks.
 */
export function useTestApp(options: Parameters<typeof startTestApp>[0] = {}): TestApp {
  let started: TestApp | undefined;
  beforeAll(async () => {
    started = await startTestApp(options);
  });
  afterAll(() => started?.close());
  return new Proxy({} as TestApp, {
    get(_target, key: keyof TestApp) {
      if (!started) throw new Error('the test app starts in beforeAll: use it inside a test or a later hook');
      return started[key];
    },
  });
}

/** A second app with other settings for one test, closed whatever the test does. */
export async function withTestApp<T>(
  options: Parameters<typeof startTestApp>[0],
  test: (app: TestApp) => Promise<T>,
): Promise<T> {
  const app = await startTestApp(options);
  try {
    return await test(app);
  } finally {
    await app.close();
  }
}
