/**
 * Titles, readable paths, drafts and the author's own list (issue 21): what readers and writers
 * notice, over real HTTP and PostgreSQL.
 */
import { bearer, json, login, register, verify } from './support/accounts.js';
import { useTestApp } from './support/app.js';

const api = useTestApp({ env: { POST_MAX_CHARS: '500' } });

interface Post {
  id: string;
  title: string | null;
  slug: string;
  shortId: string;
  path: string;
  status: string;
  publishedAt: string;
  createdAt: string;
  contentHtml: string;
  postCount: number;
}
interface Writer {
  id: string;
  token: string;
}
let alice: Writer;
let bob: Writer;

async function signedIn(verified = true): Promise<Writer> {
  const account = await register(api.url);
  if (verified) await verify(api.url, account);
  return { id: account.id, token: (await login(api.url, account)).accessToken };
}

beforeAll(async () => {
  [alice, bob] = [await signedIn(), await signedIn()];
});

const url = (path: string) => `${api.url}/api/v1${path}`;
const send = (token: string, body: unknown, method = 'POST', path = '/posts') =>
  fetch(url(path), bearer(token, { ...json(body), method }));
async function create(token: string, body: Record<string, unknown>): Promise<Post> {
  const res = await send(token, body);
  if (res.status !== 201) throw new Error(`create answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Post;
}
async function problem(res: Response): Promise<{ status: number; type: string; fields: Record<string, string> }> {
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await res.json()) as { type: string; errors?: { field: string; detail: string }[] };
  return {
    status: res.status,
    type: body.type,
    fields: Object.fromEntries((body.errors ?? []).map((e) => [e.field, e.detail])),
  };
}
const ownPosts = async (token: string, query = '') => {
  const res = await fetch(url(`/users/me/posts${query}`), bearer(token));
  expect(res.status).toBe(200);
  return (await res.json()) as { items: Post[]; nextCursor: string | null };
};

describe('titles', () => {
  it('stores a trimmed title and makes the path of it', async () => {
    const post = await create(alice.token, { title: '  Ünïcode & Café: a “test”  ', content: 'Body text' });
    expect(post).toMatchObject({ title: 'Ünïcode & Café: a “test”', slug: 'unicode-cafe-a-test' });
    expect(post.path).toBe(`/posts/unicode-cafe-a-test-${post.shortId}`);
  });

  it.each([
    ['too long', 'x'.repeat(121), '120 characters'],
    ['blank', '   ', 'title'],
    ['a control character', 'Tab\there', 'control characters'],
    ['a format character', 'Zero\u200bwidth', 'control characters'],
    ['a number', 42, 'title'],
  ])('refuses a title that is %s with 400 naming the field', async (_case, title, detail) => {
    const refused = await problem(await send(alice.token, { title, content: 'Body' }));
    expect(refused.status).toBe(400);
    expect(refused.fields.title).toContain(detail);
  });

  it('changes and removes a title; the short id, and so every link, stays', async () => {
    const post = await create(alice.token, { title: 'First name', content: 'Body' });
    const renamed = (await (
      await send(alice.token, { title: 'Second name' }, 'PATCH', `/posts/${post.id}`)
    ).json()) as Post;
    expect(renamed).toMatchObject({ title: 'Second name', slug: 'second-name', shortId: post.shortId });
    const untitled = (await (await send(alice.token, { title: null }, 'PATCH', `/posts/${post.id}`)).json()) as Post;
    expect(untitled).toMatchObject({ title: null, slug: 'body', shortId: post.shortId });
    // The old path still answers the post.
    const old = await fetch(url(`/posts/${post.path.slice('/posts/'.length)}`));
    expect(((await old.json()) as Post).id).toBe(post.id);
  });

  it('refuses a change that names nothing to change', async () => {
    const post = await create(alice.token, { content: 'Body' });
    const refused = await problem(await send(alice.token, {}, 'PATCH', `/posts/${post.id}`));
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused)).toContain('Nothing to change');
  });
});

describe('reading a post by any link', () => {
  it('answers the same post for its path, its short id, its id and an old slug', async () => {
    const post = await create(alice.token, { title: 'Linked everywhere', content: 'Body' });
    for (const ref of [
      post.path.slice('/posts/'.length),
      post.shortId,
      post.id,
      post.id.toUpperCase(),
      `an-older-title-${post.shortId}`,
    ]) {
      const res = await fetch(url(`/posts/${encodeURIComponent(ref)}`));
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe('"1"');
      expect(((await res.json()) as Post).id).toBe(post.id);
    }
  });

  it('answers 404 for a well-formed reference to nothing, 400 for one of no form', async () => {
    expect((await fetch(url('/posts/nothing-here-0000000000'))).status).toBe(404);
    expect((await fetch(url('/posts/0000000000'))).status).toBe(404);
    const malformed = await problem(await fetch(url('/posts/hello-world')));
    expect(malformed.status).toBe(400);
    expect(malformed.fields.id).toContain('short id');
  });

  it('answers 401 to a token that is sent but invalid, so the client can refresh it', async () => {
    const post = await create(alice.token, { content: 'Body' });
    const res = await fetch(url(`/posts/${post.shortId}`), bearer('not-a-token'));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});

describe('drafts', () => {
  it('are never shown to anyone but their author', async () => {
    const draft = await create(alice.token, { title: 'Secret plans', content: 'Not yet', status: 'draft' });
    expect(draft).toMatchObject({ status: 'draft', publishedAt: null, title: 'Secret plans' });
    const refs = [draft.id, draft.shortId, draft.path.slice('/posts/'.length)];

    for (const ref of refs) {
      expect((await fetch(url(`/posts/${ref}`))).status).toBe(404); // anonymous
      expect((await fetch(url(`/posts/${ref}`), bearer(bob.token))).status).toBe(404); // someone else
      const own = await fetch(url(`/posts/${ref}`), bearer(alice.token));
      expect(own.status).toBe(200);
      expect(own.headers.get('cache-control')).toBe('private, no-store');
      expect(own.headers.get('vary')).toMatch(/authorization/i);
      expect(((await own.json()) as Post).status).toBe('draft');
    }
    const feed = (await (await fetch(url('/posts?limit=100'))).json()) as { items: Post[] };
    expect(feed.items.map((p) => p.id)).not.toContain(draft.id);
    const authorList = (await (await fetch(url(`/posts?author=${alice.id}&limit=100`))).json()) as { items: Post[] };
    expect(authorList.items.map((p) => p.id)).not.toContain(draft.id);
    expect(authorList.items.every((p) => p.status === 'published')).toBe(true);

    // Others can neither change nor delete it: as far as they know it does not exist.
    expect((await send(bob.token, { content: 'mine now' }, 'PATCH', `/posts/${draft.id}`)).status).toBe(404);
    expect((await fetch(url(`/posts/${draft.id}`), bearer(bob.token, { method: 'DELETE' }))).status).toBe(404);
  });

  it('do not count on the public profile until published, then appear in the feed', async () => {
    const carol = await signedIn();
    const postCount = async () => ((await (await fetch(url(`/users/${carol.id}`))).json()) as Post).postCount;
    const draft = await create(carol.token, { content: 'Soon', status: 'draft' });
    expect(await postCount()).toBe(0);

    const res = await send(carol.token, { status: 'published' }, 'PATCH', `/posts/${draft.id}`);
    expect(res.status).toBe(200);
    const published = (await res.json()) as Post;
    expect(published.status).toBe('published');
    expect(Date.parse(published.publishedAt)).toBeGreaterThanOrEqual(Date.parse(draft.createdAt));
    expect(await postCount()).toBe(1);
    const feed = (await (await fetch(url(`/posts?author=${carol.id}`))).json()) as { items: Post[] };
    expect(feed.items.map((p) => p.id)).toEqual([draft.id]);
    expect((await fetch(url(`/posts/${draft.shortId}`))).status).toBe(200);

    // Back to draft: out of the feed and the count, keeping when it was first published.
    const unpublished = (await (
      await send(carol.token, { status: 'draft' }, 'PATCH', `/posts/${draft.id}`)
    ).json()) as Post;
    expect(unpublished).toMatchObject({ status: 'draft', publishedAt: published.publishedAt });
    expect(await postCount()).toBe(0);
    expect((await fetch(url(`/posts/${draft.shortId}`))).status).toBe(404);
  });

  it('may be empty, but a post that would show nothing is not published', async () => {
    const empty = await create(alice.token, { content: '', status: 'draft' });
    expect(empty).toMatchObject({ content: '', excerpt: '', status: 'draft' });
    for (const content of ['<style>x</style>', '   ']) {
      const refused = await problem(await send(alice.token, { content }));
      expect(refused.status).toBe(400);
      expect(refused.fields.content).toMatch(/show nothing|must not be empty/);
    }
    const style = await problem(await send(alice.token, { content: '<style>x</style>' }));
    expect(style.fields.content).toBe('The post would show nothing: write some text.');
    const publishEmpty = await problem(await send(alice.token, { status: 'published' }, 'PATCH', `/posts/${empty.id}`));
    expect(publishEmpty.status).toBe(400);
    expect((await fetch(url(`/posts/${empty.id}`), bearer(alice.token))).status).toBe(200);
    expect(((await (await fetch(url(`/posts/${empty.id}`), bearer(alice.token))).json()) as Post).status).toBe('draft');
  });

  it('refuses an unknown status with 400', async () => {
    const refused = await problem(await send(alice.token, { content: 'x', status: 'archived' }));
    expect(refused.status).toBe(400);
    expect(refused.fields.status).toContain('draft, published');
  });
});

describe('an account whose address is not verified yet', () => {
  it('saves drafts and previews them, but publishing waits: 403 email-not-verified', async () => {
    const newcomer = await signedIn(false);
    const draft = await create(newcomer.token, { title: 'First try', content: 'Hello *world*', status: 'draft' });
    expect(draft.status).toBe('draft');
    const preview = await send(newcomer.token, { content: 'Hello *world*' }, 'POST', '/posts/preview');
    expect(preview.status).toBe(200);
    expect(((await preview.json()) as Post).contentHtml).toContain('<em>world</em>');

    for (const res of [
      await send(newcomer.token, { status: 'published' }, 'PATCH', `/posts/${draft.id}`),
      await send(newcomer.token, { content: 'Straight out' }),
    ]) {
      const refused = await problem(res);
      expect(refused.status).toBe(403);
      expect(refused.type).toMatch(/\/problems\/email-not-verified$/);
    }
    expect((await fetch(url(`/posts/${draft.id}`))).status).toBe(404);
    expect((await ownPosts(newcomer.token)).items.map((p) => [p.id, p.status])).toEqual([[draft.id, 'draft']]);
  });
});

describe('GET /users/me/posts', () => {
  it("lists the caller's own posts, drafts included, most recently changed first, by status", async () => {
    const dave = await signedIn();
    const first = await create(dave.token, { content: 'first', status: 'draft' });
    const second = await create(dave.token, { content: 'second' });
    const third = await create(dave.token, { content: 'third', status: 'draft' });
    await create(bob.token, { content: 'not dave’s' });
    // Changing the first moves it to the top.
    expect((await send(dave.token, { title: 'Edited' }, 'PATCH', `/posts/${first.id}`)).status).toBe(200);

    expect((await ownPosts(dave.token)).items.map((p) => p.id)).toEqual([first.id, third.id, second.id]);
    expect((await ownPosts(dave.token, '?status=draft')).items.map((p) => p.id)).toEqual([first.id, third.id]);
    expect((await ownPosts(dave.token, '?status=published')).items.map((p) => p.id)).toEqual([second.id]);
    expect((await ownPosts(bob.token)).items.map((p) => p.id)).not.toContain(first.id);
  });

  it('pages with a cursor, without repeating or skipping a post', async () => {
    const erin = await signedIn();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.unshift((await create(erin.token, { content: `post ${i}`, status: 'draft' })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await ownPosts(erin.token, `?limit=2&status=draft${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(ids);
    expect(pages).toBe(3);
  });

  it('answers 400 for a malformed status, limit or cursor, and 401 without a token', async () => {
    for (const [query, field] of [
      ['?status=archived', 'status'],
      ['?limit=0', 'limit'],
      ['?cursor=nope', 'cursor'],
    ]) {
      const refused = await problem(await fetch(url(`/users/me/posts${query}`), bearer(alice.token)));
      expect(refused.status).toBe(400);
      expect(Object.keys(refused.fields)).toContain(field);
    }
    expect((await fetch(url('/users/me/posts'))).status).toBe(401);
  });
});

