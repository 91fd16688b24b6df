/**
 * The one origin through the real Caddy and the repository's Caddyfile (docker/test/support/
 * edge-stack.mjs), in Chromium and over plain HTTP: the app's pages, a sign-in whose refresh
 * cookie carries a reload, the API's docs, the panel's sign-in, the static files' caching and
 * 404s, the headers and compression, the live stream passed on as it comes, and per-IP rate limits
 * keyed on the client's own address.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { launchChromium } from '../../scripts/lib/chromium.mjs';
import { pollUntil } from '../../scripts/lib/poll.mjs';
import { CONTENT_SECURITY_POLICY } from '../../web/csp.mjs';
import { SITE_PATHS } from '../../web/proxy.config.mjs';
import { startEdge, WEB_ROOT } from './support/edge-stack.mjs';

const PASSWORD = 'Correct-Horse-Battery-9';

let edge;
let browser;
/**
 * The operator's authenticator app, once the panel's first sign-in has set it up, and the newest
 * 30-second step whose code was used (each code is accepted once).
 */
let operatorApp = null;

/** A code of the operator's app that has not been used yet (waiting for the next step if need be). */
async function freshOperatorCode() {
  for (;;) {
    const now = operatorApp.totp.counter();
    const step = Math.max(now, operatorApp.lastStep + 1);
    if (step <= now + 1) {
      operatorApp.lastStep = step;
      return operatorApp.totp.generate({ timestamp: step * 30_000 });
    }
    await new Promise((resolve) => setTimeout(resolve, (now + 1) * 30_000 - Date.now() + 50));
  }
}

/** The operator's sign-in to the API: the password, then (once it has an app) the code. */
async function operatorSignIn() {
  const json = (body) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const first = await fetch(`${edge.url}/api/v1/auth/login`, json(edge.operator));
  if (first.status !== 403 || !operatorApp) return first;
  const { ticket } = await first.json();
  return fetch(`${edge.url}/api/v1/auth/login/mfa`, json({ ticket, code: await freshOperatorCode() }));
}

