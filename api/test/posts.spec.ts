import { RENDERER_VERSION } from '@nuell/native';
import { DataSource } from 'typeorm';
import { User } from '../src/users/user.entity.js';
import { bearer, json, login, register, verify } from './support/accounts.js';
import { OperatorAccountService } from '../src/auth/operator-account.service.js';
import { useTestApp, withTestApp } from './support/app.js';
import { dangers, XSS_PAYLOADS } from './support/inert.js';
import { linkIn, waitForEmail } from './support/mail.js';

const api = useTestApp({ env: { POST_MAX_CHARS: '500', RATE_LIMIT_PREVIEW: '5/1m' } });
let db: DataSource;
let alice: { id: string; token: string };
let bob: { id: string; token: string };
let admin: { id: string; token: string };

async function signedIn(role: 'user' | 'admin' = 'user') {
  const account = await register(api.url);
  await verify(api.url, account);
  if (role === 'admin') {
    const user = await api.db.getRepository(User).findOneByOrFail({ id: account.id });
    user.role = 'admin';
    await api.db.getRepository(User).save(user);
  }
  return { id: account.id, token: (await login(api.url, account)).accessToken };
}

beforeAll(async () => {
  db = api.app.get(DataSource);
  [alice, bob, admin] = [await signedIn(), await signedIn(), await signedIn('admin')];
});

const url = (path: string) => `${api.url}/api/v1${path}`;
const write = (token: string, content: unknown, method = 'POST', path = '/posts') =>
  fetch(url(path), bearer(token, { ...json({ content }), method }));
