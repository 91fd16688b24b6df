import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { pollUntil } from '../../scripts/lib/poll.mjs';
import { useTestApp, withTestApp } from './support/app.js';
import { ProbeModule } from './support/probe.module.js';

const PROBLEM = /^application\/problem\+json/;
const logLines: string[] = [];
/** The access-log line of the request with this id: written once its answer has gone, so waited for. */
const accessLine = (id: string) =>
  pollUntil(`the access-log line of ${id}`, () =>
    logLines.find((l) => l.includes(`"${id}"`) && l.includes('request completed')),
  );
const logStream = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logLines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  },
});

/** Answers this slow or slower have their access line at warn level, the others at debug. */
const SLOW_MS = 250;
const api = useTestApp({
  extraModules: [ProbeModule],
  logStream,
  env: {
    LOG_LEVEL: 'debug',
    LOG_SLOW_MS: String(SLOW_MS),
    BODY_LIMIT_BYTES: '2048',
    CORS_ORIGINS: 'https://app.example',
  },
});

function post(body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  return fetch(`${api.url}/api/v1/probe`, { method: 'POST', headers, body });
}

async function problemOf(res: Response) {
  expect(res.headers.get('content-type')).toMatch(PROBLEM);
  return (await res.json()) as Record<string, unknown>;
}

describe('the pipeline accepts good input', () => {
  it('echoes a valid body under /api/v1', async () => {
    const res = await post(JSON.stringify({ name: 'Ada', age: 36, address: { city: 'London' } }));
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ name: 'Ada', age: 36, address: { city: 'London' } });
  });
});

