import { createHash } from 'node:crypto';
import { OperatorAccountService } from '../src/auth/operator-account.service.js';
import { PersonalAccessTokensService } from '../src/tokens/personal-access-tokens.service.js';
import { hasValidChecksum, newPersonalAccessToken } from '../src/tokens/token-format.js';
import { User } from '../src/users/user.entity.js';
import { type Account, bearer, json, login, register } from './support/accounts.js';
import { useTestApp } from './support/app.js';
import { waitForEmail } from './support/mail.js';
import { ProbeModule } from './support/probe.module.js';

const api = useTestApp({ extraModules: [ProbeModule] });

const TOKEN_SHAPE = /^nuell_pat_[0-9A-Za-z]{36}$/;
const ALL_API_SCOPES = ['profile:read', 'profile:write', 'posts:write'];

interface TokenBody {
  readonly id: string;
  readonly name: string;
  readonly scopes: string[];
  readonly hint: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly expiresAt: string | null;
  readonly token?: string;
}

interface Owner {
  readonly account: Account;
  /** A first-party session's access token (scope `account` included). */
  readonly session: string;
}

async function owner(): Promise<Owner> {
  const account = await register(api.url);
  const { accessToken } = await login(api.url, account);
  return { account, session: accessToken };
}

function call(method: string, path: string, token: string, body?: unknown): Promise<Response> {
  return fetch(
    `${api.url}/api/v1${path}`,
    bearer(token, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    }),
  );
}

async function ok<T>(res: Response, status = 200): Promise<T> {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Creates a token as the settings page does; answers the created token (with the secret). */
async function createToken(
  session: string,
  body: Partial<{ name: string; scopes: string[]; expiresInDays: number | null }> = {},
): Promise<TokenBody & { token: string }> {
  const res = await call('POST', '/users/me/tokens', session, {
    name: 'Deploy script',
    scopes: ALL_API_SCOPES,
    expiresInDays: 30,
    ...body,
  });
  return ok<TokenBody & { token: string }>(res, 201);
}

async function problemOf(res: Response): Promise<Record<string, unknown>> {
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await res.json()) as Record<string, unknown>;
}

