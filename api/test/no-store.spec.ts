/**
 * docs/security.md: every answer under /api/v1/auth/ and /api/v1/users/ carries
 * `Cache-Control: no-store`, so no shared cache or browser history keeps tokens or account details;
 * but an author's public profile (GET /api/v1/users/{id}, found), which anyone may read and keep.
 * Every operation the OpenAPI document lists there is called signed out and signed in, with a body
 * it refuses and one it may accept, and so are the answers the pipeline gives before any route
 * (404, 405, 413, 415).
 */
import { randomUUID } from 'node:crypto';
import { bearer, login, PASSWORD, register, WEB_ORIGIN } from './support/accounts.js';
import { useTestApp } from './support/app.js';

const api = useTestApp();
const UNDER = /^\/api\/v1\/(auth|users)\//;

interface Answer {
  readonly request: string;
  readonly status: number;
  readonly cacheControl: string | null;
}

async function call(method: string, path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${api.url}${path}`, { ...init, method });
  await res.arrayBuffer();
  return { request: `${method} ${path}`, status: res.status, cacheControl: res.headers.get('cache-control') };
}

describe('answers about accounts and tokens', () => {
  it('all carry Cache-Control: no-store, successes and errors alike', async () => {
    const document = (await (await fetch(`${api.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const account = await register(api.url);
    const { accessToken, refreshToken } = await login(api.url, account);
    const signedIn = (init: RequestInit) => bearer(accessToken, init);
    const jsonBody = (body: unknown): RequestInit => ({
      headers: { 'content-type': 'application/json', origin: WEB_ORIGIN, cookie: `refresh_token=${refreshToken}` },
      body: JSON.stringify(body),
    });

    const operations = Object.entries(document.paths)
      .filter(([path]) => UNDER.test(path))
      .flatMap(([path, methods]) =>
        Object.keys(methods)
          .filter((method) => ['get', 'post', 'patch', 'delete'].includes(method))
          .map((method) => ({
            method: method.toUpperCase(),
            path: path.replace('{id}', path.startsWith('/api/v1/users/{id}') ? account.id : randomUUID()),
          })),
      );
    // The document's coverage, so that a route left out of it cannot slip by unnoticed.
    expect(operations.length).toBeGreaterThanOrEqual(18);

    const answers: Answer[] = [];
    for (const { method, path } of operations) {
      if (method === 'GET') {
        answers.push(await call('GET', path), await call('HEAD', path), await call('GET', path, signedIn({})));
        continue;
      }
      // Refused (an unknown field), then as a signed-in caller with the fields many routes take.
      answers.push(await call(method, path, jsonBody({ unknown: true })));
      answers.push(
        await call(method, path, signedIn(jsonBody({ email: account.email, password: PASSWORD, displayName: 'Same' }))),
      );
    }
    answers.push(
      await call('GET', '/api/v1/users/me/nothing-here'),
      await call('PUT', '/api/v1/auth/login'),
      await call('POST', '/api/v1/auth/login', { headers: { 'content-type': 'text/plain' }, body: 'x' }),
      await call('POST', '/api/v1/auth/login', jsonBody({ email: 'x'.repeat(20_000) })),
    );

    // Successes, client errors and refusals before any route are all among them.
    const statuses = new Set(answers.map((a) => a.status));
    for (const status of [200, 204, 400, 401, 404, 405, 413, 415]) expect(statuses).toContain(status);
    const profile = `/api/v1/users/${account.id}`;
    const publicProfile = (a: Answer) => a.request.endsWith(` ${profile}`) && a.status === 200;
    expect(answers.filter((a) => a.cacheControl !== 'no-store' && !publicProfile(a))).toEqual([]);
    expect(answers.filter(publicProfile).map((a) => a.cacheControl)).toEqual(Array(3).fill('public, no-cache'));
    // Not found, it is no-store as every other answer there.
    const missing = await call('GET', `/api/v1/users/${randomUUID()}`);
    expect([missing.status, missing.cacheControl]).toEqual([404, 'no-store']);
  });

  it('(control) the public feed, which caches may keep, does not carry it', async () => {
    const feed = await call('GET', '/api/v1/posts');
    expect(feed.status).toBe(200);
    expect(feed.cacheControl).not.toBe('no-store');
  });
});
