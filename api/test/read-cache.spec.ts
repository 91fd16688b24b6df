/**
 * The read cache and conditional reads (docs/api.md, "Caching"), over real HTTP on real
 * PostgreSQL: replica A runs in this process, B is the built server as a process of its own, both
 * on one database with the cache on. Anonymous reads are answered from memory with the headers the
 * route sends; ETag and If-None-Match give 304 until the answer changes; signed-in readers always
 * read their own change; drafts and hidden posts are never kept; and a change committed through
 * one replica reaches the other's cache within 1 s (the product's bound; the test polls every
 * 20 ms and asserts nothing about speed below it).
 */
import { randomBytes } from 'node:crypto';
import { freePort } from '../../scripts/lib/embedded-postgres.mjs';
import { pollUntil } from '../../scripts/lib/poll.mjs';
import { OperatorAccountService } from '../src/auth/operator-account.service.js';
import { PostsService } from '../src/posts/posts.service.js';
import { ReadCache } from '../src/read-cache/read-cache.service.js';
import { bearer, json, login, register, WEB_ORIGIN } from './support/accounts.js';
import { startTestApp, testEnv, type TestApp } from './support/app.js';
import { createScratchDatabase, type ScratchDatabase } from './support/database.js';
import { type ServerProcess, startServer, waitForHttp } from './support/server-process.js';

const deployment = {
  DEPLOYMENT_NAME: `cache-${randomBytes(4).toString('hex')}`,
  JWT_SECRET: randomBytes(32).toString('hex'),
  READ_CACHE: 'on',
  REQUIRE_VERIFIED_EMAIL: 'false',
  CORS_ORIGINS: WEB_ORIGIN,
};
// A database of their own: the changes of other test files, run meanwhile, would drop the feeds
// these tests keep (as they should), and what is kept could not be counted on.
let scratch: ScratchDatabase;
let a: TestApp;
let b: string;
const processes: ServerProcess[] = [];

beforeAll(async () => {
  scratch = await createScratchDatabase('cache', { migrated: true });
  const env = { ...deployment, DATABASE_URL: scratch.url };
  a = await startTestApp({ env });
  const port = await freePort();
  processes.push(startServer(testEnv({ ...env, PORT: String(port) })));
  b = `http://127.0.0.1:${port}`;
  expect((await waitForHttp(`${b}/api/health/ready`)).status).toBe(200);
}, 60_000);
afterAll(async () => {
  for (const server of processes) server.child.kill('SIGKILL');
  await Promise.all(processes.map((server) => server.exited));
  await a.close();
  await scratch.drop();
});

interface Writer {
  readonly id: string;
  readonly token: string;
}

async function writer(displayName = 'Cache Writer'): Promise<Writer> {
  const account = await register(a.url, { displayName });
  return { id: account.id, token: (await login(a.url, account)).accessToken };
}

type Post = { id: string; shortId: string; path: string; title: string | null; author: { displayName: string } };

