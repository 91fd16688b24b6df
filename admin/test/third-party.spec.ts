/**
 * Third-party access in the panel, over HTTP against the real panel and API: a user's personal
 * access tokens on their page and in the tokens list, an operator's revocation that the API
 * honours on the token's next request, and the audit entry in the operator's name.
 */
import { bearer, json, login, register, verify, type Account } from '../../api/test/support/accounts.js';
import type { UserOverview } from '../src/component-props.js';
import { operator, type PanelClient, signedIn, usePanelAndApi } from './support/panel.js';

const { panel, api } = usePanelAndApi();

let ops: Account;
let client: PanelClient;
beforeAll(async () => {
  ops = await operator(api);
  client = await signedIn(panel, ops);
});

const overviewOf = async (id: string) =>
  (await client.json<{ overview: UserOverview }>(`/cp/api/resources/User/records/${id}/overview`)).overview;

/** A token the user makes in their settings (the API), answered once. */
async function makeToken(
  user: Account,
  body: { name: string; scopes: string[]; expiresInDays: number | null },
): Promise<{ id: string; token: string }> {
  const { accessToken } = await login(api.url, user);
  const res = await fetch(`${api.url}/api/v1/users/me/tokens`, bearer(accessToken, json(body)));
  if (res.status !== 201) throw new Error(`making a token answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { id: string; token: string };
}

const me = (token: string) => fetch(`${api.url}/api/v1/users/me`, bearer(token));

describe('personal access tokens', () => {
  it("lists a user's tokens on their page, never the token, live ones first", async () => {
    const user = await register(api.url);
    await verify(api.url, user);
    const old = await makeToken(user, { name: 'old script', scopes: ['profile:read'], expiresInDays: 7 });
    await api.db.query(`UPDATE personal_access_tokens SET expires_at = now() - interval '1 day' WHERE id = $1`, [
      old.id,
    ]);
    const deploy = await makeToken(user, {
      name: 'deploy',
      scopes: ['posts:write', 'profile:read'],
      expiresInDays: null,
    });
    expect((await me(deploy.token)).status).toBe(200);

    const { tokens, tokensLimit } = await overviewOf(user.id);
    expect(tokensLimit).toBeGreaterThanOrEqual(50);
    expect(tokens.map((t) => [t.name, t.status, t.expiresAt === null])).toEqual([
      ['deploy', 'live', true],
      ['old script', 'expired', false],
    ]);
    const [live] = tokens;
    expect(live).toMatchObject({
      id: deploy.id,
      scopes: ['posts:write', 'profile:read'],
      hint: `nuell_pat_…${deploy.token.slice(-4)}`,
      revokedAt: null,
    });
    expect(live?.lastUsedAt).not.toBeNull();
    const page = JSON.stringify(
      await client.json(`/cp/api/resources/PersonalAccessToken/actions/list?filters.userId=${user.id}`),
    );
    expect(page).toContain('deploy');
    expect(page).not.toContain(deploy.token);
    expect(page).not.toMatch(/token_?hash/i);
  });

  it('an operator revokes a live token: the API refuses it at once, and the audit log names the operator', async () => {
    const user = await register(api.url);
    await verify(api.url, user);
    const { id, token } = await makeToken(user, { name: 'leaked', scopes: ['profile:read'], expiresInDays: 30 });
    const other = await makeToken(user, { name: 'kept', scopes: ['profile:read'], expiresInDays: 30 });

    const ask = await client.json<{ confirmation: { question: string; consequence: string } }>(
      `/cp/api/resources/PersonalAccessToken/records/${id}/revoke`,
    );
    expect(ask.confirmation.question).toBe(
      `Revoke the token "leaked" (nuell_pat_…${token.slice(-4)}) of ${user.email}?`,
    );
    // The GET only asks.
    expect((await me(token)).status).toBe(200);

    const answer = await client.act('PersonalAccessToken', id, 'revoke');
    expect(answer.notice).toEqual({ message: 'Revoked: "leaked" no longer works.', type: 'success' });
    expect(answer.record.params.status).toBe('revoked');
    expect((await me(token)).status).toBe(401);
    expect((await me(other.token)).status).toBe(200);

    const [entry] = await api.db.query<{ actor_id: string; target_type: string; target_id: string; data: object }[]>(
      `SELECT actor_id, target_type, target_id, data FROM audit_log WHERE action = 'token_revoked' AND target_id = $1`,
      [user.id],
    );
    expect(entry).toEqual({
      actor_id: ops.id,
      target_type: 'user',
      target_id: user.id,
      data: { token: id, name: 'leaked' },
    });
    const overview = await overviewOf(user.id);
    expect(overview.tokens.find((t) => t.id === id)?.status).toBe('revoked');
    expect(overview.history[0]).toMatchObject({
      action: 'token_revoked',
      label: 'Revoked a personal access token',
      actor: { kind: 'user', id: ops.id, email: ops.email },
    });

    // Revoke is no longer offered, and a POST made anyway is refused in words.
    const again = await client.act('PersonalAccessToken', id, 'revoke');
    expect(again.notice.type).toBe('error');
    expect(again.notice.message).toMatch(/revoked already/);
  });
});

/**
 * Client authentication at the token endpoint, with a code that was never issued: `accepted`
 * when the answer is invalid_grant (the client got past authentication to the code), `refused`
 * when the client id and secret were refused or the app is suspended.
 */
const clientAuth = async (clientId: string, secret: string) => {
  const res = await fetch(`${api.url}/api/v1/auth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: 'never-issued',
      redirect_uri: 'https://crm.example.com/callback',
      code_verifier: 'a'.repeat(43),
    }).toString(),
  });
  const { error } = (await res.json()) as { error: string };
  return error === 'invalid_grant' ? 'accepted' : `refused (${error})`;
};

