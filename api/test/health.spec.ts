import pg from 'pg';
import { pollUntil } from '../../scripts/lib/poll.mjs';
import { createScratchDatabase, testDatabaseUrl } from './support/database.js';
import { startTestApp, useTestApp, withTestApp } from './support/app.js';

describe('health probes', () => {
  const api = useTestApp();

  it('answers liveness outside API versioning', async () => {
    const res = await fetch(`${api.url}/api/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers readiness while the database is reachable', async () => {
    const res = await fetch(`${api.url}/api/health/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('is not served under a version prefix', async () => {
    expect((await fetch(`${api.url}/api/v1/health/live`)).status).toBe(404);
  });
});

describe('readiness when the database goes away', () => {
  it('answers 503 problem+json, and liveness stays 200', async () => {
    const scratch = await createScratchDatabase('ready');
    const api = await startTestApp({ env: { DATABASE_URL: scratch.url } });
    try {
      expect((await fetch(`${api.url}/api/health/ready`)).status).toBe(200);
      await scratch.drop(); // terminates the app's connections and removes the database

      const res = await fetch(`${api.url}/api/health/ready`);
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.json()).toMatchObject({
        type: 'about:blank',
        title: 'Service Unavailable',
        status: 503,
        detail: 'The database is not reachable.',
        instance: '/api/health/ready',
      });
      expect((await fetch(`${api.url}/api/health/live`)).status).toBe(200);
    } finally {
      await api.close().catch(() => undefined);
      await scratch.drop();
    }
  });
});

describe('an outage of the database', () => {
  it('answers 503 with Retry-After instead of hanging or failing, and recovers by itself', async () => {
    const scratch = await createScratchDatabase('outage', { migrated: true });
    try {
      await withTestApp({ env: { DATABASE_URL: scratch.url, DATABASE_POOL_TIMEOUT_MS: '1000' } }, async (api) => {
        expect((await fetch(`${api.url}/api/v1/posts`)).status).toBe(200);

        await scratch.setReachable(false);
        expect((await fetch(`${api.url}/api/health/ready`)).status).toBe(503);
        for (const path of ['/api/v1/posts', '/api/v1/posts?limit=5']) {
          const res = await fetch(`${api.url}${path}`);
          expect(res.status).toBe(503);
          expect(res.headers.get('retry-after')).toBe('5');
          expect(await res.json()).toMatchObject({
            status: 503,
            detail: 'The service is briefly unavailable; try again in a few seconds.',
          });
        }
        expect((await fetch(`${api.url}/api/health/live`)).status).toBe(200);

        await scratch.setReachable(true);
        await pollUntil('readiness recovers', async () => (await fetch(`${api.url}/api/health/ready`)).status === 200, {
          intervalMs: 200,
        });
        expect((await fetch(`${api.url}/api/v1/posts`)).status).toBe(200);
      });
    } finally {
      await scratch.drop();
    }
  });

  it('answers 503 when every pooled connection stays busy past DATABASE_POOL_TIMEOUT_MS', async () => {
    await withTestApp({ env: { DATABASE_POOL_MAX: '1', DATABASE_POOL_TIMEOUT_MS: '300' } }, async (api) => {
      // The pool's one connection sleeps until the test ends it, whatever the machine's speed.
      const marker = `pool-timeout-${Date.now()}`;
      const busy = api.db.query(`SELECT pg_sleep(60) /* ${marker} */`).catch((error: unknown) => error);
      const observer = new pg.Client({ connectionString: testDatabaseUrl() });
      await observer.connect();
      try {
        const sleeping = async () =>
          (
            await observer.query<{ pid: number }>(
              `SELECT pid FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%' || $1 || '%' AND pid <> pg_backend_pid()`,
              [marker],
            )
          ).rows[0]?.pid;
        const pid = await pollUntil('the pooled connection is busy in pg_sleep', sleeping);
        const res = await fetch(`${api.url}/api/v1/posts`);
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBe('5');
        await observer.query('SELECT pg_cancel_backend($1)', [pid]);
        expect(await busy).toMatchObject({ driverError: { code: '57014' } }); // cancelled, not finished
      } finally {
        await observer.end();
      }
      expect((await fetch(`${api.url}/api/v1/posts`)).status).toBe(200);
    });
  });

  it('cancels a statement that runs past DATABASE_STATEMENT_TIMEOUT_MS', async () => {
    await withTestApp({ env: { DATABASE_STATEMENT_TIMEOUT_MS: '200' } }, async (api) => {
      await expect(api.db.query('SELECT pg_sleep(2)')).rejects.toMatchObject({ driverError: { code: '57014' } });
    });
  });
});
