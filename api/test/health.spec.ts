import { createScratchDatabase } from './support/database.js';
import { startTestApp, useTestApp } from './support/app.js';

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
