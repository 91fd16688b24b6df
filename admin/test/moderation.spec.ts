/**
 * Moderation that keeps evidence, through the real panel's JSON API as its pages call it: Hide
 * needs a reason, takes the post out of the API's public reads and e-mails its author; Restore
 * brings it back; Hide on the selected posts reports the ones it could not hide; both are audited
 * with the reason; a hard delete keeps the removed title and Markdown in its audit entry; and an
 * edit that names the version its form loaded is refused, with the author's newer text, when the
 * author saved meanwhile.
 */
import { bearer, json, login, register, verify, type Account } from '../../api/test/support/accounts.js';
import { waitForEmail } from '../../api/test/support/mail.js';
import { operator, type PanelClient, signedIn, uniqueText, usePanelAndApi } from './support/panel.js';

const { panel, api } = usePanelAndApi({ SMTP_URL: process.env.TEST_SMTP_URL ?? 'smtp://127.0.0.1:1' });

let ops: Account;
let client: PanelClient;
let author: Account;
let authorToken: string;

beforeAll(async () => {
  ops = await operator(api);
  client = await signedIn(panel, ops);
  author = await register(api.url, { displayName: 'Moderated Author' });
  await verify(api.url, author);
  authorToken = (await login(api.url, author)).accessToken;
});

async function publish(title: string, content = `Words of ${title}`): Promise<{ id: string; path: string }> {
  const res = await fetch(`${api.url}/api/v1/posts`, bearer(authorToken, json({ title, content })));
  if (res.status !== 201) throw new Error(`publish answered ${res.status}`);
  return (await res.json()) as { id: string; path: string };
}

const publicRead = async (id: string) => (await fetch(`${api.url}/api/v1/posts/${id}`)).status;
const audit = async (action: string, targetId: string) =>
  (
    await api.db.query<{ actor_id: string; data: Record<string, any> }[]>(
      'SELECT actor_id, data FROM audit_log WHERE action = $1 AND target_id = $2 ORDER BY created_at DESC',
      [action, targetId],
    )
  )[0];
const actionsOf = async (id: string) =>
  (
    await client.json<{ record: { recordActions: { name: string }[] } }>(`/cp/api/resources/Post/records/${id}/show`)
  ).record.recordActions.map((a) => a.name);

/** Whether the Posts list, filtered to this author and to hidden (or visible) posts, shows the post. */
const listedAs = async (id: string, hidden: 'true' | 'false') =>
  (
    await client.json<{ records: { id: string }[] }>(
      `/cp/api/resources/Post/actions/list?filters.authorId=${author.id}&filters.hidden=${hidden}&perPage=50`,
    )
  ).records.some((record) => record.id === id);