describe('errors are RFC 9457 problem details', () => {
  it('404 for an unknown route', async () => {
    const res = await fetch(`${api.url}/api/v1/nothing-here?x=1`);
    expect(res.status).toBe(404);
    expect(await problemOf(res)).toMatchObject({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      instance: '/api/v1/nothing-here',
    });
  });

  it('405 with Allow for a method a known path does not support', async () => {
    for (const [method, path, allow] of [
      ['PUT', '/api/v1/posts', 'GET, HEAD, POST'],
      ['DELETE', '/api/v1/auth/login', 'POST'],
      ['PUT', '/api/v1/posts/019a9b01-7c2d-7e3f-8a41-6b7c8d9e0f12', 'DELETE, GET, HEAD, PATCH'],
      ['POST', '/api/health/live', 'GET, HEAD'],
      // A path of its own is not an id for the parametric route beside it (/posts/:id).
      ['PATCH', '/api/v1/posts/preview', 'POST'],
      ['GET', '/api/v1/posts/preview', 'POST'],
      // Decided before the body is read: QUERY requires a Content-Type, a form is not JSON.
      ['QUERY', '/api/v1/users/me', 'DELETE, GET, HEAD, PATCH'],
      ['PUT', '/api/v1/auth/token', 'POST'],
    ] as const) {
      const form = { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password' };
      const res = await fetch(`${api.url}${path}`, { method, ...(['PATCH', 'PUT'].includes(method) ? form : {}) });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe(allow);
      expect(await problemOf(res)).toMatchObject({ title: 'Method Not Allowed', status: 405, instance: path });
    }
    // A path that does not exist at all stays a 404, whatever the method.
    expect((await fetch(`${api.url}/api/v1/postz`, { method: 'PUT' })).status).toBe(404);
    expect((await fetch(`${api.url}/api/v1/postz`, { method: 'QUERY' })).status).toBe(404);
  });

  it('400 and 414 as problem details for a URL the router cannot take', async () => {
    for (const [path, status, detail] of [
      ['/api/v1/posts/%zz', 400, /percent sign/],
      [`/api/v1/users/${'a'.repeat(101)}`, 414, /longer than this API accepts/],
    ] as const) {
      const res = await fetch(`${api.url}${path}`);
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await problemOf(res)).toMatchObject({ status, detail: expect.stringMatching(detail), instance: path });
    }
  });

  it('431 as problem details for headers over 16 KB', async () => {
    const res = await fetch(`${api.url}/api/health/live`, { headers: { 'x-padding': 'x'.repeat(20_000) } });
    expect(res.status).toBe(431);
    expect(await problemOf(res)).toMatchObject({
      title: 'Request Header Fields Too Large',
      status: 431,
      detail: 'The request headers are larger than this server accepts (16 KB).',
    });
  });

  it('408 as problem details for a client that does not finish its request in REQUEST_TIMEOUT_MS', async () => {
    await withTestApp({ env: { REQUEST_TIMEOUT_MS: '1000' } }, async (slow) => {
      const { port } = new URL(slow.url);
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: Number(port) }, () => {
          // Announces a body and never sends it.
          socket.write(
            'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n',
          );
        });
        let received = '';
        socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
        socket.on('close', () => {
          resolve(received);
        });
        socket.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(answer).toMatch(/Content-Type: application\/problem\+json/i);
      expect(answer).toContain('"status":408');
    });
  });

  it('400 with a per-field errors list for invalid fields, nested ones included', async () => {
    const res = await post(JSON.stringify({ name: '', age: -1, address: { city: 7 } }));
    expect(res.status).toBe(400);
    const body = await problemOf(res);
    expect(body).toMatchObject({ title: 'Bad Request', status: 400 });
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { field: 'name', pointer: '/name', detail: expect.stringContaining('name') },
        { field: 'age', pointer: '/age', detail: expect.stringContaining('age') },
        { field: 'address.city', pointer: '/address/city', detail: expect.stringContaining('city') },
      ]),
    );
  });

  it('400 naming an unknown field (no mass assignment)', async () => {
    const res = await post(JSON.stringify({ name: 'Ada', age: 36, role: 'admin' }));
    expect(res.status).toBe(400);
    const body = await problemOf(res);
    expect(body.errors).toEqual([{ field: 'role', pointer: '/role', detail: 'property role should not exist' }]);
  });

  it('400 for a body that is JSON but not an object', async () => {
    const res = await post('"just a string"');
    expect(res.status).toBe(400);
    expect(await problemOf(res)).toMatchObject({ status: 400 });
  });

  it('400 for malformed JSON', async () => {
    const res = await post('{"name": "Ada", ');
    expect(res.status).toBe(400);
    expect(await problemOf(res)).toMatchObject({ status: 400, detail: 'The request body is not valid JSON.' });
  });

  it('413 for a body over the configured limit', async () => {
    const res = await post(JSON.stringify({ name: 'x'.repeat(4096), age: 1 }));
    expect(res.status).toBe(413);
    expect(await problemOf(res)).toMatchObject({ title: 'Payload Too Large', status: 413 });
  });

  it('415 for a body that is not JSON', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const res = await post('name=Ada&age=36', { 'content-type': type });
      expect(res.status).toBe(415);
      expect(await problemOf(res)).toMatchObject({ title: 'Unsupported Media Type', status: 415 });
    }
  });

  it('500 that leaks nothing, logged with its stack', async () => {
    const res = await fetch(`${api.url}/api/v1/probe/boom`, { headers: { 'x-request-id': 'boom-1' } });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toMatch(/secret|hunter2|postgres|at \w+ \(/);
    expect(JSON.parse(text)).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred. It has been logged.',
      instance: '/api/v1/probe/boom',
      requestId: 'boom-1',
    });
    const logged = logLines.map((l) => JSON.parse(l) as Record<string, any>).find((l) => l.reqId === 'boom-1');
    expect(logged?.level).toBe(50);
    expect(logged?.err?.stack).toMatch(/secret internals/);
    // Its access line is an error too, whatever the level of the others.
    expect(JSON.parse(await accessLine('boom-1'))).toMatchObject({ level: 50, res: { statusCode: 500 } });
  });
});

