/**
 * The API as an operator runs it: the built server (`npm test` builds first) started as a
 * process. Configuration refusal and graceful shutdown can only be seen from outside.
 */
import { freePort } from '../../scripts/lib/embedded-postgres.mjs';
import { pollUntil } from '../../scripts/lib/poll.mjs';
import { EXAMPLE_SECRET } from '../src/config/config.js';
import { ensureMigrated, testDatabaseUrl } from './support/database.js';
import { testEnv } from './support/app.js';
import { startPgRelay } from './support/pg-relay.js';
import { accepts, heldRequest } from './support/raw-http.js';
import { openedBefore, startServer, waitForHttp } from './support/server-process.js';

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

/** A sign-in for an unknown address: it needs the database (and a hash) to be answered. */
const SIGN_IN = {
  method: 'POST',
  path: '/api/v1/auth/login',
  body: JSON.stringify({ email: 'nobody@example.test', password: 'Wrong-Password-1' }),
};

describe('graceful shutdown', () => {
  it('on SIGTERM stops accepting, finishes the request in flight, closes the pool and exits 0', async () => {
    await ensureMigrated();
    const relay = await startPgRelay(testDatabaseUrl());
    try {
      const port = await freePort();
      const server = startServer(testEnv({ PORT: String(port), DATABASE_URL: relay.url }));
      expect((await waitForHttp(`http://127.0.0.1:${port}/api/health/ready`)).status).toBe(200);
      const inFlight = await heldRequest(port, SIGN_IN);

      server.child.kill('SIGTERM');
      await pollUntil('the port refuses new connections', async () => !(await accepts(port)));
      // The request in flight holds the process: the port closed while it still ran.
      expect(server.child.exitCode).toBeNull();
      inFlight.finish();
      expect(await inFlight.answer).toMatch(/^HTTP\/1\.1 401 /);
      expect(await server.exited).toBe(0);

      // Every connection the process opened (its pool and the e-mail queue's) was closed with the
      // protocol's Terminate, not dropped when the process went away.
      expect(relay.connections.length).toBeGreaterThan(0);
      expect(await Promise.all(relay.connections)).toEqual(relay.connections.map(() => ({ terminated: true })));
    } finally {
      await relay.close();
    }
  });

  it(`exits 1 once SHUTDOWN_TIMEOUT_MS has passed with a request still in flight`, async () => {
    await ensureMigrated();
    const port = await freePort();
    // A request timeout far beyond the test's, so that only the shutdown timeout can end it.
    const server = startServer(
      testEnv({ PORT: String(port), SHUTDOWN_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '600000' }),
    );
    expect((await waitForHttp(`http://127.0.0.1:${port}/api/health/ready`)).status).toBe(200);
    const stuck = await heldRequest(port, SIGN_IN);
    try {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(1);
      expect(server.stderr()).toMatch(/shutdown took longer than 1000 ms, forcing exit/);
    } finally {
      stuck.destroy();
    }
  });
});

describe('draining on SIGTERM', () => {
  it('fails readiness first while still serving, then stops', async () => {
    await ensureMigrated();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}/api`;
    // A drain long enough that the checks below happen inside it however slow the machine.
    const server = startServer(testEnv({ PORT: String(port), SHUTDOWN_DRAIN_MS: '8000' }));
    expect((await waitForHttp(`${base}/health/ready`)).status).toBe(200);

    server.child.kill('SIGTERM');
    const ready = await pollUntil('readiness fails', async () => {
      const res = await fetch(`${base}/health/ready`);
      return res.status === 503 && res;
    });
    expect(await ready.json()).toMatchObject({ detail: 'The process is shutting down.' });
    expect((await fetch(`${base}/v1/posts`)).status).toBe(200); // requests still on their way are served
    expect(server.child.exitCode).toBeNull();
    expect(await server.exited).toBe(0);
  });
});