async function publish(author: Writer, body: object = {}, base = a.url): Promise<Post> {
  const res = await fetch(
    `${base}/api/v1/posts`,
    bearer(author.token, json({ content: `Cached ${randomBytes(4).toString('hex')}`, ...body })),
  );
  if (res.status !== 201) throw new Error(`publish answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Post;
}

const get = (base: string, path: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/v1${path}`, { headers });

/** The ids of a feed page, read anonymously. */
async function ids(base: string, query = ''): Promise<string[]> {
  const res = await get(base, `/posts${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: { id: string }[] }).items.map((item) => item.id);
}

/** The read cache's lookups of a route so far, by result, as the replica's metrics count them. */
async function lookups(base: string, route: string): Promise<Record<'hit' | 'miss' | 'bypass', number>> {
  const text = await (await fetch(`${base}/api/metrics`)).text();
  const count = (result: string) =>
    Number(
      new RegExp(`^read_cache_lookups_total\\{route="${route}",result="${result}"\\} (\\d+)$`, 'm').exec(text)?.[1] ??
        0,
    );
  return { hit: count('hit'), miss: count('miss'), bypass: count('bypass') };
}

/** Reads `path` on `base` until it is as `done` says, and how long after `since` that was. */
async function within(base: string, path: string, since: number, done: (res: Response, body: string) => boolean) {
  await pollUntil(
    `${path} on ${base}`,
    async () => {
      const res = await get(base, path);
      return done(res, await res.text());
    },
    { intervalMs: 20, timeoutMs: 5_000 },
  );
  return Date.now() - since;
}

describe('anonymous reads from memory', () => {
  it('answer a read again from memory, with the headers and body the route sent', async () => {
    const author = await writer();
    const post = await publish(author);
    for (const path of [
      '/posts',
      `/posts?author=${author.id}&limit=5`,
      `/posts/${post.shortId}`,
      `/users/${author.id}`,
    ]) {
      const route = path.startsWith('/users')
        ? 'profile'
        : path.startsWith('/posts?') || path === '/posts'
          ? 'feed'
          : 'post';
      const before = await lookups(a.url, route);
      const first = await get(a.url, path, { origin: WEB_ORIGIN });
      const second = await get(a.url, path, { origin: WEB_ORIGIN });
      const after = await lookups(a.url, route);
      expect([after.miss - before.miss, after.hit - before.hit]).toEqual([1, 1]);

      expect(second.status).toBe(200);
      expect(await second.text()).toBe(await first.text());
      const headers = (res: Response) => {
        const all = Object.fromEntries(res.headers);
        delete all.date;
        delete all['x-request-id'];
        return all;
      };
      expect(headers(second)).toEqual(headers(first));
      // Each answer its own request id, as every answer of the API.
      expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
      expect(second.headers.get('x-request-id')).toMatch(/./);
      // What the hooks before the cache add: security headers and CORS.
      expect(second.headers.get('x-content-type-options')).toBe('nosniff');
      expect(second.headers.get('access-control-allow-origin')).toBe(WEB_ORIGIN);
      expect(second.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(second.headers.get('cache-control')).toBe('public, no-cache');
      expect(second.headers.get('etag')).toMatch(/^"[^"]+"$/);
    }
  });

  it('keeps only reads the route answers one way: signed-in, malformed and unknown shapes go through', async () => {
    const author = await writer();
    await publish(author);
    const before = await lookups(a.url, 'feed');
    expect((await get(a.url, '/posts', { authorization: `Bearer ${author.token}` })).status).toBe(200);
    expect((await get(a.url, '/posts?limit=020')).status).toBe(200);
    expect((await get(a.url, '/posts?limit=0')).status).toBe(400);
    expect((await get(a.url, '/posts?limit=0')).status).toBe(400);
    expect((await get(a.url, '/posts?sort=x')).status).toBe(400);
    expect((await get(a.url, '/posts?sort=x')).status).toBe(400);
    expect((await get(a.url, `/posts?author=${author.id.toUpperCase()}`)).status).toBe(200);
    const after = await lookups(a.url, 'feed');
    expect(after.hit - before.hit).toBe(0);
    expect(after.bypass - before.bypass).toBe(7);
    // A 404 is not kept: the post may appear.
    expect((await get(a.url, '/posts/abcdefghij')).status).toBe(404);
    expect((await get(a.url, `/users/${randomUUIDLike()}`)).status).toBe(404);
  });

  it('keeps the first pages of a feed, not the ones a crawler reads deep down', async () => {
    const author = await writer();
    for (let i = 0; i < 4; i++) await publish(author);
    const cursors: (string | null)[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 4; page++) {
      const res = await get(a.url, `/posts?author=${author.id}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      cursor = ((await res.json()) as { nextCursor: string | null }).nextCursor;
      cursors.push(cursor);
    }
    const before = await lookups(a.url, 'feed');
    let again: string | null = null;
    for (let page = 0; page < 4; page++) {
      await get(a.url, `/posts?author=${author.id}&limit=1${again ? `&cursor=${again}` : ''}`).then((r) => r.json());
      again = cursors[page] ?? null;
    }
    const after = await lookups(a.url, 'feed');
    expect([after.hit - before.hit, after.bypass - before.bypass]).toEqual([3, 1]);
  });
});