async function auditOf(userId: string, action: string) {
  return api.db.query<{ actor_id: string | null; data: Record<string, unknown> }[]>(
    'SELECT actor_id, data FROM audit_log WHERE action = $1 AND target_id = $2 ORDER BY created_at, id',
    [action, userId],
  );
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

describe('personal access tokens: the token', () => {
  it('is answered once, prefixed and checksummed, and stored only as its SHA-256', async () => {
    const { account, session } = await owner();
    const created = await createToken(session, { name: '  Publish from my laptop ', scopes: ['posts:write'] });
    expect(created).toEqual({
      id: expect.any(String),
      name: 'Publish from my laptop',
      scopes: ['posts:write'],
      hint: `nuell_pat_…${created.token.slice(-4)}`,
      createdAt: expect.any(String),
      lastUsedAt: null,
      expiresAt: expect.any(String),
      token: expect.stringMatching(TOKEN_SHAPE),
    });
    expect(hasValidChecksum(created.token)).toBe(true);

    const [row] = await api.db.query<Record<string, unknown>[]>('SELECT * FROM personal_access_tokens WHERE id = $1', [
      created.id,
    ]);
    expect(row).toMatchObject({
      user_id: account.id,
      token_hash: sha256(created.token),
      last4: created.token.slice(-4),
    });
    expect(JSON.stringify(row)).not.toContain(created.token.slice('nuell_pat_'.length));

    // The list never shows it again.
    const [listed] = await ok<TokenBody[]>(await call('GET', '/users/me/tokens', session));
    expect(listed).toEqual({ ...created, token: undefined });
    expect(Object.keys(listed!)).not.toContain('token');
  });

  it('expires after the days asked for, or never', async () => {
    const { session } = await owner();
    const before = Date.now();
    const week = await createToken(session, { expiresInDays: 7 });
    const expires = Date.parse(week.expiresAt!);
    expect(expires).toBeGreaterThanOrEqual(before + 7 * 86_400_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 7 * 86_400_000);
    expect((await createToken(session, { expiresInDays: null })).expiresAt).toBeNull();
  });

  it('is audited and the owner is told by e-mail', async () => {
    const { account, session } = await owner();
    const created = await createToken(session, { name: 'Nightly backup', scopes: ['profile:read', 'posts:write'] });
    expect(await auditOf(account.id, 'token_created')).toEqual([
      {
        actor_id: account.id,
        data: {
          token: created.id,
          name: 'Nightly backup',
          scopes: ['profile:read', 'posts:write'],
          expiresAt: created.expiresAt,
        },
      },
    ]);
    const email = await waitForEmail(account.email, /personal access token was created/);
    expect(email.text).toContain('“Nightly backup”');
    expect(email.text).toContain('read your profile; create, edit and delete your posts');
    expect(email.text).toContain('http://localhost:3000/settings#tokens');
    expect(email.text).not.toContain(created.token);
  });

  it('is refused by its checksum when mistyped, and when unknown', async () => {
    const { session } = await owner();
    const { token } = await createToken(session);
    const last = token.at(-1) === 'a' ? 'b' : 'a';
    for (const wrong of [
      `${token.slice(0, -1)}${last}`,
      token.slice(0, -1),
      `${token}x`,
      'nuell_pat_',
      'nuell_pat_!',
    ]) {
      const res = await call('GET', '/users/me', wrong);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="nuell"');
      expect((await problemOf(res)).detail).toBe('The personal access token is invalid.');
    }
    // Well-formed, checksum right, but never issued.
    const unknown = await call('GET', '/users/me', newPersonalAccessToken());
    expect(unknown.status).toBe(401);
    expect((await problemOf(unknown)).detail).toBe('The personal access token is invalid, expired or revoked.');
  });

  it('is no refresh token: the token endpoint answers invalid_grant', async () => {
    const { session } = await owner();
    const { token } = await createToken(session);
    const res = await fetch(`${api.url}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token }).toString(),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
    // And it still works as what it is.
    expect((await call('GET', '/users/me', token)).status).toBe(200);
  });
});

describe('personal access tokens: what a token may do', () => {
  it('holds its scopes and no others', async () => {
    const { account, session } = await owner();
    const reader = (await createToken(session, { scopes: ['profile:read'] })).token;
    expect(await ok(await call('GET', '/users/me', reader))).toMatchObject({ id: account.id });
    const refused = await call('PATCH', '/users/me', reader, { displayName: 'Mallory' });
    expect(refused.status).toBe(403);
    expect((await problemOf(refused)).detail).toBe('This token lacks the scope profile:write.');
    expect((await call('GET', '/users/me/posts', reader)).status).toBe(403);

    const writer = (await createToken(session, { scopes: ['profile:write'] })).token;
    expect(await ok(await call('PATCH', '/users/me', writer, { displayName: 'Ada' }))).toMatchObject({
      displayName: 'Ada',
    });
    expect((await call('GET', '/users/me', writer)).status).toBe(403);
  });

  it('writes posts with posts:write', async () => {
    const { account, session } = await owner();
    await api.db.query('UPDATE users SET email_verified_at = now() WHERE id = $1', [account.id]);
    const { token } = await createToken(session, { scopes: ['posts:write'] });
    const post = await ok<{ id: string }>(
      await call('POST', '/posts', token, { title: 'From a script', content: 'Hello from cron.' }),
      201,
    );
    const mine = await ok<{ items: { id: string }[] }>(await call('GET', '/users/me/posts', token));
    expect(mine.items.map((p) => p.id)).toEqual([post.id]);
    expect((await call('DELETE', `/posts/${post.id}`, token)).status).toBe(204);
  });

  it("reads its owner's drafts only with posts:write, the scope that opens them", async () => {
    const { session } = await owner();
    const draft = await ok<{ id: string }>(
      await call('POST', '/posts', session, { content: 'Not ready yet', status: 'draft' }),
      201,
    );
    const writer = await createToken(session, { scopes: ['posts:write'] });
    const reader = await createToken(session, { scopes: ['profile:read'] });
    expect((await call('GET', `/posts/${draft.id}`, writer.token)).status).toBe(200);
    expect((await call('GET', `/posts/${draft.id}`, reader.token)).status).toBe(404);
  });

  it('never reaches the account: tokens, password, e-mail, factors, sessions, deletion', async () => {
    const { account, session } = await owner();
    const { token, id } = await createToken(session, { scopes: ALL_API_SCOPES });
    const attempts: [string, string, unknown?][] = [
      ['GET', '/users/me/tokens'],
      ['POST', '/users/me/tokens', { name: 'Another', scopes: ['posts:write'], expiresInDays: null }],
      ['DELETE', `/users/me/tokens/${id}`],
      ['POST', '/users/me/password', { currentPassword: account.password, newPassword: 'Another-Horse-Battery-10' }],
      ['POST', '/users/me/email', { newEmail: 'mallory@example.test', password: account.password }],
      ['GET', '/users/me/sessions'],
      ['GET', '/users/me/passkeys'],
      ['GET', '/users/me/mfa'],
      ['POST', '/users/me/step-up', { password: account.password }],
      ['DELETE', '/users/me', { currentPassword: account.password }],
    ];
    for (const [method, path, body] of attempts) {
      const res = await call(method, path, token, body);
      expect([method, path, res.status]).toEqual([method, path, 403]);
      expect((await problemOf(res)).detail).toBe('This token lacks the scope account.');
    }
    expect((await ok<TokenBody[]>(await call('GET', '/users/me/tokens', session))).map((t) => t.id)).toEqual([id]);
  });

  it("of an admin acts as a user: the admin's powers stay with their sessions", async () => {
    const { account, session } = await owner();
    const { token } = await createToken(session);
    await api.db.getRepository(User).update({ id: account.id }, { role: 'admin' });
    expect((await call('GET', '/probe-private/admin', session)).status).toBe(200);
    const refused = await call('GET', '/probe-private/admin', token);
    expect(refused.status).toBe(403);
    expect((await call('GET', '/probe-private', token)).status).toBe(200);
  });
});

describe('personal access tokens: refused at once', () => {
  it('when revoked', async () => {
    const { account, session } = await owner();
    const { token, id } = await createToken(session);
    expect((await call('GET', '/users/me', token)).status).toBe(200);
    expect((await call('DELETE', `/users/me/tokens/${id}`, session)).status).toBe(204);
    const res = await call('GET', '/users/me', token);
    expect(res.status).toBe(401);
    expect((await problemOf(res)).detail).toBe('The personal access token is invalid, expired or revoked.');
    expect(await ok<TokenBody[]>(await call('GET', '/users/me/tokens', session))).toEqual([]);
    expect(await auditOf(account.id, 'token_revoked')).toEqual([
      { actor_id: account.id, data: { token: id, name: 'Deploy script' } },
    ]);
  });

  it('when expired, though the list still shows it', async () => {
    const { session } = await owner();
    const { token, id } = await createToken(session, { expiresInDays: 1 });
    await api.db.query(`UPDATE personal_access_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      id,
    ]);
    expect((await call('GET', '/users/me', token)).status).toBe(401);
    const [listed] = await ok<TokenBody[]>(await call('GET', '/users/me/tokens', session));
    expect(listed).toMatchObject({ id });
    expect(Date.parse(listed!.expiresAt!)).toBeLessThan(Date.now());
  });

  it('when the account is suspended, and works again once the suspension is lifted', async () => {
    const { account, session } = await owner();
    const { token } = await createToken(session);
    const accounts = api.app.get(OperatorAccountService);
    await accounts.suspend(null, account.id, { reason: 'Spam', until: '', message: '' });
    expect((await call('GET', '/users/me', token)).status).toBe(401);
    await accounts.lift(null, account.id);
    expect((await call('GET', '/users/me', token)).status).toBe(200);
  });
});

