/**
 * GET /api/v1/posts/stream, the live stream (Server-Sent Events), over real HTTP on real
 * PostgreSQL: replica A runs in this process, B is the built server as a process of its own, both on
 * one database. What one replica commits, a stream on the other says; a client that lost its
 * connection resumes with Last-Event-ID and misses nothing; a position too old is told to reload;
 * the caps answer 429; a process stops at once on SIGTERM with streams open.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { freePort } from '../../scripts/lib/embedded-postgres.mjs';
import { pollUntil } from '../../scripts/lib/poll.mjs';
import type { DataSource } from 'typeorm';
import { bearer, json, login, register, verify } from './support/accounts.js';
import { startTestApp, testEnv, type TestApp, useTestApp, withTestApp } from './support/app.js';
import { ChangeEventsService } from '../src/events/change-events.service.js';
import { createScratchDatabase, ensureMigrated, type ScratchDatabase } from './support/database.js';
import { type ServerProcess, startServer, waitForHttp } from './support/server-process.js';
import { type EventStream, openStream, type SseEvent } from './support/sse.js';

const deployment = {
  DEPLOYMENT_NAME: `live-${randomBytes(4).toString('hex')}`,
  JWT_SECRET: randomBytes(32).toString('hex'),
};
const STREAMS = { STREAM_MAX_PER_IP: '3', STREAM_HEARTBEAT_SECONDS: '1' };
const a = useTestApp({ env: { ...deployment, ...STREAMS } });
const processes: ServerProcess[] = [];
const streams: EventStream[] = [];

/** The built API as a process of its own, on the same database. */
async function replica(env: Record<string, string> = {}): Promise<{ url: string; server: ServerProcess }> {
  await ensureMigrated();
  const port = await freePort();
  const server = startServer(testEnv({ ...deployment, ...STREAMS, PORT: String(port), ...env }));
  processes.push(server);
  const url = `http://127.0.0.1:${port}`;
  expect((await waitForHttp(`${url}/api/health/ready`)).status).toBe(200);
  return { url, server };
}

let b: { url: string };
beforeAll(async () => {
  b = await replica();
}, 60_000);
afterEach(() => {
  for (const stream of streams.splice(0)) stream.close();
});
afterAll(async () => {
  for (const server of processes) server.child.kill('SIGKILL');
  await Promise.all(processes.map((server) => server.exited));
});

/** Opens the stream of the API at `base`, closed after the test. */
async function stream(base: string, options: Parameters<typeof openStream>[1] = {}, query = ''): Promise<EventStream> {
  const opened = await openStream(`${base}/api/v1/posts/stream${query}`, options);
  streams.push(opened);
  return opened;
}

/** The one row a query answers. */
async function row<T>(db: DataSource, sql: string, params: unknown[] = []): Promise<T> {
  const [first] = await db.query<T[]>(sql, params);
  if (!first) throw new Error(`no row: ${sql}`);
  return first;
}

const data = (event: SseEvent) => JSON.parse(event.data) as Record<string, unknown>;

interface Writer {
  readonly id: string;
  readonly token: string;
}

async function writer(): Promise<Writer> {
  const account = await register(a.url, { displayName: 'Live Writer' });
  await verify(a.url, account);
  return { id: account.id, token: (await login(a.url, account)).accessToken };
}

async function write(base: string, author: Writer, body: object, method = 'POST', id = ''): Promise<string> {
  const res = await fetch(`${base}/api/v1/posts${id ? `/${id}` : ''}`, bearer(author.token, { ...json(body), method }));
  expect(res.status).toBeLessThan(300);
  return ((await res.json()) as { id: string }).id;
}

/** The events of `author`, from a stream's events so far. */
const of = (author: Writer, events: SseEvent[]) => events.filter((e) => data(e).authorId === author.id);

