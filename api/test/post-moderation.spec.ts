/**
 * Moderation that keeps evidence: an operator hides a post (PostsService.hide, which the control
 * panel calls) and it leaves every public read, over HTTP: the feed, the author's feed, GET
 * /posts/{id} for anyone but its author and admins, the site's page, both RSS feeds, the sitemap
 * and the author's post count. The author still reads it, with when and why, and is e-mailed; a
 * restore brings it back. Both are audited with the reason; a hard delete keeps the removed title
 * and Markdown in its audit entry; an operator's edit of a version the author has since replaced
 * is refused.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StaleVersion } from '../src/http/etag.js';
import { ValidationProblem } from '../src/http/problem.js';
import { PostsService } from '../src/posts/posts.service.js';
import { bearer, json, login, register, verify } from './support/accounts.js';
import { useTestApp } from './support/app.js';
import { emailsTo, waitForEmail } from './support/mail.js';

const SHELL =
  '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>nuell</title>' +
  '<meta name="description" content="Read and write posts on nuell."></head><body><div id="__nuxt"></div></body></html>';
const shellFile = join(tmpdir(), `nuell-shell-${randomBytes(6).toString('hex')}.html`);
writeFileSync(shellFile, SHELL);
const SITE = 'https://site.example';

const api = useTestApp({ env: { WEB_SHELL: shellFile, PUBLIC_URL: SITE } });
const url = (path: string) => `${api.url}/api/v1${path}`;

interface Writer {
  id: string;
  email: string;
  token: string;
}

async function writer(displayName = 'Test User', role: 'user' | 'admin' = 'user'): Promise<Writer> {
  const account = await register(api.url, { displayName });
  await verify(api.url, account);
  if (role === 'admin') await api.db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [account.id]);
  return { id: account.id, email: account.email, token: (await login(api.url, account)).accessToken };
}

async function publish(author: Writer, post: { title?: string; content: string }): Promise<Record<string, any>> {
  const res = await fetch(url('/posts'), bearer(author.token, json(post)));
  if (res.status !== 201) throw new Error(`publish answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Record<string, any>;
}

const read = (id: string, token?: string) => fetch(url(`/posts/${id}`), token ? bearer(token) : {});
const site = async (path: string) => {
  const res = await fetch(`${api.url}${path}`);
  return { status: res.status, body: await res.text() };
};
const ids = async (path: string, token?: string) =>
  ((await (await fetch(url(path), token ? bearer(token) : {})).json()) as { items: { id: string }[] }).items.map(
    (post) => post.id,
  );
const audit = async (action: string, targetId: string) =>
  (
    await api.db.query<{ actor_id: string; data: Record<string, any> }[]>(
      'SELECT actor_id, data FROM audit_log WHERE action = $1 AND target_id = $2 ORDER BY created_at DESC',
      [action, targetId],
    )
  )[0];

let operator: Writer;
let posts: PostsService;
beforeAll(async () => {
  operator = await writer('Operator', 'admin');
  posts = api.app.get(PostsService);
});

describe('hiding a post', () => {
  it('takes it out of every public read, keeps it for its author and admins, and a restore brings it back', async () => {
    const tag = randomBytes(4).toString('hex');
    const author = await writer(`Author ${tag}`);
    const reader = await writer();
    const post = await publish(author, { title: `Hide me ${tag}`, content: `Something to **hide** ${tag}` });
    const kept = await publish(author, { title: `Keep me ${tag}`, content: 'This one stays.' });
    const profile = async () =>
      ((await (await fetch(url(`/users/${author.id}`))).json()) as { postCount: number }).postCount;
    expect(await profile()).toBe(2);

    await posts.hide(operator.id, post.id as string, '  It shares a private address.  ');

    // Gone from everything public…
    expect(await ids('/posts?limit=100')).not.toContain(post.id);
    expect(await ids(`/posts?author=${author.id}`)).toEqual([kept.id]);
    for (const token of [undefined, reader.token]) expect((await read(post.id as string, token)).status).toBe(404);
    expect((await read(post.shortId as string)).status).toBe(404);
    expect(await profile()).toBe(1);
    expect((await site(post.path as string)).status).toBe(404);
    expect((await site(kept.path as string)).status).toBe(200);
    for (const feed of ['/rss.xml', `/authors/${author.id}/rss.xml`, '/sitemap.xml']) {
      const { status, body } = await site(feed);
      expect(status).toBe(200);
      expect(body).not.toContain(post.shortId);
      expect(body).not.toContain(`Hide me ${tag}`);
    }
    expect((await site(`/authors/${author.id}/rss.xml`)).body).toContain(`Keep me ${tag}`);

    // …but its author and admins read it, with when and why, and no cache keeps it.
    for (const token of [author.token, operator.token]) {
      const res = await read(post.id as string, token);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('private, no-store');
      const body = (await res.json()) as Record<string, any>;
      expect(body.hidden).toEqual({ at: expect.any(String), reason: 'It shares a private address.' });
      expect(body.content).toBe(post.content);
    }
    const own = (await (await fetch(url('/users/me/posts'), bearer(author.token))).json()) as {
      items: Record<string, any>[];
    };
    expect(own.items.find((item) => item.id === post.id)?.hidden?.reason).toBe('It shares a private address.');
    expect(own.items.find((item) => item.id === kept.id)?.hidden).toBeNull();

    // The author is told, with the reason and a link to the post.
    const hidden = await waitForEmail(author.email, /An operator hid your post/);
    expect(hidden.text).toContain(`Hide me ${tag}`);
    expect(hidden.text).toContain('It shares a private address.');
    expect(hidden.text).toContain(`${SITE}${post.path as string}`);

    const hiddenEntry = await audit('post_hidden', post.id as string);
    expect(hiddenEntry?.actor_id).toBe(operator.id);
    expect(hiddenEntry?.data).toMatchObject({
      authorId: author.id,
      reason: 'It shares a private address.',
      before: { title: `Hide me ${tag}`, content: post.content, status: 'published' },
    });

    // Restored: back everywhere, `hidden` null, the author told again.
    await posts.restore(operator.id, post.id as string, 'The address was the author’s own.');
    expect(await ids(`/posts?author=${author.id}`)).toEqual(expect.arrayContaining([post.id, kept.id]));
    const back = await read(post.id as string);
    expect(back.status).toBe(200);
    expect(((await back.json()) as { hidden: unknown }).hidden).toBeNull();
    expect((await site(post.path as string)).status).toBe(200);
    expect((await site('/sitemap.xml')).body).toContain(post.shortId);
    expect(await profile()).toBe(2);
    const restored = await waitForEmail(author.email, /Your post is visible again/);
    expect(restored.text).toContain('The address was the author’s own.');
    expect((await audit('post_restored', post.id as string))?.data).toMatchObject({
      authorId: author.id,
      reason: 'The address was the author’s own.',
      hidden: { reason: 'It shares a private address.', by: operator.id },
    });
  });

  it('does not count as an edit: the version and the last change stay, so the author saves with their ETag', async () => {
    const author = await writer();
    const post = await publish(author, { content: 'Before hiding' });
    const before = await read(post.id as string, author.token);
    const etag = before.headers.get('etag')!;
    await posts.hide(operator.id, post.id as string, 'Off-topic');
    const after = await read(post.id as string, author.token);
    expect(after.headers.get('etag')).toBe(etag);
    expect(((await after.json()) as { updatedAt: string }).updatedAt).toBe(post.updatedAt);

    const edited = await fetch(
      url(`/posts/${post.id as string}`),
      bearer(author.token, {
        ...json({ content: 'Edited while hidden' }),
        method: 'PATCH',
        headers: {
          'content-type': 'application/json',
          'if-match': etag,
        },
      }),
    );
    expect(edited.status).toBe(200);
    const body = (await edited.json()) as { content: string; hidden: { reason: string } | null };
    expect(body.content).toBe('Edited while hidden');
    expect(body.hidden?.reason).toBe('Off-topic'); // an edit does not bring it back
    expect((await read(post.id as string)).status).toBe(404);
  });

  it('needs a reason, at most 500 characters; hiding twice or restoring a visible post is refused', async () => {
    const author = await writer();
    const post = await publish(author, { title: 'Twice', content: 'Once is enough' });
    await expect(posts.hide(operator.id, post.id as string, '   ')).rejects.toThrow(ValidationProblem);
    await expect(posts.hide(operator.id, post.id as string, '   ')).rejects.toMatchObject({
      errors: [{ field: 'reason', detail: 'Say why the post is hidden: its author reads the reason.' }],
    });
    await expect(posts.hide(operator.id, post.id as string, 'x'.repeat(501))).rejects.toMatchObject({
      errors: [{ field: 'reason', detail: 'The reason must be at most 500 characters (it has 501).' }],
    });
    await expect(posts.restore(operator.id, post.id as string)).rejects.toThrow('“Twice” is not hidden.');
    await posts.hide(operator.id, post.id as string, 'Spam');
    await expect(posts.hide(operator.id, post.id as string, 'Spam again')).rejects.toThrow(
      '“Twice” is already hidden.',
    );
    await expect(posts.hide(operator.id, '019a9b01-7c2d-7e3f-8a41-6b7c8d9e0f12', 'Spam')).rejects.toThrow(
      'No such post.',
    );
    const [row] = await api.db.query<{ hidden_reason: string; hidden_by: string }[]>(
      'SELECT hidden_reason, hidden_by FROM posts WHERE id = $1',
      [post.id],
    );
    expect(row).toEqual({ hidden_reason: 'Spam', hidden_by: operator.id });
  });
});

describe('evidence', () => {
  it('a hard delete keeps the removed title and Markdown in the audit entry, from the panel and the API', async () => {
    const author = await writer();
    const one = await publish(author, {
      title: 'Deleted from the panel',
      content: '# Evidence\n\nKept **as written**.',
    });
    await posts.hide(operator.id, one.id as string, 'Abuse');
    await posts.removeAsOperator(operator.id, one.id as string);
    expect((await audit('post_deleted', one.id as string))?.data).toMatchObject({
      authorId: author.id,
      before: {
        title: 'Deleted from the panel',
        content: '# Evidence\n\nKept **as written**.',
        status: 'published',
        hidden: { reason: 'Abuse' },
      },
    });

    const two = await publish(author, { title: 'Deleted over the API', content: 'Also *kept*.' });
    const res = await fetch(url(`/posts/${two.id as string}`), bearer(operator.token, { method: 'DELETE' }));
    expect(res.status).toBe(204);
    expect((await audit('post_deleted', two.id as string))?.data.before).toMatchObject({
      title: 'Deleted over the API',
      content: 'Also *kept*.',
      hidden: null,
    });
  });

  it("tells the author by e-mail when an operator edits or deletes their post, and not for the author's own changes", async () => {
    const author = await writer('Told Author');
    const post = await publish(author, { title: 'Edited by an operator', content: 'As the author wrote it.' });
    await posts.moderate(operator.id, post.id as string, 'As the operator rewrote it.');
    const edited = await waitForEmail(author.email, /An operator edited your post/);
    expect(edited.text).toContain('“Edited by an operator”');
    expect(edited.text).toContain(`${SITE}/posts/`);

    const mine = await publish(author, { title: 'My own', content: 'First words.' });
    const own = await fetch(
      url(`/posts/${mine.id as string}`),
      bearer(author.token, { ...json({ content: 'Second words.' }), method: 'PATCH' }),
    );
    expect(own.status).toBe(200);
    expect((await fetch(url(`/posts/${mine.id as string}`), bearer(author.token, { method: 'DELETE' }))).status).toBe(
      204,
    );

    const gone = await publish(author, { title: 'Deleted by an operator', content: 'Soon gone.' });
    const res = await fetch(url(`/posts/${gone.id as string}`), bearer(operator.token, { method: 'DELETE' }));
    expect(res.status).toBe(204);
    const deleted = await waitForEmail(author.email, /An operator deleted your post/);
    expect(deleted.text).toContain('“Deleted by an operator”');
    // Exactly one of each: the author's own edit and deletion sent nothing.
    const subjects = (await emailsTo(author.email)).map((email) => email.subject).filter((s) => /operator/.test(s));
    expect(subjects.sort()).toEqual(['An operator deleted your post', 'An operator edited your post']);
  });

  it("an operator's edit of a version the author has since replaced is refused, and nothing is overwritten", async () => {
    const author = await writer();
    const post = await publish(author, { content: 'First words' });
    const loaded = (await api.db.query<{ version: number }[]>('SELECT version FROM posts WHERE id = $1', [post.id]))[0]!
      .version;
    const saved = await fetch(
      url(`/posts/${post.id as string}`),
      bearer(author.token, { ...json({ content: 'The author’s newer words' }), method: 'PATCH' }),
    );
    expect(saved.status).toBe(200);
    await expect(posts.moderate(operator.id, post.id as string, 'The operator’s words', loaded)).rejects.toThrow(
      StaleVersion,
    );
    expect(((await (await read(post.id as string)).json()) as { content: string }).content).toBe(
      'The author’s newer words',
    );
    const current = Number(saved.headers.get('etag')!.replaceAll('"', ''));
    await posts.moderate(operator.id, post.id as string, 'The operator’s words', current);
    expect(((await (await read(post.id as string)).json()) as { content: string }).content).toBe(
      'The operator’s words',
    );
  });
});