async function create(token: string, content: string): Promise<Record<string, any>> {
  const res = await write(token, content);
  if (res.status !== 201) throw new Error(`create answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Record<string, any>;
}

describe('writing and reading posts', () => {
  it('creates a post rendered by the content engine and shows it to anyone', async () => {
    const res = await write(alice.token, '# Hello\n\nSome **bold** words and a link: https://example.com');
    expect(res.status).toBe(201);
    const post = (await res.json()) as Record<string, any>;
    expect(post).toEqual({
      id: expect.any(String),
      title: null,
      slug: 'hello-some-bold-words-and-a-link-https-example-com',
      shortId: expect.stringMatching(/^[0-9a-z]{10}$/),
      path: `/posts/hello-some-bold-words-and-a-link-https-example-com-${post.shortId}`,
      status: 'published',
      publishedAt: post.createdAt,
      author: { id: alice.id, displayName: 'Test User' },
      content: '# Hello\n\nSome **bold** words and a link: https://example.com',
      contentHtml: expect.stringContaining('<strong>bold</strong>'),
      excerpt: 'Hello Some bold words and a link: https://example.com',
      wordCount: 8,
      readingTimeMinutes: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      hidden: null,
    });
    expect(post.contentHtml).toContain('rel="nofollow noopener noreferrer ugc"');
    expect(JSON.stringify(post)).not.toMatch(/@example\.test/); // never the author's e-mail

    const fetched = await fetch(url(`/posts/${post.id}`));
    expect(fetched.status).toBe(200);
    expect(await fetched.json()).toEqual(post);
    const [row] = await db.query<{ renderer_version: number }[]>('SELECT renderer_version FROM posts WHERE id = $1', [
      post.id,
    ]);
    expect(row!.renderer_version).toBe(RENDERER_VERSION);
  });

  it('needs a signed-in user with the posts:write scope to write', async () => {
    expect((await fetch(url('/posts'), json({ content: 'anonymous' }))).status).toBe(401);
    const account = await register(api.url);
    await verify(api.url, account);
    const form = await fetch(url('/auth/token'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        username: account.email,
        password: account.password,
        scope: 'profile',
      }).toString(),
    });
    const { access_token } = (await form.json()) as { access_token: string };
    const res = await write(access_token, 'no scope');
    expect(res.status).toBe(403);
  });

  it.each([
    ['empty content', '', 'content must not be empty'],
    ['blank content', ' \n\t ', 'content must not be empty'],
    ['content over the limit', 'x'.repeat(501), 'content must be at most 500 characters'],
    ['a number for content', 42, 'content must be a string'],
  ])('answers 400 for %s', async (_case, content, detail) => {
    const res = await write(alice.token, content);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { detail: string }[] }).errors[0]!.detail).toContain(detail);
  });

  it('counts characters, not bytes: 500 emoji fit', async () => {
    expect((await write(alice.token, '😀'.repeat(500))).status).toBe(201);
  });

  it('refuses unknown fields such as authorId', async () => {
    const res = await fetch(url('/posts'), bearer(alice.token, json({ content: 'x', authorId: bob.id })));
    expect(res.status).toBe(400);
  });

  it('answers 400 for a malformed id and 404 for a missing one', async () => {
    expect((await fetch(url('/posts/not-a-uuid'))).status).toBe(400);
    expect((await fetch(url('/posts/01900000-0000-7000-8000-000000000000'))).status).toBe(404);
    expect((await write(alice.token, 'x', 'PATCH', '/posts/nope')).status).toBe(400);
    expect((await write(alice.token, 'x', 'PATCH', '/posts/01900000-0000-7000-8000-000000000000')).status).toBe(404);
  });
});

describe('ownership', () => {
  it('lets only the author change or delete a post; others get 403 and nothing changes', async () => {
    const post = await create(alice.token, 'original');
    expect((await write(bob.token, 'hijacked', 'PATCH', `/posts/${post.id}`)).status).toBe(403);
    expect((await fetch(url(`/posts/${post.id}`), bearer(bob.token, { method: 'DELETE' }))).status).toBe(403);
    expect(((await (await fetch(url(`/posts/${post.id}`))).json()) as { content: string }).content).toBe('original');

    const edited = await write(alice.token, 'edited *by* me', 'PATCH', `/posts/${post.id}`);
    expect(edited.status).toBe(200);
    expect(await edited.json()).toMatchObject({
      content: 'edited *by* me',
      contentHtml: '<p>edited <em>by</em> me</p>\n',
    });
    expect((await fetch(url(`/posts/${post.id}`), bearer(alice.token, { method: 'DELETE' }))).status).toBe(204);
    expect((await fetch(url(`/posts/${post.id}`))).status).toBe(404);
  });

  it('lets an admin moderate anyone’s post, and audits each change as the panel does', async () => {
    const post = await create(alice.token, 'needs moderation');
    const res = await write(admin.token, '[removed by a moderator]', 'PATCH', `/posts/${post.id}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ author: { id: alice.id }, content: '[removed by a moderator]' });
    expect((await fetch(url(`/posts/${post.id}`), bearer(admin.token, { method: 'DELETE' }))).status).toBe(204);

    const entries = await db.query<{ action: string; actor_id: string; data: Record<string, unknown> }[]>(
      `SELECT action, actor_id, data FROM audit_log WHERE target_id = $1 ORDER BY created_at`,
      [post.id],
    );
    expect(entries).toEqual([
      {
        action: 'post_updated',
        actor_id: admin.id,
        data: {
          authorId: alice.id,
          before: { content: 'needs moderation' },
          after: { content: '[removed by a moderator]' },
        },
      },
      {
        action: 'post_deleted',
        actor_id: admin.id,
        // The evidence: what was removed, as the author last wrote it.
        data: {
          authorId: alice.id,
          before: {
            title: null,
            content: '[removed by a moderator]',
            status: 'published',
            publishedAt: post.publishedAt,
            excerpt: '[removed by a moderator]',
            wordCount: 4,
            hidden: null,
          },
        },
      },
    ]);
  });

  it('does not audit what authors do to their own posts', async () => {
    const post = await create(admin.token, 'my own words');
    expect((await write(admin.token, 'my own words, edited', 'PATCH', `/posts/${post.id}`)).status).toBe(200);
    expect((await fetch(url(`/posts/${post.id}`), bearer(admin.token, { method: 'DELETE' }))).status).toBe(204);
    expect(await db.query('SELECT action FROM audit_log WHERE target_id = $1', [post.id])).toEqual([]);
  });

  it('hides the posts of a suspended author', async () => {
    const carol = await signedIn();
    const post = await create(carol.token, 'soon hidden');
    await api.app.get(OperatorAccountService).suspend(null, carol.id, { reason: 'Spam' }); // as the control panel suspends
    expect((await fetch(url(`/posts/${post.id}`))).status).toBe(404);
    const feed = (await (await fetch(url(`/posts?author=${carol.id}`))).json()) as { items: unknown[] };
    expect(feed.items).toEqual([]);
  });
});