describe('hide and restore', () => {
  it('hides with a reason the author reads, and restores; each audited, the author e-mailed each time', async () => {
    const title = uniqueText('Hidden title');
    const post = await publish(title);
    expect(await actionsOf(post.id)).toEqual(expect.arrayContaining(['hide', 'edit', 'delete']));
    expect(await actionsOf(post.id)).not.toContain('restore');

    // A GET shows the page and changes nothing.
    expect((await client.get(`/cp/api/resources/Post/records/${post.id}/hide`)).status).toBe(200);
    expect(await publicRead(post.id)).toBe(200);

    const blank = await client.act('Post', post.id, 'hide', { reason: '   ' });
    expect(blank.notice).toEqual({
      message: 'Say why the post is hidden: its author reads the reason.',
      type: 'error',
    });
    expect(await publicRead(post.id)).toBe(200);

    const hidden = await client.act('Post', post.id, 'hide', { reason: 'It names a private person.' });
    expect(hidden.notice).toEqual({
      message: 'Hidden: readers no longer see it, and the author has been e-mailed the reason.',
      type: 'success',
    });
    expect(hidden.record.params.hiddenReason).toBe('It names a private person.');
    expect(hidden.record.params.hiddenBy).toBe(ops.id);
    expect(await publicRead(post.id)).toBe(404);
    const own = await fetch(`${api.url}/api/v1/posts/${post.id}`, bearer(authorToken));
    expect(((await own.json()) as { hidden: { reason: string } }).hidden.reason).toBe('It names a private person.');
    expect((await waitForEmail(author.email, /An operator hid your post/)).text).toContain(
      'It names a private person.',
    );
    expect(await audit('post_hidden', post.id)).toMatchObject({
      actor_id: ops.id,
      data: { reason: 'It names a private person.', before: { title } },
    });
    expect(await actionsOf(post.id)).toContain('restore');
    expect(await actionsOf(post.id)).not.toContain('hide');
    expect(await listedAs(post.id, 'true')).toBe(true);
    expect(await listedAs(post.id, 'false')).toBe(false);

    const again = await client.act('Post', post.id, 'hide', { reason: 'Twice' });
    expect(again.notice).toEqual({ message: `“${title}” is already hidden.`, type: 'error' });

    const restored = await client.act('Post', post.id, 'restore', { reason: '' });
    expect(restored.notice).toEqual({
      message: 'Restored: readers see it again, and the author has been e-mailed.',
      type: 'success',
    });
    expect(restored.record.params.hiddenAt ?? null).toBeNull();
    expect(await publicRead(post.id)).toBe(200);
    expect(await listedAs(post.id, 'true')).toBe(false);
    expect(await listedAs(post.id, 'false')).toBe(true);
    await waitForEmail(author.email, /Your post is visible again/);
    expect(await audit('post_restored', post.id)).toMatchObject({
      actor_id: ops.id,
      data: { reason: null, hidden: { reason: 'It names a private person.', by: ops.id } },
    });
  });

  it('hides the selected posts with one reason, naming those it could not hide', async () => {
    const [one, two, three] = [
      await publish(uniqueText('Bulk one')),
      await publish(uniqueText('Bulk two')),
      await publish(uniqueText('Bulk three')),
    ];
    await client.act('Post', three.id, 'hide', { reason: 'Already' });
    const ids = [one.id, two.id, three.id].join(',');

    const unexplained = await client.post(`/cp/api/resources/Post/bulk/bulkHide?recordIds=${ids}`, { reason: '' });
    expect(((await unexplained.json()) as { notice: unknown }).notice).toEqual({
      message: 'Say why the post is hidden: its author reads the reason.',
      type: 'error',
    });
    expect(await publicRead(one.id)).toBe(200);

    const response = await client.post(`/cp/api/resources/Post/bulk/bulkHide?recordIds=${ids}`, { reason: 'Spam' });
    expect(response.status).toBe(200);
    const { notice } = (await response.json()) as { notice: { message: string; type: string } };
    expect(notice.type).toBe('success');
    expect(notice.message).toMatch(
      /^Hid 2 posts; their authors have been e-mailed the reason\. Not hidden: “Bulk three-[0-9a-f]+” is already hidden\.$/,
    );
    for (const id of [one.id, two.id, three.id]) expect(await publicRead(id)).toBe(404);
    expect((await audit('post_hidden', one.id))?.data.reason).toBe('Spam');
  });
});

describe('evidence', () => {
  it('a hard delete, one or in bulk, keeps the removed title and Markdown in the audit entry', async () => {
    const one = await publish('Deleted alone', '# Kept\n\nAs **written**.');
    const two = await publish('Deleted in bulk', 'Also kept.');
    expect((await client.act('Post', one.id, 'delete')).notice.type).toBe('success');
    const bulk = await client.post(`/cp/api/resources/Post/bulk/bulkDelete?recordIds=${two.id}`);
    expect(bulk.status).toBe(200);
    expect((await audit('post_deleted', one.id))?.data.before).toMatchObject({
      title: 'Deleted alone',
      content: '# Kept\n\nAs **written**.',
    });
    expect((await audit('post_deleted', two.id))?.data.before).toMatchObject({
      title: 'Deleted in bulk',
      content: 'Also kept.',
    });
  });
});

