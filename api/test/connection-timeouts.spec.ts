/**
 * What a slow or idle client may hold (docs/operations.md, "Timeouts, outages and shutdown"):
 * 10 s for its headers, REQUEST_TIMEOUT_MS for the whole request, 72 s for an idle keep-alive
 * connection. Seen from a socket, and told apart by order, not by stopwatch: a client that started
 * earlier but is within its allowance outlives one that is past it.
 */
import { request } from 'node:http';
import { withTestApp } from './support/app.js';
import { heldRequest, unfinishedHeaders } from './support/raw-http.js';

/** A sign-in whose body is held back: headers complete, request not. */
const SIGN_IN = {
  method: 'POST',
  path: '/api/v1/auth/login',
  body: JSON.stringify({ email: 'nobody@example.test', password: 'Wrong-Password-1' }),
};
const portOf = (url: string) => Number(new URL(url).port);

describe('a client that is slow to send', () => {
  it('gets 408 when its headers take longer than 10 s, while a request whose headers came may take longer', async () => {
    // A whole request may take a minute here: only the header timeout can end the first client.
    await withTestApp({ env: { REQUEST_TIMEOUT_MS: '60000' } }, async (api) => {
      const server = api.app.getHttpServer();
      expect(server.headersTimeout).toBe(10_000);
      const bodySlow = await heldRequest(portOf(api.url), SIGN_IN);
      const headersSlow = await unfinishedHeaders(portOf(api.url));
      try {
        expect(await headersSlow.answer).toMatch(/^HTTP\/1\.1 408 /);
        // Opened first, still there: its headers arrived, so the minute applies.
        bodySlow.finish();
        expect(await bodySlow.answer).toMatch(/^HTTP\/1\.1 401 /);
      } finally {
        headersSlow.destroy();
        bodySlow.destroy();
      }
    });
  }, 45_000);

  it('gets 408 within REQUEST_TIMEOUT_MS for the whole request, even when that is shorter than 10 s', async () => {
    await withTestApp({ env: { REQUEST_TIMEOUT_MS: '1000' } }, async (api) => {
      // Opened before the client that never finishes its headers, so its time runs out no later.
      const bodySlow = await heldRequest(portOf(api.url), SIGN_IN);
      const headersSlow = await unfinishedHeaders(portOf(api.url));
      try {
        expect(await headersSlow.answer).toMatch(/^HTTP\/1\.1 408 /);
        bodySlow.finish(); // too late: it has had its second
        expect(await bodySlow.answer).toMatch(/^HTTP\/1\.1 408 /);
      } finally {
        headersSlow.destroy();
        bodySlow.destroy();
      }
    });
  });
});

describe('an idle keep-alive connection', () => {
  it('is kept 72 s: the server closes it then, and says so in Keep-Alive', async () => {
    await withTestApp({}, async (api) => {
      expect(api.app.getHttpServer().keepAliveTimeout).toBe(72_000);
      // fetch hides the hop-by-hop Keep-Alive header; a plain request shows what proxies read.
      const header = await new Promise<string>((resolve, reject) => {
        request(`${api.url}/api/health/live`, { headers: { connection: 'keep-alive' } }, (res) => {
          res.resume();
          resolve(String(res.headers['keep-alive']));
        })
          .once('error', reject)
          .end();
      });
      expect(header).toBe('timeout=72');
    });
  });
});