describe('optimistic concurrency: ETag and If-Match', () => {
  const patch = (id: string, content: string, ifMatch?: string) =>
    fetch(
      url(`/posts/${id}`),
      bearer(alice.token, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', ...(ifMatch ? { 'if-match': ifMatch } : {}) },
        body: JSON.stringify({ content }),
      }),
    );
  const contentOf = async (id: string) =>
    ((await (await fetch(url(`/posts/${id}`))).json()) as { content: string }).content;

  it('sends the version as the ETag and raises it with every change', async () => {
    const created = await write(alice.token, 'v1');
    expect(created.headers.get('etag')).toBe('"1"');
    const { id } = (await created.json()) as { id: string };
    expect((await fetch(url(`/posts/${id}`))).headers.get('etag')).toBe('"1"');
    const changed = await patch(id, 'v2');
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).toBe('"2"');
    expect((await fetch(url(`/posts/${id}`))).headers.get('etag')).toBe('"2"');
  });

  it('refuses a change made against an older version with 412 and the current ETag', async () => {
    const { id } = (await create(alice.token, 'original')) as { id: string };
    expect((await patch(id, 'first edit', '"1"')).status).toBe(200);
    const stale = await patch(id, 'second edit from an old copy', '"1"');
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe('"2"');
    expect(stale.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await stale.json()).toMatchObject({ status: 412, title: 'Precondition Failed' });
    expect(await contentOf(id)).toBe('first edit');

    expect((await patch(id, 'weak tags never match', 'W/"2"')).status).toBe(412);
    expect((await patch(id, 'one of a list', '"7", "2"')).status).toBe(200);
    expect((await patch(id, 'any version', '*')).status).toBe(200);
    expect(await contentOf(id)).toBe('any version');
  });

  it('answers 400 for a malformed If-Match', async () => {
    const { id } = (await create(alice.token, 'original')) as { id: string };
    for (const header of ['3', '"3', 'W/3', '"a" "b"']) {
      const res = await patch(id, 'edit', header);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/If-Match must be/);
    }
    expect(await contentOf(id)).toBe('original');
  });

  it('lets exactly one of 20 racing edits with the same If-Match win', async () => {
    const { id } = (await create(alice.token, 'original')) as { id: string };
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => patch(id, `edit ${i}`, '"1"').then((r) => ({ i, status: r.status }))),
    );
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.status === 412)).toHaveLength(19);
    expect(await contentOf(id)).toBe(`edit ${winners[0]!.i}`);
    expect((await fetch(url(`/posts/${id}`))).headers.get('etag')).toBe('"2"');
  });

  it('keeps last-write-wins for clients that send no If-Match', async () => {
    const { id } = (await create(alice.token, 'original')) as { id: string };
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => patch(id, `edit ${i}`).then((r) => r.status)),
    );
    expect(statuses).toEqual(Array<number>(20).fill(200));
    expect((await fetch(url(`/posts/${id}`))).headers.get('etag')).toBe('"21"');
  });

  it('deletes only the version named in If-Match', async () => {
    const { id } = (await create(alice.token, 'original')) as { id: string };
    await patch(id, 'changed');
    const remove = (ifMatch: string) =>
      fetch(url(`/posts/${id}`), bearer(alice.token, { method: 'DELETE', headers: { 'if-match': ifMatch } }));
    expect((await remove('"1"')).status).toBe(412);
    expect((await fetch(url(`/posts/${id}`))).status).toBe(200);
    expect((await remove('"2"')).status).toBe(204);
    expect((await fetch(url(`/posts/${id}`))).status).toBe(404);
    expect((await remove('"2"')).status).toBe(404);
  });
});