describe('editing with the version the form loaded', () => {
  it('saves over the version it loaded', async () => {
    const post = await publish(uniqueText('Edit me'), 'Before');
    const { record } = await client.json<{ record: { params: { version: number } } }>(
      `/cp/api/resources/Post/records/${post.id}/edit`,
    );
    const saved = await client.act('Post', post.id, 'edit', {
      content: 'After the operator',
      version: String(record.params.version),
    });
    expect(saved.notice).toEqual({ message: 'Saved: the post is rendered again from your Markdown.', type: 'success' });
    expect(saved.redirectUrl).toBe('/cp/resources/Post');
    expect(((await (await fetch(`${api.url}/api/v1/posts/${post.id}`)).json()) as { content: string }).content).toBe(
      'After the operator',
    );
  });

  it('refuses a save over a version the author has replaced, and answers with their newer text', async () => {
    const post = await publish(uniqueText('Raced'), 'The first words');
    const { record } = await client.json<{ record: { params: { version: number } } }>(
      `/cp/api/resources/Post/records/${post.id}/edit`,
    );
    // The author saves while the operator's form is open.
    const patched = await fetch(
      `${api.url}/api/v1/posts/${post.id}`,
      bearer(authorToken, { ...json({ content: 'The author’s newer words' }), method: 'PATCH' }),
    );
    expect(patched.status).toBe(200);

    const refused = await client.act('Post', post.id, 'edit', {
      content: 'The operator’s words',
      version: String(record.params.version),
    });
    expect(refused.notice).toEqual({
      message:
        'Not saved: the author saved a newer version while you were editing. Nothing was overwritten; compare ' +
        'their text with yours below.',
      type: 'error',
    });
    expect(refused.redirectUrl).toBeUndefined();
    expect(refused.conflict).toEqual({
      version: record.params.version + 1,
      content: 'The author’s newer words',
      updatedAt: expect.any(String),
    });
    expect(((await (await fetch(`${api.url}/api/v1/posts/${post.id}`)).json()) as { content: string }).content).toBe(
      'The author’s newer words',
    );
    expect(await audit('post_updated', post.id)).toBeUndefined();

    // Having seen it, the operator saves over the newer version on purpose.
    const second = await client.act('Post', post.id, 'edit', {
      content: 'The operator’s words',
      version: String(refused.conflict.version),
    });
    expect(second.notice.type).toBe('success');
    expect((await audit('post_updated', post.id))?.data).toMatchObject({
      before: { content: 'The author’s newer words' },
      after: { content: 'The operator’s words' },
    });
  });
});

describe('who reads a post', () => {
  it('is said on every row and page: shown, or not shown because it is a draft, hidden, or its author suspended', async () => {
    const writer = await register(api.url, { displayName: 'Soon Suspended' });
    await verify(api.url, writer);
    const token = (await login(api.url, writer)).accessToken;
    const write = async (body: Record<string, string>) =>
      ((await (await fetch(`${api.url}/api/v1/posts`, bearer(token, json(body)))).json()) as { id: string }).id;
    const shown = await write({ content: 'Out there.' });
    const draft = await write({ content: 'Not yet.', status: 'draft' });
    const hidden = await write({ content: 'Hidden soon.' });
    await client.act('Post', hidden, 'hide', { reason: 'Off topic.' });

    const readers = async () =>
      Object.fromEntries(
        (
          await client.json<{ records: { id: string; params: { readers: string } }[] }>(
            `/cp/api/resources/Post/actions/list?filters.authorId=${writer.id}&perPage=50`,
          )
        ).records.map((record) => [record.id, record.params.readers]),
      );
    expect(await readers()).toEqual({
      [shown]: 'Shown',
      [draft]: 'Not shown: draft',
      [hidden]: 'Not shown: hidden',
    });

    // Suspending the author takes their published post out of sight though it is neither a draft nor hidden.
    await client.act('User', writer.id, 'suspend', { reason: 'Spam' });
    expect(await publicRead(shown)).toBe(404);
    expect((await readers())[shown]).toBe('Not shown: author suspended');
    const page = await client.json<{ record: { params: { readers: string } } }>(
      `/cp/api/resources/Post/records/${shown}/show`,
    );
    expect(page.record.params.readers).toBe('Not shown: author suspended');
  });
});