/** A UUID no account has. */
function randomUUIDLike(): string {
  const hex = randomBytes(16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}

describe('conditional reads', () => {
  /** The read, then the same with If-None-Match naming its ETag. */
  async function revalidate(base: string, path: string, headers: Record<string, string> = {}) {
    const first = await get(base, path, headers);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag') as string;
    const again = await get(base, path, { ...headers, 'if-none-match': etag });
    return { etag, again };
  }

  it.each([
    ['anonymous', false],
    ['signed in', true],
  ])(
    'answer 304 while the feed, a post and a profile are unchanged, and 200 once they change (%s)',
    async (_who, signed) => {
      const author = await writer(`Conditional ${randomBytes(3).toString('hex')}`);
      const post = await publish(author, { title: 'First title' });
      const auth: Record<string, string> = signed ? { authorization: `Bearer ${author.token}` } : {};

      for (const path of [`/posts?author=${author.id}`, '/posts', `/posts/${post.id}`, `/users/${author.id}`]) {
        const { etag, again } = await revalidate(a.url, path, auth);
        expect(again.status).toBe(304);
        expect(await again.text()).toBe('');
        expect(again.headers.get('etag')).toBe(etag);
        expect(again.headers.get('cache-control')).toBe('public, no-cache');
        // Weak comparison, and a list of tags, as browsers and proxies send them.
        expect((await get(a.url, path, { ...auth, 'if-none-match': `"x", W/${etag}` })).status).toBe(304);
        expect((await get(a.url, path, { ...auth, 'if-none-match': '"something else"' })).status).toBe(200);
      }
      const { etag: postTag } = await revalidate(a.url, `/posts/${post.id}`, auth);
      expect(postTag).toBe('"1"'); // a post's ETag is still its version (If-Match)
      const feedTags = await Promise.all(
        [`/posts?author=${author.id}`, `/users/${author.id}`].map(
          async (path) => (await revalidate(a.url, path, auth)).etag,
        ),
      );

      const edit = await fetch(
        `${a.url}/api/v1/posts/${post.id}`,
        bearer(author.token, { ...json({ title: 'Second' }), method: 'PATCH' }),
      );
      expect(edit.status).toBe(200);
      const changed = await get(a.url, `/posts/${post.id}`, { ...auth, 'if-none-match': postTag });
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).toBe('"2"');
      expect(((await changed.json()) as Post).title).toBe('Second');
      for (const [i, path] of [`/posts?author=${author.id}`, `/users/${author.id}`].entries()) {
        await publish(author); // the page and the count change
        const res = await get(a.url, path, { ...auth, 'if-none-match': feedTags[i] as string });
        expect(res.status).toBe(200);
        expect(res.headers.get('etag')).not.toBe(feedTags[i]);
      }
    },
  );

  it("answer a post's version with the whole post once its author renamed themselves (the name is in it)", async () => {
    const author = await writer('Before Rename');
    const post = await publish(author);
    const { etag, again } = await revalidate(a.url, `/posts/${post.id}`);
    expect(again.status).toBe(304);
    const renamed = await fetch(
      `${a.url}/api/v1/users/me`,
      bearer(author.token, { ...json({ displayName: 'After Rename' }), method: 'PATCH' }),
    );
    expect(renamed.status).toBe(200);
    const res = await get(a.url, `/posts/${post.id}`, { 'if-none-match': etag });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(etag);
    expect(((await res.json()) as Post).author.displayName).toBe('After Rename');
    // Once the post itself changes, its new version covers the new name.
    await fetch(
      `${a.url}/api/v1/posts/${post.id}`,
      bearer(author.token, { ...json({ title: 'Edited' }), method: 'PATCH' }),
    );
    expect((await revalidate(a.url, `/posts/${post.id}`)).again.status).toBe(304);
  });
});