describe('the live stream', () => {
  it('is GET /api/v1/posts/stream (no post of that path), an event stream that starts with retry and ready', async () => {
    const live = await stream(a.url);
    expect(live.status).toBe(200);
    expect(live.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(live.headers['cache-control']).toBe('no-store');
    expect(live.headers['x-accel-buffering']).toBe('no');
    // As every answer of the API: its request id and the security headers.
    expect(live.headers['x-request-id']).toMatch(/./);
    expect(live.headers['x-content-type-options']).toBe('nosniff');
    expect(live.headers['content-length']).toBeUndefined();

    const ready = await live.next();
    expect(live.items[0]).toEqual({ type: 'retry', value: 3000 });
    expect(ready.event).toBe('ready');
    expect(ready.id).toMatch(/^\d+$/);
    expect(data(ready)).toEqual({ seq: Number(ready.id) });
    const { latest } = await row<{ latest: string | null }>(a.db, 'SELECT max(seq) AS latest FROM change_events');
    expect(Number(ready.id)).toBeLessThanOrEqual(Number(latest ?? 0));

    // The post route still answers the other paths.
    expect((await fetch(`${a.url}/api/v1/posts/streamabcd`)).status).toBe(404);
    const head = await fetch(`${a.url}/api/v1/posts/stream`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  });

  it('says on one replica what was committed through the other, with the change as data', async () => {
    const author = await writer();
    const onB = await stream(b.url);
    const ready = await onB.next();
    const postId = await write(a.url, author, { content: 'Seen on the other replica' });
    const created = await onB.next((e) => data(e).postId === postId);
    expect(created.event).toBe('post.created');
    expect(Number(created.id)).toBeGreaterThan(Number(ready.id));
    expect(data(created)).toEqual({
      seq: Number(created.id),
      kind: 'post.created',
      postId,
      authorId: author.id,
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    await write(a.url, author, { title: 'Renamed' }, 'PATCH', postId);
    expect((await onB.next((e) => data(e).postId === postId)).event).toBe('post.updated');
    expect((await fetch(`${a.url}/api/v1/posts/${postId}`, bearer(author.token, { method: 'DELETE' }))).status).toBe(
      204,
    );
    expect((await onB.next((e) => data(e).postId === postId)).event).toBe('post.removed');
  });

  it('resumes with Last-Event-ID after a dropped connection: exactly what was missed, in order, then live', async () => {
    const author = await writer();
    const first = await stream(a.url);
    await first.next();
    const before = await write(a.url, author, { content: 'Before the drop' });
    const last = await first.next((e) => data(e).postId === before);
    first.close();
    await first.ended;

    // While the client is away: two posts, and a change to one of them.
    const second = await write(a.url, author, { content: 'Missed, first' });
    const third = await write(a.url, author, { content: 'Missed, second' });
    await write(a.url, author, { content: 'Missed, then changed' }, 'PATCH', second);

    // It comes back to the other replica, as a reconnect through the edge may.
    const resumed = await stream(b.url, { headers: { 'last-event-id': last.id! } });
    expect(resumed.status).toBe(200);
    const after = await write(a.url, author, { content: 'Live again' });
    await resumed.next((e) => data(e).postId === after);
    const events = resumed.events();
    expect(events.map((e) => e.event)).not.toContain('ready');
    expect(of(author, events).map((e) => [e.event, data(e).postId])).toEqual([
      ['post.created', second],
      ['post.created', third],
      ['post.updated', second],
      ['post.created', after],
    ]);
    // Everything after the position, nothing at or before it, each change once, in commit order.
    const seqs = events.map((e) => Number(e.id));
    expect(seqs[0]).toBeGreaterThan(Number(last.id));
    expect(seqs).toEqual([...new Set(seqs)].sort((x, y) => x - y));
    expect(events.map((e) => data(e).seq)).toEqual(seqs);
    const { count } = await row<{ count: string }>(
      a.db,
      'SELECT count(*) AS count FROM change_events WHERE seq > $1 AND seq <= $2',
      [last.id, seqs.at(-1)],
    );
    expect(seqs).toHaveLength(Number(count));
  });

  it('takes the position from ?lastEventId= on a first connection, and Last-Event-ID over it', async () => {
    const author = await writer();
    const postId = await write(a.url, author, { content: 'A position to resume from' });
    const { seq } = await row<{ seq: string }>(a.db, `SELECT max(seq) AS seq FROM change_events WHERE post_id = $1`, [
      postId,
    ]);
    const byQuery = await stream(a.url, {}, `?lastEventId=${Number(seq) - 1}`);
    expect(await byQuery.next()).toMatchObject({ id: seq, event: 'post.created' });
    // An EventSource keeps its URL and sends the header when it reconnects: the header wins.
    const both = await stream(a.url, { headers: { 'last-event-id': seq } }, `?lastEventId=${Number(seq) - 1}`);
    // By its first heartbeat it has sent what it would replay: nothing at or before the header's position.
    await both.nextItem((item) => item.type === 'comment');
    expect(both.events().filter((e) => Number(e.id) <= Number(seq))).toEqual([]);
  });

  it('refuses a malformed position with a 400 problem', async () => {
    for (const [headers, query] of [
      [{ 'last-event-id': 'abc' }, ''],
      [{ 'last-event-id': '-1' }, ''],
      [{ 'last-event-id': '1.5' }, ''],
      [{ 'last-event-id': '1234567890123456' }, ''],
      [{}, '?lastEventId=x'],
      [{}, '?lastEventId=1&unknown=2'],
    ] as const) {
      const answer = await stream(a.url, { headers }, query);
      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(await answer.body)).toMatchObject({ status: 400 });
    }
  });

  it('sends a heartbeat comment every STREAM_HEARTBEAT_SECONDS', async () => {
    const live = await stream(a.url);
    await live.next();
    expect(await live.nextItem((item) => item.type === 'comment')).toEqual({ type: 'comment', value: 'heartbeat' });
  });

  it('outlives REQUEST_TIMEOUT_MS, which bounds sending a request, not the answer', async () => {
    await withTestApp({ env: { REQUEST_TIMEOUT_MS: '1000', STREAM_HEARTBEAT_SECONDS: '1' } }, async (quick) => {
      const live = await stream(quick.url);
      await live.next();
      // Three heartbeats: well past the request timeout and Node's checks of it (every 500 ms here).
      await pollUntil('three heartbeats', () => live.items.filter((item) => item.type === 'comment').length >= 3);
      expect(await Promise.race([live.ended.then(() => 'ended'), Promise.resolve('open')])).toBe('open');
      live.close();
    });
  });

  it('writes its access line when the server ends it, at debug level however long it was open', async () => {
    const lines: string[] = [];
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const env = { LOG_LEVEL: 'debug', LOG_SLOW_MS: '1', STREAM_HEARTBEAT_SECONDS: '1' };
    const live = await withTestApp({ logStream, env }, async (logged) => {
      const opened = await stream(logged.url, { headers: { 'x-request-id': 'a-long-stream' } });
      // Open for longer than LOG_SLOW_MS; then the app closes, which ends it.
      await opened.nextItem((item) => item.type === 'comment');
      return opened;
    });
    await live.ended;
    const line = await pollUntil('the access line', () =>
      lines.find((l) => l.includes('"a-long-stream"') && l.includes('request completed')),
    );
    expect(JSON.parse(line)).toMatchObject({ level: 20, res: { statusCode: 200 } });
  });

  it('caps the streams of one client address (as X-Forwarded-For from the trusted proxy says) with a 429', async () => {
    const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
    const open = [];
    for (let i = 0; i < 3; i++) open.push(await stream(a.url, from('203.0.113.71')));
    expect(open.map((s) => s.status)).toEqual([200, 200, 200]);
    const refused = await stream(a.url, from('203.0.113.71'));
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('30');
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(await refused.body)).toMatchObject({ status: 429 });
    // Another address has its own; a closed stream gives its place back.
    expect((await stream(a.url, from('203.0.113.72'))).status).toBe(200);
    open[0]!.close();
    await pollUntil('a closed stream frees its place', async () => {
      const again = await stream(a.url, from('203.0.113.71'));
      again.close();
      return again.status === 200;
    });
    // The gauge of open streams is scraped with the rest.
    const metrics = await (await fetch(`${a.url}/api/metrics`)).text();
    expect(Number(/^live_streams_open (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(3);
  });

  it('caps the streams of one process with a 429', async () => {
    await withTestApp({ env: { STREAM_MAX_CONNECTIONS: '1' } }, async (full) => {
      const held = await stream(full.url);
      expect(held.status).toBe(200);
      const refused = await stream(full.url, { headers: { 'x-forwarded-for': '198.51.100.9' } });
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('5');
      held.close();
    });
  });

  it("reaches a browser through npm start's origin (web/proxy.config.mjs) as it happens, not when it ends", async () => {
    // The proxy `nuxt dev` and web/serve.mjs put in front of the API, in a plain server.
    const proxyModule = '../../web/proxy.config.mjs';
    const { createProxy } = (await import(proxyModule)) as {
      createProxy: (env: Record<string, string>) => (req: unknown, res: unknown) => boolean;
    };
    const proxy = createProxy({ NUELL_API_URL: a.url, NUELL_ADMIN_URL: a.url });
    const origin: Server = createServer((req, res) => {
      if (!proxy(req, res)) res.end('app');
    });
    await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
    try {
      const author = await writer();
      const live = await stream(`http://127.0.0.1:${(origin.address() as AddressInfo).port}`);
      expect(live.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      await live.next((e) => e.event === 'ready');
      const postId = await write(a.url, author, { content: 'Through the local origin' });
      expect((await live.next((e) => data(e).postId === postId)).event).toBe('post.created');
      expect(await Promise.race([live.ended.then(() => 'ended'), Promise.resolve('open')])).toBe('open');
      live.close();
    } finally {
      origin.closeAllConnections();
      await new Promise((resolve) => origin.close(resolve));
    }
  });
});

/** Cuts the app's listening connection and waits until it is back (its reset listeners have run). */
async function cutListener(app: TestApp): Promise<void> {
  const back = new Promise<void>((resolve) => {
    const stop = app.app.get(ChangeEventsService).onReset(() => {
      stop();
      resolve();
    });
  });
  await app.db.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE application_name = 'nuell change events' AND datname = current_database()`,
  );
  await back;
}

describe('the live stream, on a database of its own', () => {
  let scratch: ScratchDatabase;
  let own: TestApp;
  beforeAll(async () => {
    scratch = await createScratchDatabase('live', { migrated: true });
    own = await startTestApp({ env: { DATABASE_URL: scratch.url } });
  }, 60_000);
  afterAll(async () => {
    await own.close();
    await scratch.drop();
  });

  /** A change readers see: an author's profile changed (the trigger announces it). */
  const change = async (userId: string, bio: string) => {
    await own.db.query('UPDATE users SET bio = $2 WHERE id = $1', [userId, bio]);
  };

  /** An account with a published post: the public hears of its changes. */
  const author = async (): Promise<{ id: string }> => {
    const { id } = await register(own.url);
    await own.db.query(
      `INSERT INTO posts (id, author_id, status, published_at, content, content_html, excerpt, word_count,
                          reading_time_minutes)
       VALUES (gen_random_uuid(), $1, 'published', now(), 'Hello', '<p>Hello</p>', 'Hello', 1, 1)`,
      [id],
    );
    return { id };
  };

  it('tells a client whose position is older than the changes kept, or unknown, to reload (reset)', async () => {
    const { id } = await author();
    for (const bio of ['one', 'two', 'three']) await change(id, bio);
    const { latest } = await row<{ latest: string }>(own.db, 'SELECT max(seq) AS latest FROM change_events');
    const kept = Number(latest);
    // The oldest changes are deleted, as the service does after 24 hours.
    await own.db.query('DELETE FROM change_events WHERE seq < $1', [kept - 1]);

    const tooOld = await stream(own.url, { headers: { 'last-event-id': String(kept - 3) } });
    expect(await tooOld.next()).toEqual({ id: String(kept), event: 'reset', data: JSON.stringify({ seq: kept }) });
    // Then live from there.
    await change(id, 'four');
    expect(await tooOld.next()).toMatchObject({ id: String(kept + 1), event: 'author.updated' });

    // The position just before the oldest kept is still complete.
    const edge = await stream(own.url, { headers: { 'last-event-id': String(kept - 2) } });
    expect((await edge.next()).id).toBe(String(kept - 1));
    const ahead = await stream(own.url, { headers: { 'last-event-id': String(kept + 100) } });
    expect(await ahead.next()).toMatchObject({ event: 'reset', id: String(kept + 1) });
  });

  it('catches up after the process lost its listening connection, missing nothing and repeating nothing', async () => {
    const { id } = await author();
    const live = await stream(own.url);
    const ready = await live.next();
    await change(id, 'heard live');
    await live.next((e) => e.event === 'author.updated');
    // Changes committed while the listener is gone (ended in the same transaction) reach it by no NOTIFY.
    await own.db.transaction(async (manager) => {
      await manager.query('UPDATE users SET bio = $2 WHERE id = $1', [id, 'while away']);
      await manager.query(
        `SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity
          WHERE application_name = 'nuell change events' AND datname = current_database()`,
      );
      await manager.query('UPDATE users SET display_name = $2 WHERE id = $1', [id, 'Renamed Away']);
    });
    await change(id, 'after');
    const { latest } = await row<{ latest: string }>(own.db, 'SELECT max(seq) AS latest FROM change_events');
    await live.next((e) => e.id === latest);
    const seqs = live.events().map((e) => Number(e.id));
    const expected = Array.from({ length: Number(latest) - Number(ready.id) + 1 }, (_, i) => Number(ready.id) + i);
    expect(seqs).toEqual(expected);
  });

  it('keeps the position of a client that resumed at the latest change, so a lost listener costs it nothing', async () => {
    const { id } = await author();
    await change(id, 'latest');
    const { latest } = await row<{ latest: string }>(own.db, 'SELECT max(seq) AS latest FROM change_events');
    const resumed = await stream(own.url, { headers: { 'last-event-id': latest } });
    // Once the listener is back, the next change is the first thing the client hears: no reset, no replay.
    await cutListener(own);
    await change(id, 'next');
    expect(await resumed.next()).toMatchObject({ id: String(Number(latest) + 1), event: 'author.updated' });
  });

  it("leaves out accounts that have nothing public: their renames and suspensions are nobody's news", async () => {
    const quiet = await register(own.url);
    const { id } = await author();
    const live = await stream(own.url);
    await live.next();
    await change(quiet.id, 'nothing published');
    await own.db.query('UPDATE users SET is_active = false WHERE id = $1', [quiet.id]);
    await change(id, 'published once');
    expect(await live.next()).toMatchObject({ event: 'author.updated' });
    expect(live.events().map((e) => data(e).authorId ?? null)).not.toContain(quiet.id);
    // A resume from the table leaves them out too.
    const ready = Number(live.events()[0]!.id);
    const resumed = await stream(own.url, { headers: { 'last-event-id': String(ready) } });
    expect((await resumed.next()).id).toBe(live.events()[1]!.id);
    expect(resumed.events().map((e) => data(e).authorId)).toEqual([id]);
  });
});

describe('the live stream on shutdown', () => {
  it('ends at once on SIGTERM, so that the process exits without waiting for its clients', async () => {
    const { url, server } = await replica({ SHUTDOWN_TIMEOUT_MS: '10000' });
    const live = await stream(url);
    await live.next();
    server.child.kill('SIGTERM');
    await live.ended;
    // Not the forced exit (1) after SHUTDOWN_TIMEOUT_MS.
    expect(await server.exited).toBe(0);
    expect(server.stderr()).not.toMatch(/forcing exit/);
  });
});