interface Registered {
  notice: { message: string; type: string };
  errors?: Record<string, string>;
  registered?: { id: string; clientId: string; name: string; type: string; clientSecret: string | null };
}

const register_ = (form: Record<string, string>) =>
  client.post('/cp/api/resources/OAuthClient/actions/register', form).then(async (res) => {
    if (res.status !== 200) throw new Error(`register answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as Registered;
  });

async function auditOf(action: string, targetId: string) {
  return api.db.query<{ actor_id: string; target_type: string; data: Record<string, unknown> }[]>(
    'SELECT actor_id, target_type, data FROM audit_log WHERE action = $1 AND target_id = $2',
    [action, targetId],
  );
}

describe('apps', () => {
  it('registers a confidential app for a partner: its secret shown once, working, stored only as a hash', async () => {
    const answer = await register_({
      name: 'Partner CRM',
      type: 'confidential',
      redirectUris: 'https://crm.example.com/callback\n  http://localhost:8080/cb  \n',
      scopes: 'openid email profile:read',
    });
    expect(answer.notice).toEqual({ message: 'Partner CRM is registered.', type: 'success' });
    const app = answer.registered!;
    expect(app.clientId).toMatch(/^nuell_app_/);
    expect(app.clientSecret).toMatch(/^nuell_secret_/);
    const [row] = await api.db.query<
      { owner_id: string | null; redirect_uris: string[]; scopes: string[]; secret_hash: string }[]
    >('SELECT owner_id, redirect_uris, scopes, secret_hash FROM oauth_clients WHERE id = $1', [app.id]);
    expect(row).toMatchObject({
      owner_id: null,
      redirect_uris: ['https://crm.example.com/callback', 'http://localhost:8080/cb'],
      scopes: ['openid', 'email', 'profile:read'],
    });
    expect(row?.secret_hash).not.toContain(app.clientSecret);
    expect(await clientAuth(app.clientId, app.clientSecret!)).toBe('accepted');
    expect(await clientAuth(app.clientId, `${app.clientSecret!}x`)).toMatch(/^refused/);
    expect(await auditOf('oauth_client_registered', app.id)).toEqual([
      expect.objectContaining({ actor_id: ops.id, target_type: 'oauth_client' }),
    ]);

    // The operator's page names the app in its history.
    expect((await overviewOf(ops.id)).history.find((e) => e.action === 'oauth_client_registered')).toMatchObject({
      label: 'Registered an app',
      actor: { kind: 'self' },
      target: { kind: 'record', resource: 'OAuthClient', id: app.id, name: 'Partner CRM' },
    });

    // The app's page and the list: the operators as the registrant, never the secret or its hash.
    const shown = await client.json(`/cp/api/resources/OAuthClient/records/${app.id}/show`);
    expect(shown.record.params).toMatchObject({
      name: 'Partner CRM',
      ownerId: null,
      registeredBy: 'The operators',
      redirectUriList: 'https://crm.example.com/callback\nhttp://localhost:8080/cb',
      scopeList: 'openid, email, profile:read',
      people: 0,
      suspended: false,
    });
    const list = JSON.stringify(await client.json('/cp/api/resources/OAuthClient/actions/list'));
    expect(list).toContain('Partner CRM');
    expect(list).not.toContain(app.clientSecret);
    expect(list).not.toMatch(/secret_?hash/i);
  });

  it('registers a public app without a secret', async () => {
    const answer = await register_({
      name: 'Phone app',
      type: 'public',
      redirectUris: 'http://127.0.0.1:7000/done',
      scopes: 'posts:write',
    });
    expect(answer.registered).toMatchObject({ name: 'Phone app', type: 'public', clientSecret: null });
  });

  it('refuses a registration the API would refuse, field by field, in words, and registers nothing', async () => {
    const [{ n: before }] = await api.db.query<[{ n: number }]>('SELECT count(*)::int AS n FROM oauth_clients');
    const answer = await register_({
      name: '',
      type: 'sometimes',
      redirectUris: 'http://crm.example.com/callback',
      scopes: '',
    });
    expect(answer.registered).toBeUndefined();
    expect(answer.notice).toEqual({ message: 'The app was not registered: see below.', type: 'error' });
    expect(Object.keys(answer.errors ?? {}).sort()).toEqual(['name', 'redirectUris', 'scopes', 'type']);
    expect(answer.errors?.redirectUris).toBe(
      'http://crm.example.com/callback: use https, or http only for localhost or 127.0.0.1.',
    );
    expect(answer.errors?.type).toBe('The kind of app must be public or confidential.');
    expect(answer.errors?.scopes).toMatch(/^The scopes must /);

    const fragment = await register_({
      name: 'X',
      type: 'public',
      redirectUris: 'https://x.example.com/cb#here',
      scopes: 'account',
    });
    expect(fragment.errors?.redirectUris).toMatch(/fragment/);
    expect(fragment.errors?.scopes).toMatch(/^Each of the scopes must be one of/);
    const [{ n: after }] = await api.db.query<[{ n: number }]>('SELECT count(*)::int AS n FROM oauth_clients');
    expect(after).toBe(before);
  });

  it('suspends an app: the token endpoint refuses it at once; lifting the suspension lets it back; both audited', async () => {
    const app = (
      await register_({
        name: 'Spammy',
        type: 'confidential',
        redirectUris: 'https://s.example.com/cb',
        scopes: 'openid',
      })
    ).registered!;
    const ask = await client.json(`/cp/api/resources/OAuthClient/records/${app.id}/suspendApp`);
    expect(ask.confirmation.question).toBe('Suspend Spammy?');
    expect(ask.confirmation.consequence).toMatch(/Nobody has allowed it yet/);
    expect(await clientAuth(app.clientId, app.clientSecret!)).toBe('accepted');

    const suspended = await client.act('OAuthClient', app.id, 'suspendApp');
    expect(suspended.notice).toEqual({ message: 'Spammy is suspended: its tokens no longer work.', type: 'success' });
    expect(suspended.record.params.suspended).toBe(true);
    expect(await clientAuth(app.clientId, app.clientSecret!)).toMatch(/^refused/);
    expect((await auditOf('oauth_client_suspended', app.id))[0]?.actor_id).toBe(ops.id);
    const suspendedList = await client.json<{ records: { id: string }[] }>(
      '/cp/api/resources/OAuthClient/actions/list?filters.suspended=true',
    );
    expect(suspendedList.records.map((r) => r.id)).toContain(app.id);

    const lifted = await client.act('OAuthClient', app.id, 'unsuspendApp');
    expect(lifted.notice).toEqual({ message: 'Spammy works again.', type: 'success' });
    expect(await clientAuth(app.clientId, app.clientSecret!)).toBe('accepted');
    expect((await auditOf('oauth_client_unsuspended', app.id))[0]?.actor_id).toBe(ops.id);
  });

  it('lists the signing keys and rotates them: a new key signs, the old one stays published, audited', async () => {
    const keysPage = () =>
      client.json<{ keys: { kid: string; current: boolean; publishedUntil: string }[] }>(
        '/cp/api/resources/OAuthClient/actions/signingKeys',
      );
    // The JWKS starts a key when there is none.
    expect((await fetch(`${api.url}/api/v1/oauth/jwks`)).status).toBe(200);
    const before = await keysPage();
    const current = before.keys.find((key) => key.current)!;
    expect(current).toBeDefined();

    const res = await client.post('/cp/api/resources/OAuthClient/actions/signingKeys');
    const rotated = (await res.json()) as { keys: { kid: string; current: boolean }[]; notice: { message: string } };
    const next = rotated.keys.find((key) => key.current)!;
    expect(next.kid).not.toBe(current.kid);
    expect(rotated.keys.find((key) => key.kid === current.kid)?.current).toBe(false);
    expect(rotated.notice.message).toContain(next.kid);
    const jwks = (await (await fetch(`${api.url}/api/v1/oauth/jwks`)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((key) => key.kid)).toEqual(expect.arrayContaining([next.kid, current.kid]));
    const [entry] = await api.db.query<{ actor_id: string; data: { kid: string } }[]>(
      `SELECT actor_id, data FROM audit_log WHERE action = 'signing_key_rotated' ORDER BY created_at DESC LIMIT 1`,
    );
    expect(entry).toEqual({ actor_id: ops.id, data: { kid: next.kid } });
    // A GET only lists.
    expect((await keysPage()).keys.find((key) => key.current)?.kid).toBe(next.kid);
  });
});