describe('what the cache never keeps', () => {
  it('lets a signed-in author read their edit at once, and an anonymous reader of this replica too', async () => {
    const author = await writer();
    const post = await publish(author, { title: 'Old title' });
    for (let i = 0; i < 2; i++) expect((await get(a.url, `/posts/${post.id}`)).status).toBe(200); // kept
    const res = await fetch(
      `${a.url}/api/v1/posts/${post.id}`,
      bearer(author.token, { ...json({ title: 'New title' }), method: 'PATCH' }),
    );
    expect(res.status).toBe(200);
    const own = await get(a.url, `/posts/${post.id}`, { authorization: `Bearer ${author.token}` });
    expect(((await own.json()) as Post).title).toBe('New title');
    expect(((await (await get(a.url, `/posts/${post.id}`)).json()) as Post).title).toBe('New title');
  });

  it('never answers a draft or a hidden post to anyone else, whoever read it before', async () => {
    const author = await writer();
    const auth = { authorization: `Bearer ${author.token}` };
    const draft = await publish(author, { status: 'draft' });
    for (let i = 0; i < 2; i++) {
      const own = await get(a.url, `/posts/${draft.id}`, auth);
      expect(own.status).toBe(200);
      expect(own.headers.get('cache-control')).toBe('private, no-store');
      expect((await get(a.url, `/posts/${draft.id}`)).status).toBe(404);
      expect((await get(a.url, `/posts/${draft.shortId}`)).status).toBe(404);
    }
    // Its 304 is for no one either: If-None-Match gets the whole draft, never kept.
    expect((await get(a.url, `/posts/${draft.id}`, { ...auth, 'if-none-match': '"1"' })).status).toBe(200);

    const post = await publish(author);
    for (let i = 0; i < 2; i++) expect((await get(a.url, `/posts/${post.id}`)).status).toBe(200);
    const operator = await writer('Operator');
    const hiding = Date.now();
    await a.app.get(PostsService).hide(operator.id, post.id, 'Off-topic'); // as the control panel hides
    const elapsed = await within(a.url, `/posts/${post.id}`, hiding, (res) => res.status === 404);
    expect(elapsed).toBeLessThan(1_000);
    for (let i = 0; i < 2; i++) {
      const own = await get(a.url, `/posts/${post.id}`, auth);
      expect(own.status).toBe(200);
      expect(own.headers.get('cache-control')).toBe('private, no-store');
      expect((await get(a.url, `/posts/${post.id}`)).status).toBe(404);
    }
  });
});

