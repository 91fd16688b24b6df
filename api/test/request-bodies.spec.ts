/**
 * Hostile bodies on the real routes, signed in or not: deeply nested JSON, bodies far larger
 * than the route needs, prototype keys. Each is refused with a 400 or 413 problem document
 * that says what is wrong, and none of them reaches a handler.
 */
import { request as httpRequest } from 'node:http';
import { MAX_JSON_DEPTH, MAX_JSON_VALUES, SMALL_BODY_LIMIT } from '../src/http/body-parsing.js';
import { bearer, json, login, register, verify } from './support/accounts.js';
import { useTestApp } from './support/app.js';
import { heldRequest } from './support/raw-http.js';

const api = useTestApp();
let token: string;
beforeAll(async () => {
  const account = await register(api.url);
  await verify(api.url, account);
  token = (await login(api.url, account)).accessToken;
});

const nested = (depth: number, inner = '1') => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;

function send(path: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`${api.url}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

async function problem(res: Response): Promise<{ status: number; detail: string }> {
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await res.json()) as { status: number; detail: string };
}

describe('deeply nested JSON', () => {
  it.each([
    ['/auth/login', false],
    ['/auth/register', false],
    ['/auth/password/reset', false],
    ['/posts', true],
    ['/posts/preview', true],
  ])('is refused with 400 on %s', async (path, auth) => {
    // 2,000 levels answered 500 before; routes that carry content also get megabyte-sized nesting.
    for (const depth of auth ? [MAX_JSON_DEPTH + 1, 2_000, 200_000] : [MAX_JSON_DEPTH + 1, 2_000]) {
      const body = `{"email":"a@example.test","password":"p","content":${nested(depth, '"x"')}}`;
      const res = await send(path, body, auth ? { authorization: `Bearer ${token}` } : {});
      expect(res.status).toBe(400);
      expect((await problem(res)).detail).toBe(`The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels.`);
    }
  });

  it('counts only structure: brackets inside strings are text', async () => {
    const content = `${'['.repeat(500)}{"quoted \\" bracket [":1}`;
    const res = await fetch(`${api.url}/api/v1/posts/preview`, bearer(token, json({ content })));
    expect(res.status).toBe(200);
  });
});

describe('JSON with a great many values', () => {
  it.each([
    // Up to just under 1 MB each: bodies like these cost 0.9-2 s of main thread in validation before.
    ['an array', 400_000, (n: number) => `[${Array<string>(n).fill('1').join(',')}]`],
    ['an object', 60_000, (n: number) => `{${Array.from({ length: n }, (_, i) => `"k${i}":1`).join(',')}}`],
    ['an array of objects', 130_000, (n: number) => `[${Array<string>(n).fill('{}').join(',')}]`],
  ])('is refused with 400 where content is allowed: %s', async (_case, most, many) => {
    for (const n of [MAX_JSON_VALUES + 1, most]) {
      for (const body of [`{"content":${many(n)}}`, `{"content":"x","extra":${many(n)}}`]) {
        const res = await send('/posts', body, { authorization: `Bearer ${token}` });
        expect(res.status).toBe(400);
        expect((await problem(res)).detail).toMatch(`more than ${MAX_JSON_VALUES} values`);
      }
    }
  });

  it('a body within the budget reaches validation, which names the field', async () => {
    const res = await send(
      '/posts',
      `{"content":[${Array<string>(MAX_JSON_VALUES - 2)
        .fill('1')
        .join(',')}]}`,
      {
        authorization: `Bearer ${token}`,
      },
    );
    expect(res.status).toBe(400);
    expect(await problem(res)).toMatchObject({ errors: [{ field: 'content' }] });
  });
});

describe('body size', () => {
  it(`routes without user content refuse bodies over ${SMALL_BODY_LIMIT / 1024} KB with 413`, async () => {
    const padding = 'x'.repeat(SMALL_BODY_LIMIT);
    for (const path of ['/auth/login', '/auth/register', '/auth/email/verify', '/auth/password/reset']) {
      const res = await send(path, JSON.stringify({ email: 'a@example.test', password: padding }));
      expect(res.status).toBe(413);
      expect((await problem(res)).detail).toBe('The request body is larger than this server accepts.');
    }
    const form = await fetch(`${api.url}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=password&username=a@example.test&password=${padding}`,
    });
    expect(form.status).toBe(413);
  });

  it('a route refuses an announced oversized body without waiting for it', async () => {
    // Announce 800 KB, send none of it: the answer comes from Content-Length alone.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${api.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(800 * 1024) },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(status).toBe(413);
  });

  it('routes that carry post content accept large bodies', async () => {
    const content = `${'word '.repeat(7_000)}\n\n${'é'.repeat(4_000)}`; // ~43 KB of UTF-8
    const res = await fetch(
      `${api.url}/api/v1/posts/preview`,
      bearer(token, json({ content: content.slice(0, 39_000) })),
    );
    expect(res.status).toBe(200);
  });
});

