/**
 * The API as an operator runs it: the built server (`npm test` builds first) started as a
 * process. Configuration refusal and graceful shutdown can only be seen from outside.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { isPortFree, freePort } from '../../scripts/lib/embedded-postgres.mjs';
import { EXAMPLE_SECRET } from '../src/config/config.js';
import { ensureMigrated } from './support/database.js';
import { testEnv } from './support/app.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

function startServer(env: Record<string, string>) {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build the API first (npm test does)`);
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...env } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      resolve(code);
    }),
  );
  return { child, exited, stderr: () => stderr };
}

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

async function waitForHttp(url: string, ms = 20_000): Promise<Response> {
  for (const deadline = Date.now() + ms; Date.now() < deadline;) {
    try {
      return await fetch(url);
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
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