describe('personal access tokens: list and revoke', () => {
  it('lists newest first and notes the last use at most once a minute', async () => {
    const { session } = await owner();
    const first = await createToken(session, { name: 'First' });
    const second = await createToken(session, { name: 'Second' });
    const list = async () => ok<TokenBody[]>(await call('GET', '/users/me/tokens', session));
    expect((await list()).map((t) => t.name)).toEqual(['Second', 'First']);

    expect((await call('GET', '/users/me', first.token)).status).toBe(200);
    const used = (await list()).find((t) => t.id === first.id)!;
    expect(used.lastUsedAt).not.toBeNull();
    expect((await list()).find((t) => t.id === second.id)!.lastUsedAt).toBeNull();

    // Within the minute: not written again.
    expect((await call('GET', '/users/me', first.token)).status).toBe(200);
    expect((await list()).find((t) => t.id === first.id)!.lastUsedAt).toBe(used.lastUsedAt);

    // A minute on: written again.
    await api.db.query(`UPDATE personal_access_tokens SET last_used_at = now() - interval '2 minutes' WHERE id = $1`, [
      first.id,
    ]);
    expect((await call('GET', '/users/me', first.token)).status).toBe(200);
    const later = (await list()).find((t) => t.id === first.id)!;
    expect(Date.parse(later.lastUsedAt!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("answers 404 for another user's token, one revoked already, or none; 400 for a malformed id", async () => {
    const alice = await owner();
    const bob = await owner();
    const bobs = await createToken(bob.session);
    expect((await call('DELETE', `/users/me/tokens/${bobs.id}`, alice.session)).status).toBe(404);
    expect((await call('GET', '/users/me', bobs.token)).status).toBe(200);
    expect(await ok<TokenBody[]>(await call('GET', '/users/me/tokens', alice.session))).toEqual([]);

    expect((await call('DELETE', `/users/me/tokens/${bobs.id}`, bob.session)).status).toBe(204);
    const again = await call('DELETE', `/users/me/tokens/${bobs.id}`, bob.session);
    expect(again.status).toBe(404);
    expect((await problemOf(again)).detail).toBe('No such token of yours.');
    expect((await call('DELETE', '/users/me/tokens/019ad0f2-5c1e-7b3a-8d4f-2e6a9c0b1d7e', bob.session)).status).toBe(
      404,
    );
    expect((await call('DELETE', '/users/me/tokens/not-a-uuid', bob.session)).status).toBe(400);
  });

  it('lets an operator revoke any token, audited in their name', async () => {
    const operator = await register(api.url);
    const { account, session } = await owner();
    const { token, id } = await createToken(session);
    const tokens = api.app.get(PersonalAccessTokensService);
    await tokens.revokeAsOperator(operator.id, id);
    expect((await call('GET', '/users/me', token)).status).toBe(401);
    expect(await auditOf(account.id, 'token_revoked')).toEqual([
      { actor_id: operator.id, data: { token: id, name: 'Deploy script' } },
    ]);
    await expect(tokens.revokeAsOperator(operator.id, id)).rejects.toThrow(/No such token/);
  });

  it('holds at most 50 live tokens per account (409 beyond); expired and revoked ones do not count', async () => {
    const { account, session } = await owner();
    await api.db.query(
      `INSERT INTO personal_access_tokens (id, user_id, name, scopes, token_hash, prefix, last4)
       SELECT gen_random_uuid(), $1::uuid, 'Bulk ' || n, 'profile:read', md5($1::text || n) || md5(n || $1::text),
              'nuell_pat_', 'abcd'
         FROM generate_series(1, 50) AS n`,
      [account.id],
    );
    const refused = await call('POST', '/users/me/tokens', session, {
      name: 'One too many',
      scopes: ['profile:read'],
      expiresInDays: 7,
    });
    expect(refused.status).toBe(409);
    expect((await problemOf(refused)).detail).toMatch(/^You have 50 tokens already/);

    await api.db.query(
      `UPDATE personal_access_tokens SET expires_at = now() - interval '1 day' WHERE user_id = $1 AND name = 'Bulk 1'`,
      [account.id],
    );
    await createToken(session, { name: 'In its place' });
  });
});

describe('personal access tokens: bad input', () => {
  const valid = { name: 'Deploy script', scopes: ['posts:write'], expiresInDays: 30 };
  const cases: [string, Record<string, unknown>, string][] = [
    ['no name', { ...valid, name: undefined }, 'name'],
    ['a blank name', { ...valid, name: '   ' }, 'name'],
    ['a name of 101 characters', { ...valid, name: 'x'.repeat(101) }, 'name'],
    ['a name with control characters', { ...valid, name: 'a\u0007b' }, 'name'],
    ['no scopes', { ...valid, scopes: undefined }, 'scopes'],
    ['an empty list of scopes', { ...valid, scopes: [] }, 'scopes'],
    ['scopes as a string', { ...valid, scopes: 'posts:write' }, 'scopes'],
    ['the account scope', { ...valid, scopes: ['posts:write', 'account'] }, 'scopes'],
    ['an OpenID Connect scope', { ...valid, scopes: ['openid'] }, 'scopes'],
    ['an unknown scope', { ...valid, scopes: ['admin'] }, 'scopes'],
    ['a scope twice', { ...valid, scopes: ['posts:write', 'posts:write'] }, 'scopes'],
    ['no expiry', { ...valid, expiresInDays: undefined }, 'expiresInDays'],
    ['0 days', { ...valid, expiresInDays: 0 }, 'expiresInDays'],
    ['367 days', { ...valid, expiresInDays: 367 }, 'expiresInDays'],
    ['half a day', { ...valid, expiresInDays: 1.5 }, 'expiresInDays'],
    ['days as a string', { ...valid, expiresInDays: '30' }, 'expiresInDays'],
    ['an unknown field', { ...valid, token: 'nuell_pat_mine' }, 'token'],
  ];

  let session: string;
  beforeAll(async () => {
    session = (await owner()).session;
  });

  it.each(cases)('refuses %s with 400 naming the field', async (_what, body, field) => {
    const res = await fetch(`${api.url}/api/v1/users/me/tokens`, bearer(session, json(body)));
    expect(res.status).toBe(400);
    const problem = await problemOf(res);
    expect((problem.errors as { field: string }[]).map((e) => e.field)).toContain(field);
  });

  it('created none of them', async () => {
    expect(await ok<TokenBody[]>(await call('GET', '/users/me/tokens', session))).toEqual([]);
  });
});