describe('PATCH /users/me: bio and link', () => {
  const patchMe = (token: string, body: unknown) => send(token, body, 'PATCH', '/users/me');

  it('sets a bio and a link, shows them on the public profile, and clears them with null or ""', async () => {
    const res = await patchMe(alice.token, {
      bio: '  Writes about engines.\nAnd poetry.  ',
      link: ' https://example.com/ada ',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      bio: 'Writes about engines.\nAnd poetry.',
      link: 'https://example.com/ada',
    });
    const profile = (await (await fetch(url(`/users/${alice.id}`))).json()) as Post;
    expect(profile).toMatchObject({ bio: 'Writes about engines.\nAnd poetry.', link: 'https://example.com/ada' });

    // A change of the name alone leaves them be.
    expect(await (await patchMe(alice.token, { displayName: 'Ada' })).json()).toMatchObject({
      displayName: 'Ada',
      bio: 'Writes about engines.\nAnd poetry.',
    });
    expect(await (await patchMe(alice.token, { bio: null, link: '' })).json()).toMatchObject({ bio: null, link: null });
    const me = (await (await fetch(url('/users/me'), bearer(alice.token))).json()) as Post;
    expect(me).toMatchObject({ displayName: 'Ada', bio: null, link: null });
  });

  it.each([
    ['a bio of 281 characters', { bio: 'b'.repeat(281) }, 'bio'],
    ['a bio with a control character', { bio: 'bell\u0007' }, 'bio'],
    ['a javascript: link', { link: 'javascript:alert(1)' }, 'link'],
    ['a link without a scheme', { link: 'example.com' }, 'link'],
    ['a link with a blank', { link: 'https://exa mple.com' }, 'link'],
    ['a link of 201 characters', { link: `https://example.com/${'a'.repeat(181)}` }, 'link'],
    ['a null display name', { displayName: null }, 'displayName'],
  ])('refuses %s with 400 naming the field', async (_case, body, field) => {
    const refused = await problem(await patchMe(bob.token, body));
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.fields)).toEqual([field]);
  });

  it('accepts a bio of 280 characters, emoji counted as one, and refuses a change of nothing', async () => {
    expect((await patchMe(bob.token, { bio: '😀'.repeat(280) })).status).toBe(200);
    const refused = await problem(await patchMe(bob.token, {}));
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused)).toContain('Nothing to change');
  });
});