describe('two replicas', () => {
  /** Reads it on B until B keeps it (a hit), so that what follows tests a drop, not a first read. */
  async function keptOnB(path: string, route: string) {
    await get(b, path).then((r) => r.arrayBuffer());
    const before = await lookups(b, route);
    await get(b, path).then((r) => r.arrayBuffer());
    expect((await lookups(b, route)).hit - before.hit).toBe(1);
  }

  it("show a post created through A in B's kept feed within 1 s of its commit, and take it out as fast", async () => {
    const author = await writer();
    await keptOnB('/posts', 'feed');
    await keptOnB(`/posts?author=${author.id}`, 'feed');

    const writing = Date.now(); // before the commit: what is measured is at least commit-to-visible
    const post = await publish(author);
    expect(await within(b, '/posts', writing, (_res, body) => body.includes(post.id))).toBeLessThan(1_000);
    expect(await ids(b, `?author=${author.id}`)).toEqual([post.id]);

    await keptOnB(`/posts/${post.id}`, 'post');
    const hiding = Date.now();
    await a.app.get(PostsService).hide(author.id, post.id, 'Spam'); // as the control panel hides, on A's side
    expect(await within(b, `/posts/${post.id}`, hiding, (res) => res.status === 404)).toBeLessThan(1_000);
    expect(await within(b, '/posts', hiding, (_res, body) => !body.includes(post.id))).toBeLessThan(1_000);
  });

  it("take a suspended author's posts, page and name out of B's cache within 1 s", async () => {
    const author = await writer(`Soon Suspended ${randomBytes(3).toString('hex')}`);
    const posts = [await publish(author), await publish(author)];
    await keptOnB('/posts', 'feed');
    await keptOnB(`/posts?author=${author.id}`, 'feed');
    await keptOnB(`/posts/${posts[0]!.id}`, 'post');
    await keptOnB(`/users/${author.id}`, 'profile');

    const suspending = Date.now();
    await a.app.get(OperatorAccountService).suspend(null, author.id, { reason: 'Spam' }); // as the control panel does
    const gone = await Promise.all([
      within(b, '/posts', suspending, (_res, body) => !posts.some((p) => body.includes(p.id))),
      within(b, `/posts?author=${author.id}`, suspending, (_res, body) => body === '{"items":[],"nextCursor":null}'),
      within(b, `/posts/${posts[0]!.id}`, suspending, (res) => res.status === 404),
      within(b, `/users/${author.id}`, suspending, (res) => res.status === 404),
    ]);
    for (const elapsed of gone) expect(elapsed).toBeLessThan(1_000);
  });

  it("show an author's new name in B's kept feed and posts", async () => {
    const author = await writer('Old Name');
    const post = await publish(author);
    await keptOnB(`/posts/${post.id}`, 'post');
    await keptOnB('/posts', 'feed');
    const renaming = Date.now();
    const res = await fetch(
      `${a.url}/api/v1/users/me`,
      bearer(author.token, { ...json({ displayName: 'New Name' }), method: 'PATCH' }),
    );
    expect(res.status).toBe(200);
    const renamed = (_res: Response, body: string) => body.includes('New Name') && !body.includes('Old Name');
    expect(await within(b, `/posts/${post.id}`, renaming, renamed)).toBeLessThan(1_000);
    expect(await within(b, '/posts', renaming, (_res, body) => body.includes('New Name'))).toBeLessThan(1_000);
  });
});

describe('the read cache without its listener', () => {
  // Its own database again: the listeners cut are those of every process on it.
  let alone: ScratchDatabase;
  let own: TestApp;
  beforeAll(async () => {
    alone = await createScratchDatabase('cache_cut', { migrated: true });
    own = await startTestApp({ env: { ...deployment, DATABASE_URL: alone.url } });
  }, 60_000);
  afterAll(async () => {
    await own.close();
    await alone.drop();
  });

  it('answers from the database while not listening, and starts over empty once it listens again', async () => {
    const account = await register(own.url, { displayName: 'Listener Test' });
    const { accessToken } = await login(own.url, account);
    const res = await fetch(`${own.url}/api/v1/posts`, bearer(accessToken, json({ content: 'Before the cut' })));
    const post = (await res.json()) as Post;
    for (let i = 0; i < 2; i++) await get(own.url, `/posts/${post.id}`).then((r) => r.arrayBuffer());
    expect(own.app.get(ReadCache).stats.entries).toBeGreaterThan(0);

    // A change committed while the listener is gone (ended in the same transaction) reaches it by no NOTIFY.
    await own.db.transaction(async (manager) => {
      await manager.query('UPDATE posts SET title = $2 WHERE id = $1', [post.id, 'Changed unheard']);
      await manager.query(
        `SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity
          WHERE application_name = 'nuell change events' AND datname = current_database()`,
      );
    });
    // Every read from now on is right: from the database while the listener is away, and from an
    // emptied cache once it is back.
    for (let i = 0; i < 20; i++) {
      const read = (await (await get(own.url, `/posts/${post.id}`)).json()) as Post;
      expect(read.title).toBe('Changed unheard');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  });
});
