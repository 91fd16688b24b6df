/**
 * Several API processes on one database behave as one service: what one replica counts, revokes,
 * suspends or queues, the others see. Replica A runs in this process (so the test can suspend through its
 * OperatorAccountService, as the control panel would); B and C are the built server, started as
 * processes.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { freePort } from '../../scripts/lib/embedded-postgres.mjs';
import { OperatorAccountService } from '../src/auth/operator-account.service.js';
import { bearer, json, login, PASSWORD, refresh, refreshCookie, register, uniqueEmail } from './support/accounts.js';
import { testEnv, useTestApp } from './support/app.js';
import { ensureMigrated } from './support/database.js';
import { waitForEmail } from './support/mail.js';
import { type ServerProcess, startServer, waitForHttp } from './support/server-process.js';

const deployment = {
  DEPLOYMENT_NAME: `replicas-${randomBytes(4).toString('hex')}`,
  JWT_SECRET: randomBytes(32).toString('hex'),
  RATE_LIMIT_LOGIN_ACCOUNT: '4/15m',
};
const a = useTestApp({ env: deployment });
const started: ServerProcess[] = [];

/** Another replica of the same deployment, as its own process. */
async function replica(env: Record<string, string> = {}): Promise<{ url: string; process: ServerProcess }> {
  await ensureMigrated();
  const port = await freePort();
  const server = startServer(testEnv({ ...deployment, PORT: String(port), ...env }));
  started.push(server);
  const url = `http://127.0.0.1:${port}`;
  expect((await waitForHttp(`${url}/api/health/ready`)).status).toBe(200);
  return { url, process: server };
}

let b: { url: string };
beforeAll(async () => {
  b = await replica();
});
afterAll(async () => {
  for (const server of started) server.child.kill('SIGKILL');
  await Promise.all(started.map((server) => server.exited));
});

const attempt = (url: string, email: string, password: string, ip: string) =>
  fetch(`${url}/api/v1/auth/login`, json({ email, password }, { 'x-forwarded-for': ip }));

describe('two replicas on one database', () => {
  it('share the per-account sign-in limit: attempts split between them count once', async () => {
    const account = await register(a.url);
    for (let i = 0; i < 4; i++) {
      expect(
        (await attempt(i % 2 ? b.url : a.url, account.email, 'Wrong-Password-1', `203.0.113.${i + 1}`)).status,
      ).toBe(401);
    }
    expect((await attempt(a.url, account.email, PASSWORD, '198.51.100.1')).status).toBe(429);
    expect((await attempt(b.url, account.email, PASSWORD, '198.51.100.2')).status).toBe(429);
  });

  it('detect a refresh token replayed on the other replica and end the session on both', async () => {
    const { refreshToken: first, accessToken } = await login(a.url, await register(a.url));
    const rotated = await refresh(a.url, first);
    expect(rotated.status).toBe(200);
    const second = refreshCookie(rotated)!;

    expect((await refresh(b.url, first)).status).toBe(401); // the replay, elsewhere
    expect((await refresh(a.url, second)).status).toBe(401);
    expect((await fetch(`${b.url}/api/v1/users/me`, bearer(accessToken))).status).toBe(401);
  });

  it('refuse a suspended account on the next request, whichever replica suspended it', async () => {
    const account = await register(a.url);
    const { accessToken } = await login(b.url, account);
    expect((await fetch(`${b.url}/api/v1/users/me`, bearer(accessToken))).status).toBe(200);
    await a.app.get(OperatorAccountService).suspend(null, account.id, { reason: 'Spam' });
    expect((await fetch(`${b.url}/api/v1/users/me`, bearer(accessToken))).status).toBe(401);
  });

  it('deliver an e-mail whose replica died (SIGKILL) in the middle of sending it', async () => {
    // A deployment of its own, so that C is its only worker until it dies. C's mail server accepts
    // the connection and then says nothing: C is mid-send, holding the e-mail, when it is killed.
    const own = { DEPLOYMENT_NAME: `orphans-${randomBytes(4).toString('hex')}` };
    const sockets: Socket[] = [];
    const silent = createServer((socket) => {
      sockets.push(socket);
    });
    const taken = new Promise<void>((resolve) => {
      silent.once('connection', () => {
        resolve();
      });
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as { port: number };
      const c = await replica({ ...own, SMTP_URL: `smtp://127.0.0.1:${port}` });
      const email = uniqueEmail('orphan');
      const signup = await fetch(
        `${c.url}/api/v1/auth/register`,
        json({ email, password: PASSWORD, displayName: 'Orphan' }),
      );
      expect(signup.status).toBe(201);
      await taken;
      c.process.child.kill('SIGKILL');
      expect(await c.process.exited).toBeNull();

      // D joins with a working mail server. Heartbeats come every 5 s and count as missed after 10;
      // the queue looks every 10 s; then D polls and sends.
      await replica(own);
      const delivered = await waitForEmail(email, /Confirm your e-mail/, 1, 45_000);
      expect(delivered.to[0]?.address).toBe(email);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  }, 90_000);
});