describe('the access log', () => {
  it('has one line per answer with what finds it, and no header', async () => {
    const res = await fetch(`${api.url}/api/v1/nothing-here?page=2`, {
      headers: { 'x-request-id': 'access-1', authorization: 'Bearer secret-token-value', 'user-agent': 'probe/1.0' },
    });
    expect(res.status).toBe(404);
    await res.arrayBuffer();
    const line = await accessLine('access-1');
    expect(line).not.toContain('secret-token-value');
    const fields = JSON.parse(line) as { responseTime: number };
    expect(fields).toMatchObject({
      msg: 'request completed',
      req: { id: 'access-1', method: 'GET', url: '/api/v1/nothing-here?page=2', userAgent: 'probe/1.0' },
      res: { statusCode: 404 },
      responseTime: expect.any(Number),
      // debug: a 4xx is no error of the API's (unless it was slow to say so).
      level: fields.responseTime >= SLOW_MS ? 40 : 20,
    });
  });

  it('writes a slow answer at warn level', async () => {
    const res = await fetch(`${api.url}/api/v1/probe/slow?ms=${2 * SLOW_MS}`, {
      headers: { 'x-request-id': 'slow-1' },
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(await accessLine('slow-1'))).toMatchObject({
      level: 40,
      req: { id: 'slow-1', url: `/api/v1/probe/slow?ms=${2 * SLOW_MS}` },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
    });
  });

  it('at the default level (info), leaves out the answers that are neither 5xx nor slow', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    await withTestApp(
      { extraModules: [ProbeModule], logStream: stream, env: { LOG_LEVEL: 'info', LOG_SLOW_MS: String(SLOW_MS) } },
      async (app) => {
        const get = (path: string, id: string) => fetch(`${app.url}${path}`, { headers: { 'x-request-id': id } });
        for (const [path, id] of [
          ['/api/v1/nothing', 'quiet-404'],
          ['/api/v1/probe/boom', 'quiet-500'],
          ['/api/v1/probe-private', 'quiet-401'],
          [`/api/v1/probe/slow?ms=${2 * SLOW_MS}`, 'quiet-slow'],
        ] as const) {
          await (await get(path, id)).arrayBuffer();
        }
        // Lines are written in the order answers complete: the slow one's is the last.
        const accessLines = () =>
          lines
            .map((l) => JSON.parse(l) as { level: number; msg: string; req?: { id: string }; responseTime: number })
            .filter((l) => l.msg === 'request completed');
        await pollUntil('the slow answer logged', () => accessLines().some((l) => l.req?.id === 'quiet-slow'));
        const levels = Object.fromEntries(accessLines().map((l) => [l.req?.id, l.level]));
        expect(levels['quiet-500']).toBe(50);
        expect(levels['quiet-slow']).toBe(40);
        // A fast 4xx has no line; one that happened to be slow would be a warning.
        for (const line of accessLines().filter((l) => l.req?.id === 'quiet-404' || l.req?.id === 'quiet-401')) {
          expect(line.responseTime).toBeGreaterThanOrEqual(SLOW_MS);
          expect(line.level).toBe(40);
        }
      },
    );
  });
});

describe('request ids', () => {
  it('honours and echoes an incoming X-Request-Id', async () => {
    const res = await fetch(`${api.url}/api/v1/nothing`, { headers: { 'x-request-id': 'trace-42' } });
    expect(res.headers.get('x-request-id')).toBe('trace-42');
    expect(((await res.json()) as { requestId: string }).requestId).toBe('trace-42');
  });

  it('replaces an unacceptable one with a fresh UUID', async () => {
    const res = await fetch(`${api.url}/api/health/live`, { headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('logs', () => {
  it('record one line per request, but none for health probes', async () => {
    await fetch(`${api.url}/api/health/live`, { headers: { 'x-request-id': 'probe-1' } });
    await fetch(`${api.url}/api/v1/nothing`, { headers: { 'x-request-id': 'request-1' } });
    // Lines are written in the order answers complete: once the later request's is there, the
    // probe's would be too.
    await accessLine('request-1');
    const ids = logLines.map((l) => (JSON.parse(l) as { req?: { id?: string } }).req?.id);
    expect(ids).not.toContain('probe-1');
  });

  it('never contain credentials or cookies', async () => {
    await fetch(`${api.url}/api/v1/probe`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer very-secret-token',
        cookie: 'refresh=very-secret-cookie',
        'x-request-id': 'redact-1',
      },
      body: JSON.stringify({ name: 'Ada', age: 1, password: 'very-secret-password' }),
    });
    await accessLine('redact-1');
    expect(logLines.join('\n')).not.toMatch(/very-secret/);
  });
});

describe('headers', () => {
  it('sets security headers on answers and errors, and no X-Powered-By', async () => {
    for (const path of ['/api/health/live', '/api/v1/missing']) {
      const res = await fetch(`${api.url}${path}`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('allows exactly the configured CORS origins', async () => {
    const allowed = await fetch(`${api.url}/api/health/live`, { headers: { origin: 'https://app.example' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(allowed.headers.get('vary')).toMatch(/Origin/i);

    for (const origin of ['https://evil.example', 'null', 'https://app.example.evil.example']) {
      const res = await fetch(`${api.url}/api/health/live`, { headers: { origin } });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});

describe('in production', () => {
  it('sends HSTS for at least a year, errors included', async () => {
    await withTestApp({ env: { NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:1' } }, async (production) => {
      for (const path of ['/api/health/live', '/api/v1/missing']) {
        const hsts = (await fetch(`${production.url}${path}`)).headers.get('strict-transport-security') ?? '';
        expect(Number(/max-age=(\d+)/.exec(hsts)?.[1])).toBeGreaterThanOrEqual(31_536_000);
      }
    });
  });

  it('does not send HSTS on plain-http development', async () => {
    expect((await fetch(`${api.url}/api/health/live`)).headers.get('strict-transport-security')).toBeNull();
  });
});
