/**
 * Authors' public profiles (GET /users/:id) and deleting one's own account (DELETE /users/me).
 */
import { OperatorAccountService } from '../src/auth/operator-account.service.js';
import { bearer, json, login, refresh, register, verify } from './support/accounts.js';
import { useTestApp } from './support/app.js';
import { waitForEmail } from './support/mail.js';

const api = useTestApp({ env: { RATE_LIMIT_PASSWORD_CHECK: '3/15m' } });

const url = (path: string) => `${api.url}/api/v1${path}`;
const post = (token: string, content: string) => fetch(url('/posts'), bearer(token, json({ content })));
const deleteMe = (token: string, body: unknown) =>
  fetch(url('/users/me'), bearer(token, { ...json(body), method: 'DELETE' }));

describe('GET /users/:id', () => {
  it("shows anyone an author's name, join date and post count, never the e-mail", async () => {
    const account = await register(api.url, { displayName: 'Grace Hopper' });
    await verify(api.url, account);
    const { accessToken } = await login(api.url, account);
    for (const text of ['one', 'two']) expect((await post(accessToken, text)).status).toBe(201);

    const res = await fetch(url(`/users/${account.id}`));
    expect(res.status).toBe(200);
    const profile = (await res.json()) as Record<string, unknown>;
    expect(profile).toEqual({
      id: account.id,
      displayName: 'Grace Hopper',
      bio: null,
      link: null,
      createdAt: expect.any(String),
      postCount: 2,
    });
    expect(JSON.stringify(profile)).not.toContain(account.email);
  });

  it('answers 404 problem details for an unknown or suspended user and 400 for a malformed id', async () => {
    const unknown = await fetch(url('/users/019a8f6e-3b1c-7d2e-9f40-5a6b7c8d9e0f'));
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    const account = await register(api.url);
    await api.app.get(OperatorAccountService).suspend(null, account.id, { reason: 'Spam' });
    expect((await fetch(url(`/users/${account.id}`))).status).toBe(404);
    expect((await fetch(url('/users/not-a-uuid'))).status).toBe(400);
  });

  it('still answers /users/me to its owner only', async () => {
    expect((await fetch(url('/users/me'))).status).toBe(401);
  });
});

describe('DELETE /users/me', () => {
  it('deletes the account with its posts, ends every session and records it', async () => {
    const account = await register(api.url);
    await verify(api.url, account);
    const first = await login(api.url, account);
    const second = await login(api.url, account);
    const created = (await (await post(first.accessToken, 'soon gone')).json()) as { id: string };

    const res = await deleteMe(first.accessToken, { currentPassword: account.password });
    expect(res.status).toBe(204);

    expect((await fetch(url(`/posts/${created.id}`))).status).toBe(404);
    expect((await fetch(url(`/users/${account.id}`))).status).toBe(404);
    for (const session of [first, second]) {
      expect((await fetch(url('/users/me'), bearer(session.accessToken))).status).toBe(401);
      expect((await refresh(api.url, session.refreshToken)).status).toBe(401);
    }
    await expect(login(api.url, account)).rejects.toThrow(/401/);
    const audit = await api.db.query<{ data: Record<string, number> }[]>(
      `SELECT data FROM audit_log WHERE action = 'account_deleted' AND target_id = $1`,
      [account.id],
    );
    expect(audit).toEqual([{ data: { deletedPosts: 1, endedSessions: 2 } }]);
    await waitForEmail(account.email, /Your account was deleted/);

    // The address is free again.
    expect((await fetch(url('/auth/register'), json({ ...account, id: undefined }))).status).toBe(201);
  });

  it('refuses a wrong or missing password and keeps the account', async () => {
    const account = await register(api.url);
    const { accessToken } = await login(api.url, account);
    const wrong = await deleteMe(accessToken, { currentPassword: 'Not-The-Password-1' });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('currentPassword');
    // No password: the session must have proven presence lately (a step-up), and has not.
    expect((await deleteMe(accessToken, {})).status).toBe(403);
    expect((await fetch(url('/users/me'), bearer(accessToken))).status).toBe(200);
  });

  it('shares the limit on current-password confirmations', async () => {
    const account = await register(api.url);
    const { accessToken } = await login(api.url, account);
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await deleteMe(accessToken, { currentPassword: `Guess-Number-${i}` })).status);
    statuses.push((await deleteMe(accessToken, { currentPassword: account.password })).status);
    expect(statuses).toEqual([400, 400, 400, 429]);
    expect((await fetch(url('/users/me'), bearer(accessToken))).status).toBe(200);
  });

  it('needs a signed-in user', async () => {
    expect((await fetch(url('/users/me'), { ...json({ currentPassword: 'x' }), method: 'DELETE' })).status).toBe(401);
  });
});
