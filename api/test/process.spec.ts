/**
 * The API as an operator runs it: the built server (`npm test` builds first) started as a
 * process. Configuration refusal and graceful shutdown can only be seen from outside.
 */
import { connect } from 'node:net';
import { isPortFree, freePort } from '../../scripts/lib/embedded-postgres.mjs';
import { EXAMPLE_SECRET } from '../src/config/config.js';
import { ensureMigrated } from './support/database.js';
import { testEnv } from './support/app.js';
import { startServer, waitForHttp } from './support/server-process.js';

/** Whether `port` accepted a TCP connection at any moment before `until` settled (tried every few ms). */
async function openedBefore(port: number, until: Promise<unknown>): Promise<boolean> {
  const state = { over: false };
  void until.finally(() => {
    state.over = true;
  });
  while (!state.over) {
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => {
        resolve(false);
      });
    });
    if (accepted) return true;
    await new Promise((r) => setTimeout(r, 5));
  }
  return false;
}

describe('configuration refusal', () => {
  it.each([
    ['a bad value', { PORT: 'eighty' }, /PORT/],
    ['a missing secret', { JWT_SECRET: '' }, /JWT_SECRET is required/],
    ['a short secret in production', { NODE_ENV: 'production', JWT_SECRET: 'short' }, /JWT_SECRET.*at least 32/],
    [
      'the .env.example secret in production',
      { NODE_ENV: 'production', JWT_SECRET: EXAMPLE_SECRET },
      /JWT_SECRET: the example value/,
    ],
    [
      'a long but guessable secret in production',
      { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) },
      /JWT_SECRET: has too little variety/,
    ],
  ])('stops with a message naming the variable on %s, and never listens', async (_case, overrides, message) => {
    const port = await freePort();
    const server = startServer(testEnv({ PORT: String(port), ...overrides }));
    // Watched for the whole life of the process, not only after it has gone.
    const opened = openedBefore(port, server.exited);
    expect(await server.exited).toBe(78);
    expect(server.stderr()).toMatch(message);
    expect(await opened).toBe(false);
  });

  it('would notice a port that opened (control)', async () => {
    await ensureMigrated();
    const port = await freePort();
    const server = startServer(testEnv({ PORT: String(port) }));
    const opened = await openedBefore(port, server.exited);
    expect({ opened, stderr: opened ? '' : server.stderr() }).toEqual({ opened: true, stderr: '' });
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});

describe('graceful shutdown', () => {
  it('on SIGTERM stops serving, closes the pool and exits 0', async () => {
    await ensureMigrated();
    const port = await freePort();
    const server = startServer(testEnv({ PORT: String(port) }));
    expect((await waitForHttp(`http://127.0.0.1:${port}/api/health/ready`)).status).toBe(200);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(await isPortFree(port)).toBe(true);
  });
});

describe('draining on SIGTERM', () => {
  it('fails readiness first while still serving, then stops', async () => {
    await ensureMigrated();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}/api`;
    const server = startServer(testEnv({ PORT: String(port), SHUTDOWN_DRAIN_MS: '1500' }));
    expect((await waitForHttp(`${base}/health/ready`)).status).toBe(200);

    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ detail: 'The process is shutting down.' });
    expect((await fetch(`${base}/v1/posts`)).status).toBe(200); // requests still on their way are served
    expect(await server.exited).toBe(0);
    expect(await isPortFree(port)).toBe(true);
  });
});