describe('GET /posts', () => {
  it('pages newest first with no gap and no overlap while posts keep arriving', async () => {
    const author = await signedIn();
    const original: string[] = [];
    for (let i = 0; i < 25; i++) original.push(((await create(author.token, `post ${i}`)) as { id: string }).id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let page = 0;
    do {
      const query: string = `/posts?author=${author.id}&limit=10${cursor ? `&cursor=${cursor}` : ''}`;
      const body = (await (await fetch(url(query))).json()) as {
        items: { id: string; createdAt: string }[];
        nextCursor: string | null;
      };
      seen.push(...body.items.map((p) => p.id));
      cursor = body.nextCursor;
      if (page++ === 0) for (let i = 0; i < 5; i++) await create(author.token, `newer ${i}`); // arrive mid-walk
    } while (cursor);

    expect(seen).toEqual([...original].reverse());
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('defaults to 20, caps at 100, and answers an empty last page with a null cursor', async () => {
    const first = (await (await fetch(url('/posts'))).json()) as { items: unknown[]; nextCursor: string | null };
    expect(first.items).toHaveLength(20);
    expect(first.nextCursor).toEqual(expect.any(String));
    const lonely = await signedIn();
    const none = (await (await fetch(url(`/posts?author=${lonely.id}`))).json()) as {
      items: unknown[];
      nextCursor: null;
    };
    expect(none).toEqual({ items: [], nextCursor: null });
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['limit=1.5', 'limit'],
    ['cursor=garbage', 'cursor'],
    [
      `cursor=${Buffer.from('2026-13-45T99:00:00.000000Z|01900000-0000-7000-8000-000000000000').toString('base64url')}`,
      'cursor',
    ],
    [`cursor=${Buffer.from("x'; DROP TABLE posts; --|y").toString('base64url')}`, 'cursor'],
    ['author=someone', 'author'],
    ['sort=x;DROP TABLE users', 'sort'],
  ])('answers 400 naming the parameter for ?%s', async (query, field) => {
    const res = await fetch(url(`/posts?${query}`));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
  });
});

describe('publishing needs a verified address', () => {
  it('refuses publishing with 403 email-not-verified until the address is verified; previews work', async () => {
    const account = await register(api.url);
    const { accessToken, refreshToken } = await login(api.url, account);
    const res = await write(accessToken, 'Buy cheap watches');
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({
      type: 'https://nuell.dev/problems/email-not-verified',
      title: 'Forbidden',
      status: 403,
      detail: expect.stringMatching(/^Verify your e-mail address/),
    });
    // A new writer's first try at the editor works: only publishing waits (issue 21).
    expect((await write(accessToken, 'Buy cheap watches', 'POST', '/posts/preview')).status).toBe(200);
    // Reading, settings and signing out work as before.
    expect((await fetch(url('/posts'), bearer(accessToken))).status).toBe(200);
    expect((await fetch(url('/users/me'), bearer(accessToken))).status).toBe(200);
    const renamed = await fetch(
      url('/users/me'),
      bearer(accessToken, { ...json({ displayName: 'Renamed' }), method: 'PATCH' }),
    );
    expect(renamed.status).toBe(200);
    const resend = await fetch(url('/auth/email/verify/resend'), bearer(accessToken, { method: 'POST' }));
    expect(resend.status).toBe(202);

    // The resent link replaced the first one.
    const { token } = linkIn(await waitForEmail(account.email, /Confirm your e-mail/, 2));
    expect((await fetch(url('/auth/email/verify'), json({ token }))).status).toBe(200);
    expect((await write(accessToken, 'Verified now')).status).toBe(201);
    const logout = await fetch(url('/auth/logout'), {
      method: 'POST',
      headers: { cookie: `refresh_token=${refreshToken}`, origin: 'http://localhost:3000' },
    });
    expect(logout.status).toBe(204);
  });
});

describe('POST /posts/preview', () => {
  it('renders without saving, for signed-in users, rate limited', async () => {
    const before = Number((await db.query<{ n: string }[]>('SELECT count(*) AS n FROM posts'))[0]!.n);
    const res = await write(bob.token, '*preview*', 'POST', '/posts/preview');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      contentHtml: '<p><em>preview</em></p>\n',
      excerpt: 'preview',
      wordCount: 1,
      readingTimeMinutes: 1,
    });
    expect(Number((await db.query<{ n: string }[]>('SELECT count(*) AS n FROM posts'))[0]!.n)).toBe(before);
    expect((await fetch(url('/posts/preview'), json({ content: 'x' }))).status).toBe(401);

    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await write(bob.token, 'again', 'POST', '/posts/preview')).status);
    expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200]);
    expect(statuses[4]).toBe(429);
  });
});

