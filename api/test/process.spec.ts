/**
 * The API as an operator runs it: the built server (`npm test` builds first) started as a
 * process. Configuration refusal and graceful shutdown can only be seen from outside.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
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
  ])('stops with a message naming the variable on %s, and never listens', async (_case, overrides, message) => {
    const port = await freePort();
    const server = startServer(testEnv({ PORT: String(port), ...overrides }));
    expect(await server.exited).toBe(78);
    expect(server.stderr()).toMatch(message);
    expect(await isPortFree(port)).toBe(true);
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
