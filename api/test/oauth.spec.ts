import { ResourceOwnerPassword } from 'simple-oauth2';
import { bearer, PASSWORD, register } from './support/accounts.js';
import { useTestApp } from './support/app.js';

const api = useTestApp();

const form = (params: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${api.url}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
  });

describe('an off-the-shelf OAuth2 client (simple-oauth2)', () => {
  it('obtains tokens with the password grant and refreshes them', async () => {
    const account = await register(api.url);
    const client = new ResourceOwnerPassword({
      client: { id: 'nuell-cli', secret: '' },
      auth: { tokenHost: api.url, tokenPath: '/api/v1/auth/token' },
    });
    const first = await client.getToken({ username: account.email, password: PASSWORD, scope: 'profile' });
    // `profile` is read as it meant before the API scopes were split.
    expect(first.token).toMatchObject({
      token_type: 'Bearer',
      expires_in: 900,
      scope: 'profile:read profile:write account',
    });
    const me = await fetch(`${api.url}/api/v1/users/me`, bearer(first.token.access_token as string));
    expect(await me.json()).toMatchObject({ id: account.id });

    const second = await first.refresh();
    expect(second.token.access_token).not.toBe(first.token.access_token);
    expect(second.token.refresh_token).not.toBe(first.token.refresh_token);
    expect((await fetch(`${api.url}/api/v1/users/me`, bearer(second.token.access_token as string))).status).toBe(200);

    // The rotated refresh token is spent: replaying it revokes the family.
    await expect(first.refresh()).rejects.toThrow(/400|invalid_grant/);
    expect((await fetch(`${api.url}/api/v1/users/me`, bearer(second.token.access_token as string))).status).toBe(401);
  });
});

describe('POST /auth/token', () => {
  it('answers the standard success body with no-store caching', async () => {
    const account = await register(api.url);
    const res = await form({ grant_type: 'password', username: account.email, password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('pragma')).toBe('no-cache');
    expect(await res.json()).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: expect.stringMatching(/^[\w-]{43}$/),
      scope: 'profile:read profile:write posts:write account',
    });
  });

  it.each([
    [
      'a wrong password',
      () => ({ grant_type: 'password', username: 'nobody@example.test', password: 'x' }),
      400,
      'invalid_grant',
    ],
    ['an unknown grant', () => ({ grant_type: 'client_credentials' }), 400, 'unsupported_grant_type'],
    ['no grant at all', () => ({}), 400, 'invalid_request'],
    ['a missing password', () => ({ grant_type: 'password', username: 'a@example.test' }), 400, 'invalid_request'],
    [
      'an unknown scope',
      () => ({ grant_type: 'password', username: 'a@example.test', password: 'x', scope: 'admin' }),
      400,
      'invalid_scope',
    ],
    ['a bad refresh token', () => ({ grant_type: 'refresh_token', refresh_token: 'nope' }), 400, 'invalid_grant'],
  ])('answers %s with the standard error body', async (_case, params, status, error) => {
    const res = await form(params());
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ error, error_description: expect.any(String) });
  });

  it('refuses JSON with invalid_request', async () => {
    const res = await fetch(`${api.url}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'password' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_request');
  });

  it('grants only the requested scopes, which routes enforce', async () => {
    const account = await register(api.url);
    const res = await form({
      grant_type: 'password',
      username: account.email,
      password: PASSWORD,
      scope: 'posts:write',
    });
    const token = (await res.json()) as { access_token: string; scope: string };
    expect(token.scope).toBe('posts:write');
    const me = await fetch(`${api.url}/api/v1/users/me`, bearer(token.access_token));
    expect(me.status).toBe(403);
    expect(((await me.json()) as { detail: string }).detail).toMatch(/profile:read/);
  });

  it('refuses the scopes only apps may hold (OpenID Connect) in the password grant', async () => {
    const account = await register(api.url);
    for (const scope of ['openid', 'email', 'profile:read openid']) {
      const res = await form({ grant_type: 'password', username: account.email, password: PASSWORD, scope });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_scope');
    }
  });

  it('is the only route that accepts a form body', async () => {
    const res = await fetch(`${api.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=a%40example.test&password=x',
    });
    expect(res.status).toBe(415);
  });
});
