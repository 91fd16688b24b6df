/**
 * Every resource through AdminJS's own JSON API, as the panel's pages call it: lists, search and
 * filters, show, edit and delete where they exist, and refusals where they do not. Secrets never
 * appear in any answer, whatever is asked.
 */
import { bearer, json, login, register, verify, type Account } from '../../api/test/support/accounts.js';
import { dangers, XSS_PAYLOADS } from '../../api/test/support/inert.js';
import { operator, type PanelClient, signedIn, uniqueText, usePanelAndApi } from './support/panel.js';

const { panel, api } = usePanelAndApi();

interface RecordJson {
  id: string;
  params: Record<string, any>;
  populated: Record<string, any>;
  recordActions: { name: string }[];
}
interface ListJson {
  records: RecordJson[];
  meta: { total: number };
}

let ops: Account;
let client: PanelClient;
/** Every answer a test read, to check that none holds a secret. */
const answers: string[] = [];

async function read<T>(path: string): Promise<T> {
  const response = await client.get(path);
  const text = await response.text();
  answers.push(text);
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

async function act(resource: string, id: string, action: string, form: Record<string, string> = {}) {
  const answer = await client.act(resource, id, action, form);
  answers.push(JSON.stringify(answer));
  return answer;
}

/** AdminJS's answer to an action a resource does not offer: an error notice, nothing done. */
async function refused(response: Response): Promise<void> {
  expect(response.status).toBe(200);
  expect(((await response.json()) as { notice: { type: string } }).notice.type).toBe('error');
}

const list = (resource: string, query = '') => read<ListJson>(`/cp/api/resources/${resource}/actions/list?${query}`);
const show = async (resource: string, id: string) =>
  (await read<{ record: RecordJson }>(`/cp/api/resources/${resource}/records/${id}/show`)).record;

beforeAll(async () => {
  ops = await operator(api);
  client = await signedIn(panel, ops);
});

async function publish(author: Account, content: string): Promise<string> {
  const { accessToken } = await login(api.url, author);
  const res = await fetch(`${api.url}/api/v1/posts`, bearer(accessToken, json({ content })));
  if (res.status !== 201) throw new Error(`publishing answered ${res.status}`);
  return ((await res.json()) as { id: string }).id;
}

describe('Users', () => {
  it('lists newest first and searches e-mail and name case-insensitively, wildcards taken literally', async () => {
    const tag = uniqueText('Search');
    const ada = await register(api.url, { email: `${tag}-ada@example.test`, displayName: `Ada ${tag}` });
    await register(api.url, { displayName: `Bob ${tag}` });

    const byEmail = await list('User', `filters.email=${tag.toUpperCase()}-ADA`);
    expect(byEmail.records.map((r) => r.id)).toEqual([ada.id]);
    const byName = await list('User', `filters.displayName=${tag.toLowerCase()}`);
    expect(byName.records.map((r) => r.params.displayName)).toEqual([`Bob ${tag}`, `Ada ${tag}`]);
    expect((await list('User', 'filters.email=%25')).meta.total).toBe(0);
  });

  it('filters by role, active, verified and creation date', async () => {
    const tag = uniqueText('filter');
    const fresh = await register(api.url, { displayName: tag });
    const verified = await register(api.url, { displayName: tag });
    await verify(api.url, verified);
    const ids = async (query: string) =>
      (await list('User', `filters.displayName=${tag}&${query}`)).records.map((r) => r.id).sort();

    expect(await ids('filters.verified=true')).toEqual([verified.id]);
    expect(await ids('filters.verified=false')).toEqual([fresh.id]);
    expect(await ids('filters.role=user')).toEqual([fresh.id, verified.id].sort());
    expect(await ids('filters.role=admin')).toEqual([]);
    expect(await ids('filters.isActive=true')).toHaveLength(2);
    expect(
      await ids(`filters.createdAt~~from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`),
    ).toEqual([]);
    expect(
      await ids(`filters.createdAt~~from=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}`),
    ).toHaveLength(2);
  });

  it('shows an account without its password hash, and never filters or sorts by the hash', async () => {
    const ada = await register(api.url);
    const record = await show('User', ada.id);
    expect(record.params.email).toBe(ada.email);
    expect(Object.keys(record.params)).not.toContain('passwordHash');

    // Four accounts whose hashes sort the other way round from their creation: a filter or a sort
    // that used the hash would show.
    const tag = uniqueText('by-hash');
    const four: Account[] = [];
    for (const _ of [1, 2, 3, 4]) four.push(await register(api.url, { displayName: tag }));
    for (const [i, account] of four.entries()) {
      await api.db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [account.id, `planted-hash-${4 - i}`]);
    }
    const ids = async (query: string) =>
      (await list('User', `filters.displayName=${tag}&${query}`)).records.map((r) => r.id);
    const created = four.map((a) => a.id);
    expect(await ids('sortBy=createdAt&direction=asc')).toEqual(created);
    expect(await ids('sortBy=passwordHash&direction=asc')).toEqual(created);
    expect(await ids('filters.passwordHash=planted-hash-1&sortBy=createdAt&direction=asc')).toEqual(created);
  });

  it('edits the display name and the role, and nothing else', async () => {
    const bob = await register(api.url, { displayName: 'Bob Before' });
    const answer = await act('User', bob.id, 'edit', {
      displayName: 'Bob After',
      role: 'admin',
      email: 'stolen@example.test',
      isActive: 'false',
      passwordHash: 'x',
    });
    expect(answer.notice.type).toBe('success');
    const [row] = await api.db.query(
      'SELECT display_name, role, email, is_active, password_hash FROM users WHERE id = $1',
      [bob.id],
    );
    expect(row).toMatchObject({ display_name: 'Bob After', role: 'admin', email: bob.email, is_active: true });
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('refuses an invalid display name with the rule that it breaks', async () => {
    const bob = await register(api.url, { displayName: 'Bob' });
    const answer = await act('User', bob.id, 'edit', { displayName: '', role: 'user' });
    expect(answer.notice.type).toBe('error');
    expect(answer.record.errors.displayName.message).toMatch(/displayName/);
  });

  it('deletes an account with its posts', async () => {
    const carol = await register(api.url);
    await verify(api.url, carol);
    const postId = await publish(carol, 'Soon gone');
    const answer = await act('User', carol.id, 'delete');
    expect(answer.notice.type).toBe('success');
    expect((await fetch(`${api.url}/api/v1/posts/${postId}`)).status).toBe(404);
    const [row] = await api.db.query('SELECT count(*)::int AS n FROM users WHERE id = $1', [carol.id]);
    expect(row.n).toBe(0);
  });

  it('creates no accounts and deletes none in bulk', async () => {
    const email = `${uniqueText('new')}@example.test`;
    await refused(await client.post('/cp/api/resources/User/actions/new', { email, displayName: 'x' }));
    const dave = await register(api.url);
    await refused(await client.post(`/cp/api/resources/User/bulk/bulkDelete?recordIds=${dave.id}`));
    const [row] = await api.db.query('SELECT count(*)::int AS n FROM users WHERE id = $1 OR email = $2', [
      dave.id,
      email,
    ]);
    expect(row.n).toBe(1);
  });
});

describe('Posts', () => {
  let author: Account;
  beforeAll(async () => {
    author = await register(api.url, { displayName: 'Post Author' });
    await verify(api.url, author);
  });

  it('lists with author and excerpt, filtered by author', async () => {
    const id = await publish(author, 'A post **to list**.');
    const { records } = await list('Post', `filters.authorId=${author.id}`);
    const record = records.find((r) => r.id === id)!;
    expect(record.params.excerpt).toBe('A post to list.');
    expect(record.populated.authorId.params.displayName).toBe('Post Author');
    expect(records.every((r) => r.params.authorId === author.id)).toBe(true);
  });

  it('lists the title (an untitled post its excerpt), the status and the publication, filtered by status', async () => {
    const { accessToken } = await login(api.url, author);
    const write = async (body: Record<string, string>) => {
      const res = await fetch(`${api.url}/api/v1/posts`, bearer(accessToken, json(body)));
      return ((await res.json()) as { id: string }).id;
    };
    const titled = await write({ title: 'A title for the panel', content: 'Body of the titled post' });
    const draft = await write({ content: 'An untitled draft', status: 'draft' });

    const { records } = await list('Post', `filters.authorId=${author.id}`);
    const params = (id: string) => records.find((r) => r.id === id)!.params;
    expect(params(titled)).toMatchObject({ heading: 'A title for the panel', status: 'published' });
    expect(Date.parse(params(titled).publishedAt as string)).not.toBeNaN();
    expect(params(draft)).toMatchObject({ heading: 'An untitled draft', status: 'draft' });
    expect(params(draft).publishedAt ?? null).toBeNull();

    const drafts = await list('Post', `filters.authorId=${author.id}&filters.status=draft`);
    expect(drafts.records.map((r) => r.id)).toEqual([draft]);
    const published = await list('Post', `filters.authorId=${author.id}&filters.status=published`);
    expect(published.records.map((r) => r.id)).toContain(titled);
    expect(published.records.every((r) => r.params.status === 'published')).toBe(true);
    expect((await list('Post', 'filters.status=archived')).meta.total).toBe(0);
    expect((await show('Post', titled)).params).toMatchObject({ title: 'A title for the panel', status: 'published' });
  });

  it('shows the Markdown and the rendered HTML', async () => {
    const id = await publish(author, '# Title\n\nBody');
    const record = await show('Post', id);
    expect(record.params.content).toBe('# Title\n\nBody');
    expect(record.params.contentHtml).toContain('<h1>Title</h1>');
  });

  it('re-renders an edited post: the HTML and statistics follow the Markdown and payloads come out inert', async () => {
    const id = await publish(author, 'Before');
    const answer = await act('Post', id, 'edit', {
      content: `# Edited\n\n${XSS_PAYLOADS.join('\n\n')}`,
      contentHtml: '<script>alert(1)</script>',
      wordCount: '999999',
    });
    expect(answer.notice.type).toBe('success');
    const post = (await (await fetch(`${api.url}/api/v1/posts/${id}`)).json()) as {
      contentHtml: string;
      wordCount: number;
    };
    expect(post.contentHtml).toContain('<h1>Edited</h1>');
    expect(dangers(post.contentHtml)).toEqual([]);
    expect(post.wordCount).not.toBe(999999);
  });

  it('refuses empty Markdown', async () => {
    const id = await publish(author, 'Keep me');
    const answer = await act('Post', id, 'edit', { content: '   ' });
    expect(answer.notice.type).toBe('error');
    expect(answer.notice.message).toMatch(/content must not be empty/);
    const post = (await (await fetch(`${api.url}/api/v1/posts/${id}`)).json()) as { content: string };
    expect(post.content).toBe('Keep me');
  });

  it('refuses Markdown that would show nothing on a published post', async () => {
    const id = await publish(author, 'Keep me too');
    const answer = await act('Post', id, 'edit', { content: '<style>x</style>' });
    expect(answer.notice.type).toBe('error');
    expect(answer.notice.message).toMatch(/The post would show nothing/);
    const post = (await (await fetch(`${api.url}/api/v1/posts/${id}`)).json()) as { content: string };
    expect(post.content).toBe('Keep me too');
  });

  it('deletes one post, and several in bulk', async () => {
    const [one, two, three] = [
      await publish(author, 'one'),
      await publish(author, 'two'),
      await publish(author, 'three'),
    ];
    expect((await act('Post', one, 'delete')).notice.type).toBe('success');
    const bulk = await client.post(`/cp/api/resources/Post/bulk/bulkDelete?recordIds=${two},${three}`);
    expect(bulk.status).toBe(200);
    for (const id of [one, two, three]) expect((await fetch(`${api.url}/api/v1/posts/${id}`)).status).toBe(404);
  });

  it('re-renders selected posts in bulk', async () => {
    const ids = [await publish(author, '*one*'), await publish(author, '*two*')];
    await api.db.query(`UPDATE posts SET content_html = 'stale', renderer_version = 0 WHERE id = ANY($1::uuid[])`, [
      ids,
    ]);
    const response = await client.post(`/cp/api/resources/Post/bulk/rerender?recordIds=${ids.join(',')}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { notice: { message: string } }).notice.message).toBe('Re-rendered 2 posts.');
    const rows = await api.db.query<{ content_html: string }[]>(
      'SELECT content_html FROM posts WHERE id = ANY($1::uuid[])',
      [ids],
    );
    expect(rows.map((r) => r.content_html).sort()).toEqual(['<p><em>one</em></p>\n', '<p><em>two</em></p>\n']);
  });
});

describe('Sessions', () => {
  it('lists one row per sign-in with user, device, IP, last use and expiry, and revokes one', async () => {
    const eve = await register(api.url);
    const { accessToken } = await login(api.url, eve);
    const { records } = await list('Session', `filters.userId=${eve.id}`);
    expect(records).toHaveLength(1);
    const session = records[0]!;
    expect(session.params).toMatchObject({ userId: eve.id, status: 'live' });
    expect(session.params.device).toBeTruthy();
    expect(session.params.ip).toBeTruthy();
    expect(session.params.lastUsedAt).toBeTruthy();
    expect(session.params.expiresAt).toBeTruthy();
    expect(Object.keys(session.params)).not.toContain('tokenHash');
    expect(session.populated.userId.params.email).toBe(eve.email);

    const answer = await act('Session', session.id, 'revoke');
    expect(answer.notice.type).toBe('success');
    expect(answer.record.params.status).toBe('revoked');
    expect((await fetch(`${api.url}/api/v1/users/me`, bearer(accessToken))).status).toBe(401);
    expect((await list('Session', `filters.userId=${eve.id}&filters.revoked=true`)).records).toHaveLength(1);
  });

  it('cannot be edited or deleted from the panel', async () => {
    const eve = await register(api.url);
    await login(api.url, eve);
    const { records } = await list('Session', `filters.userId=${eve.id}`);
    const id = records[0]!.id;
    await refused(await client.post(`/cp/api/resources/Session/records/${id}/edit`, { ip: '192.0.2.1' }));
    await refused(await client.post(`/cp/api/resources/Session/records/${id}/delete`));
    const [row] = await api.db.query('SELECT ip, revoked_at FROM sessions WHERE id = $1', [id]);
    expect(row.ip).not.toBe('192.0.2.1');
    expect(row.revoked_at).toBeNull();
  });
});

describe('Audit log', () => {
  it('lists newest first and filters by actor, action, target and date', async () => {
    const frank = await register(api.url);
    await act('User', frank.id, 'markVerified');
    await act('User', frank.id, 'signOutEverywhere');

    const { records } = await list('AuditLog', `filters.targetId=${frank.id}&filters.actorId=${ops.id}`);
    expect(records.map((r) => r.params.action)).toEqual(['sessions_revoked', 'email_marked_verified']);
    expect(records[0]!.populated.actorId.params.email).toBe(ops.email);

    const byAction = await list('AuditLog', `filters.action=email_marked_verified&filters.targetId=${frank.id}`);
    expect(byAction.records).toHaveLength(1);
    expect((await list('AuditLog', `filters.action=no_such_action`)).records).toEqual([]);
    const since = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
    expect((await list('AuditLog', `filters.targetId=${frank.id}&filters.createdAt~~from=${since}`)).records).toEqual(
      [],
    );
    const entry = await show('AuditLog', records[1]!.id);
    expect(entry.params['data.email']).toBe(frank.email);
  });

  it('is read-only', async () => {
    const { records } = await list('AuditLog', 'perPage=1');
    const id = records[0]!.id;
    await refused(await client.post(`/cp/api/resources/AuditLog/records/${id}/edit`, { action: 'user_suspended' }));
    await refused(await client.post(`/cp/api/resources/AuditLog/records/${id}/delete`));
    await refused(await client.post(`/cp/api/resources/AuditLog/bulk/bulkDelete?recordIds=${id}`));
    const [row] = await api.db.query('SELECT action FROM audit_log WHERE id = $1', [id]);
    expect(row.action).toBe(records[0]!.params.action);
  });
});

// Last in the file: jest runs a file's tests in order, so it reads every answer the others got.
describe('every answer above', () => {
  it('carried no password hash and no token hash, whatever was asked', () => {
    expect(answers.length).toBeGreaterThan(10);
    for (const answer of answers) {
      expect(answer).not.toMatch(/\$argon2|planted-hash/);
      expect(answer).not.toMatch(/"(passwordHash|tokenHash)":/);
      expect(answer).not.toMatch(/\b[0-9a-f]{64}\b/); // a SHA-256 token hash
    }
  });
});