describe("images cannot call the site in the reader's name", () => {
  it('drops images from the site’s own host outside its media path, in posts and previews; links stay', async () => {
    // PUBLIC_URL is http://localhost:3000 in the tests.
    const markdown = [
      '![signs operators out](http://localhost:3000/cp/logout)',
      '<img src="https://LOCALHOST:3000/api/v1/auth/logout">',
      '![a picture of ours](http://localhost:3000/media/cat.webp) ![elsewhere](https://images.example.org/a.png)',
      '[the control panel](http://localhost:3000/cp)',
    ].join('\n\n');
    const stored = (await create(alice.token, markdown)).contentHtml as string;
    const preview = await write(alice.token, markdown, 'POST', '/posts/preview');
    for (const html of [stored, ((await preview.json()) as { contentHtml: string }).contentHtml]) {
      expect([...html.matchAll(/<img[^>]*src="([^"]*)"/g)].map((m) => m[1])).toEqual([
        'http://localhost:3000/media/cat.webp',
        'https://images.example.org/a.png',
      ]);
      expect(html).toContain('<a href="http://localhost:3000/cp"');
    }
  });
});

describe('user content is inert', () => {
  it(`neutralises ${XSS_PAYLOADS.length} XSS payloads, stored and previewed alike`, async () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(300);
    const writer = await signedIn();
    // Previews on an app whose preview limit lets one writer preview every payload.
    await withTestApp({ env: { POST_MAX_CHARS: '500', RATE_LIMIT_PREVIEW: '1000/1m' } }, async (previewing) => {
      const previewer = await register(previewing.url);
      await verify(previewing.url, previewer);
      const { accessToken } = await login(previewing.url, previewer);
      for (const payload of XSS_PAYLOADS) {
        // As drafts: a payload that renders to nothing may be saved, though not published.
        const res = await fetch(url('/posts'), bearer(writer.token, json({ content: payload, status: 'draft' })));
        expect({ payload, status: res.status }).toEqual({ payload, status: 201 });
        const post = (await res.json()) as { id: string; contentHtml: string };
        expect({ payload, dangers: dangers(post.contentHtml) }).toEqual({ payload, dangers: [] });
        const stored = (await (await fetch(url(`/posts/${post.id}`), bearer(writer.token))).json()) as {
          contentHtml: string;
        };
        expect(stored.contentHtml).toBe(post.contentHtml);
        const preview = await fetch(
          `${previewing.url}/api/v1/posts/preview`,
          bearer(accessToken, json({ content: payload })),
        );
        expect({ payload, status: preview.status }).toEqual({ payload, status: 200 });
        expect(((await preview.json()) as { contentHtml: string }).contentHtml).toBe(post.contentHtml);
      }
    });
    // A thousand requests and a second app: on a busy two-core machine this outgrew the 30 s default.
  }, 180_000);

  it('has a checker that would notice (control)', () => {
    expect(dangers('<p onclick="x">a</p>')).toEqual(['handler onclick']);
    expect(dangers('<a href="java&#x73;cript:alert(1)">a</a>')).toEqual(['href with scheme javascript']);
    expect(dangers('<iframe></iframe>')).toEqual(['element <iframe>']);
  });
});
