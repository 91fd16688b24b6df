/**
 * docs/security.md: expired rate-limit counters are removed every five minutes, so the unlogged
 * `rate_limits` table does not grow with every address that ever tried. The app's own five-minute
 * timer is found as it is set, and run now instead of in five minutes: the sweep is real, on the
 * run's PostgreSQL.
 */
import { jest } from '@jest/globals';
import { pollUntil } from '../../scripts/lib/poll.mjs';
import { startTestApp, type TestApp } from './support/app.js';

const FIVE_MINUTES = 300_000;
const HOUR = 3_600_000;

let api: TestApp;
let sweeps: (() => void)[] = [];
beforeAll(async () => {
  const timers = jest.spyOn(globalThis, 'setTimeout');
  try {
    api = await startTestApp();
    sweeps = timers.mock.calls.filter(([, ms]) => ms === FIVE_MINUTES).map(([sweep]) => sweep);
  } finally {
    timers.mockRestore();
  }
});
afterAll(() => api.close());

describe('rate-limit counters', () => {
  it('are swept every five minutes: expired ones go, live ones stay, and the sweep comes again', async () => {
    expect(sweeps.length).toBeGreaterThan(0);
    const prefix = `${api.config.deploymentName}:sweep`;
    await api.db.query(`INSERT INTO rate_limits (key, points, expire) VALUES ($1, 3, $2), ($3, 3, $4)`, [
      `${prefix}:expired`,
      Date.now() - 2 * HOUR,
      `${prefix}:live`,
      Date.now() + HOUR,
    ]);
    const keys = async () =>
      (
        await api.db.query<{ key: string }[]>(`SELECT key FROM rate_limits WHERE key LIKE $1 ORDER BY key`, [
          `${prefix}:%`,
        ])
      ).map((row) => row.key);
    expect(await keys()).toEqual([`${prefix}:expired`, `${prefix}:live`]);

    const timers = jest.spyOn(globalThis, 'setTimeout');
    try {
      sweeps[0]!();
      await pollUntil('the expired counter is gone', async () => (await keys()).length === 1);
      expect(await keys()).toEqual([`${prefix}:live`]);
      await pollUntil('the next sweep is set', () => timers.mock.calls.some(([, ms]) => ms === FIVE_MINUTES));
    } finally {
      timers.mockRestore();
    }
  });
});