describe('prototype keys', () => {
  it.each([
    '{"email":"a@example.test","password":"p","__proto__":{"role":"admin"}}',
    '{"email":"a@example.test","password":"p","\\u005f_proto__":{"role":"admin"}}',
    '{"email":"a@example.test","password":"p","constructor":{"prototype":{"role":"admin"}}}',
  ])('are refused by name, not as malformed JSON: %s', async (body) => {
    const res = await send('/auth/login', body);
    expect(res.status).toBe(400);
    expect((await problem(res)).detail).toMatch(/must not contain the keys __proto__ or constructor\.prototype/);
  });
});

describe('NUL (U+0000), which PostgreSQL cannot store', () => {
  const nulProblem = (field: string) => ({
    status: 400,
    errors: [{ field, pointer: `/${field}`, detail: `${field} must not contain the NUL character (U+0000)` }],
  });

  it('is refused with 400 naming the field in post content, created or changed', async () => {
    const created = await fetch(`${api.url}/api/v1/posts`, bearer(token, json({ content: 'Fine' })));
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    for (const [path, method] of [
      ['/posts', 'POST'],
      ['/posts/preview', 'POST'],
      [`/posts/${id}`, 'PATCH'],
    ] as const) {
      const res = await fetch(`${api.url}/api/v1${path}`, bearer(token, { ...json({ content: 'a\u0000b' }), method }));
      expect(res.status).toBe(400);
      expect(await problem(res)).toMatchObject(nulProblem('content'));
    }
    expect(((await (await fetch(`${api.url}/api/v1/posts/${id}`)).json()) as { content: string }).content).toBe('Fine');
  });

  it('is refused in the fields of signed-out routes', async () => {
    for (const [path, body, field] of [
      ['/auth/login', { email: 'a@example.test', password: 'pass\u0000word' }, 'password'],
      [
        '/auth/register',
        { email: 'a@example.test', password: 'Correct-Horse-9', displayName: 'A\u0000' },
        'displayName',
      ],
      ['/auth/password/forgot', { email: 'a\u0000@example.test' }, 'email'],
    ] as const) {
      const res = await send(path, JSON.stringify(body));
      expect(res.status).toBe(400);
      expect(await problem(res)).toMatchObject(nulProblem(field));
    }
  });

  it('is refused in query and path parameters', async () => {
    const query = await fetch(`${api.url}/api/v1/posts?cursor=abc%00def`);
    expect(query.status).toBe(400);
    expect(await problem(query)).toMatchObject(nulProblem('cursor'));
    const path = await fetch(`${api.url}/api/v1/posts/abc%00def`);
    expect(path.status).toBe(400);
    expect(await problem(path)).toMatchObject(nulProblem('id'));
  });

  it('is refused at the token endpoint as invalid_request naming the field', async () => {
    const res = await fetch(`${api.url}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password&username=a%00b%40example.test&password=x',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid_request',
      error_description: 'username must not contain the NUL character (U+0000)',
    });
  });
});

describe('the health probe', () => {
  it('answers while hostile bodies arrive and are refused', async () => {
    const probe = async () => (await fetch(`${api.url}/api/health/live`)).status;
    // Five hostile bodies of 800 KB, each sent but for its last byte: the server holds them all.
    const hostile = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        heldRequest(Number(new URL(api.url).port), {
          method: 'POST',
          path: '/api/v1/posts',
          headers: { authorization: `Bearer ${token}` },
          body: i % 2 ? `{"content":${nested(400_000, '"x"')}}` : `{"a":[${'1,'.repeat(400_000)}1]}`,
        }),
      ),
    );
    const answered: string[] = [];
    const refusals = hostile.map((request) => request.answer.then((answer) => answered.push(answer)));
    for (let i = 0; i < 10; i++) expect(await probe()).toBe(200);
    expect(answered).toEqual([]); // every probe was answered while all five were still arriving

    // And while the five complete at once and are scanned and refused.
    for (const request of hostile) request.finish();
    const probes = await Promise.all(Array.from({ length: 10 }, probe));
    await Promise.all(refusals);
    expect(probes).toEqual(Array.from({ length: 10 }, () => 200));
    expect(answered).toHaveLength(5);
    for (const answer of answered) expect(answer).toMatch(/^HTTP\/1\.1 400 /);
  });
});