/** A request from a chosen loopback address (127.0.0.2, …), with the raw answer. */
function request(path, { method = 'GET', headers = {}, body, from = '127.0.0.1' } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: edge.port,
        path,
        method,
        headers: { host: `localhost:${edge.port}`, ...headers },
        localAddress: from,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * GET `path` as an event stream (Server-Sent Events, parsed as an EventSource would): resolves once
 * the head has arrived, with `next(match)`, which waits for the next matching event.
 */
function openEventStream(path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: edge.port, path, headers: { host: `localhost:${edge.port}`, ...headers } },
      (res) => {
        const events = [];
        const waiting = new Set();
        let rest = '';
        let event = { id: undefined, event: 'message', data: [] };
        let cursor = 0;
        const stream = {
          status: res.statusCode,
          headers: res.headers,
          ended: false,
          close: () => req.destroy(),
          next: (match) =>
            new Promise((found, failed) => {
              const look = () => {
                for (; cursor < events.length; cursor += 1) {
                  if (match(events[cursor])) {
                    waiting.delete(look);
                    found(events[cursor++]);
                    return;
                  }
                }
                if (stream.ended) failed(new Error(`the stream ended first: ${JSON.stringify(events)}`));
              };
              waiting.add(look);
              look();
            }),
        };
        res.setEncoding('utf8');
        res.on('error', () => {});
        res.on('data', (chunk) => {
          const lines = (rest + chunk).split('\n');
          rest = lines.pop();
          for (const line of lines) {
            if (line === '') {
              if (event.data.length > 0) events.push({ ...event, data: event.data.join('\n') });
              event = { id: event.id, event: 'message', data: [] };
            } else if (line.startsWith('id: ')) event.id = line.slice(4);
            else if (line.startsWith('event: ')) event.event = line.slice(7);
            else if (line.startsWith('data: ')) event.data.push(line.slice(6));
          }
          for (const look of waiting) look();
        });
        res.on('close', () => {
          stream.ended = true;
          for (const look of waiting) look();
        });
        resolve(stream);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A new account, through the edge; resolves with its e-mail address and id. */
async function register(displayName) {
  const email = `edge-${Math.random().toString(36).slice(2, 10)}@example.test`;
  const answer = await fetch(`${edge.url}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD, displayName }),
  });
  assert.equal(answer.status, 201);
  return { email, id: (await answer.json()).id };
}

function newPage(errors) {
  return browser.newContext({ baseURL: edge.url }).then(async (context) => {
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    // The panel's policy blocks AdminJS's Google Fonts stylesheet on purpose (docs/operations.md).
    page.on(
      'console',
      (m) => m.type() === 'error' && !m.text().includes('fonts.googleapis.com') && errors.push(m.text()),
    );
    page.on(
      'response',
      (r) => r.status() >= 400 && !r.url().includes('/auth/refresh') && errors.push(`${r.status()} ${r.url()}`),
    );
    return page;
  });
}

before(async () => {
  assert.ok(existsSync(join(WEB_ROOT, 'index.html')), 'the web app is built (npm run build)');
  browser = await launchChromium();
  edge = await startEdge({ RATE_LIMIT_PASSWORD_FORGOT: '3/1h' });
});

after(async () => {
  await browser?.close();
  await edge?.stop();
});

describe('the edge (Caddy)', () => {
  test("serves the app's pages, deep links included, with nothing failing to load", async () => {
    const author = await register('Ada Deeplink');
    const errors = [];
    const page = await newPage(errors);
    await page.goto('/');
    await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
    await page.goto('/sign-up');
    await page.getByLabel('E-mail address').waitFor();
    // An author's page comes from the API (the built page with the author's head) and boots the
    // app, under the policy the API sends with it.
    await page.goto(`/authors/${author.id}`);
    await page.getByRole('heading', { name: 'Ada Deeplink', exact: true }).waitFor();
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  test('sign-in sets the refresh cookie, and a reload signs in again through it', async () => {
    const { email } = await register('Edge Tester');

    const errors = [];
    const page = await newPage(errors);
    await page.goto('/sign-in');
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    // Exactly: "Sign in with a passkey" is a button of the page too.
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    const cookie = (await page.context().cookies()).find((c) => c.name === 'refresh_token');
    assert.ok(cookie, 'the refresh cookie is set on the one origin');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.path, '/api/v1/auth');

    const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/refresh'));
    await page.reload();
    assert.equal((await refreshed).status(), 200);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  test("serves the API's docs: Swagger UI and the OpenAPI document", async () => {
    const errors = [];
    const page = await newPage(errors);
    await page.goto('/api/docs');
    await page.getByRole('button', { name: 'Authorize' }).first().waitFor();
    assert.ok((await page.locator('.opblock').count()) > 10, 'the operations are listed');
    const document = await (await fetch(`${edge.url}/api/openapi.json`)).json();
    assert.match(document.openapi, /^3\.1/);
    await page.context().close();
  });

  test('the control panel signs an operator in at /cp', async () => {
    const errors = [];
    const page = await newPage(errors);
    await page.goto('/cp/login');
    await page.fill('input[name="email"]', edge.operator.email);
    await page.fill('input[name="password"]', edge.operator.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Operators must use a second factor: the first sign-in sets up an authenticator app.
    await page.waitForURL(`${edge.url}/cp/login/enrol`);
    const secret = (await page.locator('[data-secret]').innerText()).replace(/\s/g, '');
    operatorApp = { totp: new TOTP({ secret: Secret.fromBase32(secret) }), lastStep: -1 };
    await page.getByLabel('Code', { exact: true }).fill(await freshOperatorCode());
    await page.getByRole('button', { name: 'Turn on and continue' }).click();
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${edge.url}/cp`);
    await page.locator('[data-figure="Accounts"]').waitFor();
    const session = (await page.context().cookies()).find((c) => c.name === 'nuell_panel');
    assert.equal(session?.path, '/cp');
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  test('hashed assets are cached for a year; a missing one is a 404, not the app', async () => {
    const index = await readFile(join(WEB_ROOT, 'index.html'), 'utf8');
    const chunk = /src="(\/_nuxt\/[^"]+\.js)"/.exec(index)[1];
    const present = await request(chunk);
    assert.equal(present.status, 200);
    assert.equal(present.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.match(present.headers['content-type'], /javascript/);

    const missing = await request('/_nuxt/not-a-chunk.js');
    assert.equal(missing.status, 404);
    assert.doesNotMatch(missing.body.toString(), /<html/i);

    // No file on disk has this path: the app's shell answers it, and the app routes it.
    const page = await request('/posts/some-post-k3x9q2m7ab/edit');
    assert.equal(page.status, 200);
    assert.match(page.body.toString(), /<div id="__nuxt">/);
    assert.equal(page.headers['cache-control'], 'no-cache');
  });

  test("a post's page, the feeds and the sitemap come from the API through the edge", async () => {
    const signIn = await operatorSignIn();
    assert.equal(signIn.status, 200);
    const { accessToken } = await signIn.json();
    const title = 'Shared from the edge & "quoted"';
    const written = await fetch(`${edge.url}/api/v1/posts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ title, content: 'Words that a link preview shows.' }),
    });
    assert.equal(written.status, 201);
    const post = await written.json();
    const escaped = 'Shared from the edge &amp; &quot;quoted&quot;';

    const answer = await request(post.path, { headers: { 'accept-encoding': 'identity' } });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['content-type'], 'text/html; charset=utf-8');
    const html = answer.body.toString();
    assert.match(html, new RegExp(`<title>${escaped} · nuell</title>`));
    assert.ok(html.includes(`<meta property="og:title" content="${escaped}">`));
    assert.ok(html.includes(`<link rel="canonical" href="${edge.url}${post.path}">`));
    // The built page itself: the same scripts as the file Caddy serves, under the same policy.
    const index = await readFile(join(WEB_ROOT, 'index.html'), 'utf8');
    for (const [script] of index.matchAll(/<script[^>]*><\/script>/g)) assert.ok(html.includes(script), script);
    assert.equal(answer.headers['content-security-policy'], `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`);
    // Revalidated through the edge: the ETag survives Caddy's compression, and a match is a 304.
    const compressed = await request(post.path, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(compressed.status, 200);
    const again = await request(post.path, { headers: { 'if-none-match': compressed.headers.etag } });
    assert.equal(again.status, 304);

    // In a browser the page boots the app, which shows the post.
    const errors = [];
    const page = await newPage(errors);
    await page.goto(post.path);
    await page.getByText('Words that a link preview shows.').waitFor();
    assert.deepEqual(errors, []);
    await page.context().close();

    const feed = await request('/rss.xml');
    assert.equal(feed.status, 200);
    assert.equal(feed.headers['content-type'], 'application/rss+xml; charset=utf-8');
    assert.match(feed.body.toString(), /^<\?xml [^>]*\?>\n<rss version="2\.0"/);
    assert.ok(feed.body.toString().includes(`<link>${edge.url}${post.path}</link>`));
    const sitemap = await request('/sitemap.xml');
    assert.equal(sitemap.headers['content-type'], 'application/xml; charset=utf-8');
    assert.ok(sitemap.body.toString().includes(`<loc>${edge.url}${post.path}</loc>`));
  });

  test('an unknown post or author is a 404 with the app', async () => {
    for (const path of ['/posts/nope-0000000000', '/authors/00000000-0000-4000-8000-000000000000', '/posts/%00']) {
      const answer = await request(path);
      assert.equal(answer.status, 404, path);
      assert.equal(answer.headers['content-type'], 'text/html; charset=utf-8', path);
      assert.match(answer.body.toString(), /<title>Page not found · nuell<\/title>/, path);
      assert.match(answer.body.toString(), /<div id="__nuxt">/, path);
    }
  });

  test("routes the site's paths to the API, and only those, as npm start's origin does", async () => {
    const paths = [
      ...['/', '/?utm=x', '/rss.xml', '/sitemap.xml', '/posts/a-0000000000', '/authors/a1', '/authors/a1/rss.xml'],
      ...['/write', '/sign-in', '/posts/a-0000000000/edit', '/authors/a1/posts', '/sitemap.xml.gz', '/favicon.svg'],
    ];
    for (const path of paths) {
      // Every answer of the API carries its request id; a file from Caddy does not.
      const byTheApi = (await request(path)).headers['x-request-id'] !== undefined;
      assert.equal(byTheApi, SITE_PATHS.test(path.split('?')[0]), path);
    }
  });

  test('sends the security headers and compresses', async () => {
    const page = await request('/', { headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(page.headers['content-security-policy'], `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.equal(page.headers['referrer-policy'], 'strict-origin-when-cross-origin');
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.match(page.headers['content-encoding'], /^(br|gzip)$/);
    assert.equal(page.headers['strict-transport-security'], undefined, 'never HSTS on localhost');

    const named = await request('/', { headers: { host: 'nuell.test' } });
    assert.equal(named.headers['strict-transport-security'], 'max-age=31536000');

    // The API's JSON and AdminJS's bundles leave their processes uncompressed.
    for (const path of ['/api/openapi.json', '/cp/assets/app.bundle.js']) {
      const answer = await request(path, { headers: { 'accept-encoding': 'zstd, gzip' } });
      assert.equal(answer.status, 200, path);
      assert.match(answer.headers['content-encoding'] ?? '', /^(zstd|gzip)$/, path);
    }
    const api = await request('/api/health/live');
    assert.equal(api.headers['x-content-type-options'], 'nosniff');
  });

  test("gives every request Caddy's own id, which the API takes as its own, so their logs join", async () => {
    const path = `/api/v1/no-such-route-${Math.random().toString(36).slice(2, 10)}`;
    const answer = await request(path, { headers: { 'x-request-id': 'made-up-by-the-client' } });
    assert.equal(answer.status, 404);
    // The API's request id, on its log lines and in its problem document, is the one it received.
    const id = answer.headers['x-request-id'];
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(JSON.parse(answer.body.toString()).requestId, id);
    // Caddy's access log line of the same request carries it.
    const logged = await pollUntil(`Caddy's access log line for ${path}`, () =>
      edge.processes.caddy.lines
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line))
        .find((line) => line.msg === 'handled request' && line.request?.uri === path),
    );
    assert.deepEqual(logged.resp_headers['X-Request-Id'], [id]);
    // Another request, another id.
    const again = await request(path, { headers: { 'x-request-id': 'made-up-by-the-client' } });
    assert.notEqual(again.headers['x-request-id'], id);
  });

  test('does not route the metrics', async () => {
    assert.equal((await request('/api/metrics')).status, 404);
  });

  test('refuses a body over the cap at the edge', async () => {
    const post = (bytes) =>
      request('/api/v1/posts', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(bytes) },
        body: Buffer.alloc(bytes, 0x20),
      });
    // The API refuses 3 MB by itself, so the answer must be told apart: Caddy's is bare, without
    // the request id and the problem document that every answer of the API carries.
    const atTheEdge = await post(3_000_000);
    assert.equal(atTheEdge.status, 413);
    assert.equal(atTheEdge.headers['x-request-id'], undefined);
    assert.doesNotMatch(atTheEdge.headers['content-type'] ?? '', /problem\+json/);
    // Control: under the edge's cap but over the API's, the API answers, and it shows.
    const byTheApi = await post(1_500_000);
    assert.equal(byTheApi.status, 413);
    assert.match(byTheApi.headers['x-request-id'] ?? '', /./);
    assert.match(byTheApi.headers['content-type'] ?? '', /^application\/problem\+json/);
  });

  test('passes the live stream on as it comes: an event reaches the reader while the stream is open, uncompressed', async () => {
    const signIn = await operatorSignIn();
    assert.equal(signIn.status, 200);
    const { accessToken } = await signIn.json();
    const write = async (content) => {
      const answer = await fetch(`${edge.url}/api/v1/posts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        body: JSON.stringify({ content }),
      });
      assert.equal(answer.status, 201);
      return (await answer.json()).id;
    };
    const first = await openEventStream('/api/v1/posts/stream');
    const ready = await first.next((event) => event.event === 'ready');
    first.close();
    // Missed changes, so that the stream starts with more than a compressor's minimum (512 bytes):
    // a compressing edge would hold it, and everything after it, until it had enough.
    for (let i = 0; i < 6; i += 1) await write(`Missed while away, ${i}`);
    const live = await openEventStream('/api/v1/posts/stream', {
      'accept-encoding': 'zstd, gzip',
      'last-event-id': ready.id,
    });
    try {
      assert.equal(live.status, 200);
      assert.equal(live.headers['content-type'], 'text/event-stream; charset=utf-8');
      assert.equal(live.headers['content-encoding'], undefined);
      assert.equal(live.headers['x-accel-buffering'], 'no');
      const replayed = await live.next(() => true);
      assert.equal(replayed.event, 'post.created');
      const postId = await write('Live through the edge');
      const arrived = await live.next((event) => JSON.parse(event.data).postId === postId);
      assert.equal(arrived.event, 'post.created');
      assert.equal(live.ended, false, 'the event came while the stream was still open');
    } finally {
      live.close();
    }
  });

  test("the API's per-IP limit counts each client's own address, whatever X-Forwarded-For it sends", async () => {
    const forgot = (from, headers = {}) =>
      request('/api/v1/auth/password/forgot', {
        method: 'POST',
        from,
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ email: 'nobody@example.test' }),
      });
    for (let i = 0; i < 3; i += 1) assert.equal((await forgot('127.0.0.2')).status, 202);
    assert.equal((await forgot('127.0.0.2')).status, 429);
    // A made-up X-Forwarded-For does not make a new client: Caddy replaces it.
    assert.equal((await forgot('127.0.0.2', { 'x-forwarded-for': '198.51.100.7' })).status, 429);
    // Another address has its own allowance.
    assert.equal((await forgot('127.0.0.3')).status, 202);
  });

  test('keeps answering when one API replica is gone', async () => {
    const [first] = edge.processes.apis;
    const exited = new Promise((resolve) => first.once('exit', resolve));
    first.kill('SIGTERM');
    await exited;
    for (let i = 0; i < 6; i += 1) {
      const answer = await request('/api/health/ready');
      assert.equal(answer.status, 200);
    }
  });

  test('with no API replica left, a page is still the app (saying so), and a feed a bare error', async () => {
    const [, second] = edge.processes.apis;
    const exited = new Promise((resolve) => second.once('exit', resolve));
    second.kill('SIGTERM');
    await exited;
    const page = await request('/posts/some-post-k3x9q2m7ab');
    assert.ok(page.status >= 502, `status ${page.status}`);
    assert.match(page.body.toString(), /<div id="__nuxt">/);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.equal(page.headers['content-security-policy'], `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`);
    const feed = await request('/rss.xml');
    assert.ok(feed.status >= 502, `status ${feed.status}`);
    assert.doesNotMatch(feed.body.toString(), /<html/i);
  });
});
