/**
 * The authorization code flow's rules: what the consent API refuses to the page and what it sends
 * back to the app, codes (single use, 60 s, bound to client, redirect URI and PKCE), client
 * authentication, refresh rules, and tokens used where they must not be.
 */
import { bearer, json, login, refreshCookie, register } from './support/accounts.js';
import { useTestApp } from './support/app.js';
import { emailsTo } from './support/mail.js';
import {
  authorizeParams,
  CALLBACK,
  consent,
  pkcePair,
  postForm,
  registerApp,
  signedInUser,
  tokensFor,
  type RegisteredApp,
} from './support/oauth.js';

const api = useTestApp();
const tokenUrl = () => `${api.url}/api/v1/auth/token`;
const basic = (app: RegisteredApp) => ({ id: app.clientId, secret: app.clientSecret! });

async function view(userToken: string, params: Record<string, string>): Promise<Response> {
  return fetch(`${api.url}/api/v1/oauth/authorize?${new URLSearchParams(params).toString()}`, bearer(userToken));
}

/** A user, an app of theirs and a fresh PKCE pair. */
async function setUp(input: Parameters<typeof registerApp>[2] = {}) {
  const user = await signedInUser(api.url);
  const app = await registerApp(api.url, user.token, input);
  return { ...user, app, pkce: pkcePair() };
}

describe('GET /oauth/authorize (what the consent page shows)', () => {
  it('describes the app, its owner and the scopes in words', async () => {
    const { token, app, pkce } = await setUp();
    const res = await view(token, authorizeParams(app, pkce.challenge, { scope: 'openid posts:write' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      client: { clientId: app.clientId, name: 'Test app', ownerName: 'Test User', operatorRegistered: false },
      scopes: [
        { scope: 'openid', description: expect.stringMatching(/sign you in/i) },
        { scope: 'posts:write', description: expect.stringMatching(/posts/) },
      ],
      redirectHost: 'app.example.test',
      redirectUri: CALLBACK,
    });
  });

  it.each([
    ['an unknown client_id', { client_id: 'nuell_app_doesnotexist000000000' }],
    ['no client_id', { client_id: '' }],
    ['an unregistered redirect_uri', { redirect_uri: 'https://evil.example.test/callback' }],
    ['a redirect_uri that only starts like the registered one', { redirect_uri: `${CALLBACK}/../steal` }],
    ['a redirect_uri with an extra query', { redirect_uri: `${CALLBACK}?x=1` }],
  ])('refuses %s with a problem the page shows, never a redirect', async (_case, override) => {
    const { token, app, pkce } = await setUp();
    const res = await view(token, authorizeParams(app, pkce.challenge, override));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(JSON.stringify(await res.json())).not.toContain('redirectTo');
  });

  it.each([
    ['a response_type other than code', { response_type: 'token' }, 'unsupported_response_type'],
    ['no PKCE challenge', { code_challenge: '' }, 'invalid_request'],
    ['the plain PKCE method', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['no PKCE method', { code_challenge_method: '' }, 'invalid_request'],
    ['an unknown scope', { scope: 'openid admin' }, 'invalid_scope'],
    ['the account scope', { scope: 'account' }, 'invalid_scope'],
    ['a scope the app was not allowed', { scope: 'profile:write' }, 'invalid_scope'],
  ])('sends %s back to the app as an OAuth error with state and iss', async (_case, override, error) => {
    const { token, app, pkce } = await setUp();
    const params = authorizeParams(app, pkce.challenge, override);
    const res = await view(token, params);
    expect(res.status).toBe(200);
    const { redirectTo } = (await res.json()) as { redirectTo: string };
    const url = new URL(redirectTo);
    expect(url.origin + url.pathname).toBe(CALLBACK);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      error,
      error_description: expect.any(String),
      state: params.state,
      iss: 'http://localhost:3000',
    });
  });

  it('is first-party only: a personal access token or an app token cannot consent', async () => {
    const { token, app, pkce } = await setUp();
    const pat = await fetch(
      `${api.url}/api/v1/users/me/tokens`,
      bearer(token, json({ name: 'script', scopes: ['profile:read'], expiresInDays: 1 })),
    );
    const { token: patToken } = (await pat.json()) as { token: string };
    expect((await view(patToken, authorizeParams(app, pkce.challenge))).status).toBe(403);
    const appTokens = await tokensFor(api.url, app, token);
    expect((await view(appTokens.access_token!, authorizeParams(app, pkce.challenge))).status).toBe(403);
    expect((await view('', authorizeParams(app, pkce.challenge))).status).toBe(401);
  });
});

describe('POST /oauth/authorize (the decision)', () => {
  it('makes one connection, and one e-mail, when two first "Allow"s race', async () => {
    const { token, app, pkce, account } = await setUp();
    const params = authorizeParams(app, pkce.challenge);
    const redirects = await Promise.all([1, 2].map(() => consent(api.url, token, params)));
    for (const redirect of redirects) expect(redirect.searchParams.get('code')).toEqual(expect.any(String));
    const [{ n }] = await api.db.query<[{ n: number }]>(
      `SELECT count(*)::int AS n FROM oauth_grants g JOIN oauth_clients c ON c.id = g.client_id
        WHERE g.user_id = $1 AND c.client_id = $2`,
      [account.id, app.clientId],
    );
    expect(n).toBe(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(
      (await emailsTo(account.email)).filter((m) => /can now use your nuell account/.test(m.subject)),
    ).toHaveLength(1);
  });

  it('answers a code with state and iss on allow, access_denied on deny', async () => {
    const { token, app, pkce } = await setUp();
    const params = authorizeParams(app, pkce.challenge);
    const allowed = await consent(api.url, token, params);
    expect(allowed.searchParams.get('code')).toMatch(/^[\w-]{43}$/);
    expect(allowed.searchParams.get('state')).toBe(params.state);
    expect(allowed.searchParams.get('iss')).toBe('http://localhost:3000');
    const denied = await consent(api.url, token, params, 'deny');
    expect(denied.searchParams.get('error')).toBe('access_denied');
    expect(denied.searchParams.get('code')).toBeNull();
    expect(denied.searchParams.get('state')).toBe(params.state);
  });
});

describe('the authorization_code grant', () => {
  async function codeFor(extra: Record<string, string> = {}, input: Parameters<typeof registerApp>[2] = {}) {
    const setup = await setUp(input);
    const params = authorizeParams(setup.app, setup.pkce.challenge, extra);
    const code = (await consent(api.url, setup.token, params)).searchParams.get('code')!;
    return { ...setup, params, code };
  }

  const exchange = (code: string, verifier: string, redirectUri = CALLBACK) => ({
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
  });

  it('answers tokens and an ID token; the access token acts for the user within the scopes', async () => {
    const { app, code, pkce, account } = await codeFor({ scope: 'openid profile:read' });
    const res = await postForm(tokenUrl(), exchange(code, pkce.verifier), basic(app));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Record<string, string>;
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: expect.any(String),
      scope: 'openid profile:read',
      id_token: expect.any(String),
    });
    const me = await fetch(`${api.url}/api/v1/users/me`, bearer(body.access_token!));
    expect(await me.json()).toMatchObject({ id: account.id });
  });

  it.each([
    ['a wrong code_verifier', (v: string) => ({ code_verifier: `${v.slice(0, -1)}x` })],
    ['no code_verifier', () => ({ code_verifier: '' })],
    ['a different redirect_uri', () => ({ redirect_uri: 'https://app.example.test/other' })],
    ['no redirect_uri', () => ({ redirect_uri: '' })],
  ])('refuses %s with invalid_grant, and the code is spent', async (_case, change) => {
    const { app, code, pkce } = await codeFor();
    const form = Object.fromEntries(
      Object.entries({ ...exchange(code, pkce.verifier), ...change(pkce.verifier) }).filter(([, v]) => v !== ''),
    );
    const res = await postForm(tokenUrl(), form, basic(app));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
    const again = await postForm(tokenUrl(), exchange(code, pkce.verifier), basic(app));
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a reused code and revokes the tokens the first use got', async () => {
    const { app, code, pkce } = await codeFor();
    const first = (await (await postForm(tokenUrl(), exchange(code, pkce.verifier), basic(app))).json()) as Record<
      string,
      string
    >;
    const replay = await postForm(tokenUrl(), exchange(code, pkce.verifier), basic(app));
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await fetch(`${api.url}/api/v1/oauth/userinfo`, bearer(first.access_token!))).status).toBe(401);
    const refreshed = await postForm(
      tokenUrl(),
      { grant_type: 'refresh_token', refresh_token: first.refresh_token! },
      basic(app),
    );
    expect(await refreshed.json()).toMatchObject({ error: 'invalid_grant' });
    const [audit] = await api.db.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM audit_log WHERE action = 'oauth_code_reused' AND data->>'revokedTokens' = '1'`,
    );
    expect(Number(audit!.n)).toBeGreaterThanOrEqual(1);
  });

  it('revokes what a code bought even when its replay races the first exchange', async () => {
    const { app, code, pkce } = await codeFor();
    const answers = await Promise.all(
      [1, 2].map(async () => {
        const res = await postForm(tokenUrl(), exchange(code, pkce.verifier), basic(app));
        return (await res.json()) as Record<string, string>;
      }),
    );
    // One exchange won the code; the other was a replay, which ends the winner's tokens too.
    const won = answers.find((a) => a.access_token !== undefined)!;
    expect(answers.filter((a) => a.error === 'invalid_grant')).toHaveLength(1);
    expect((await fetch(`${api.url}/api/v1/oauth/userinfo`, bearer(won.access_token!))).status).toBe(401);
  });

  it('refuses an expired code', async () => {
    const { app, code, pkce } = await codeFor();
    await api.db.query(`UPDATE oauth_codes SET expires_at = now() - interval '1 second' WHERE used_at IS NULL`);
    const res = await postForm(tokenUrl(), exchange(code, pkce.verifier), basic(app));
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it("refuses another app's code", async () => {
    const { code, pkce, token } = await codeFor();
    const other = await registerApp(api.url, token);
    const res = await postForm(tokenUrl(), exchange(code, pkce.verifier), basic(other));
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('authenticates confidential apps with client_secret_post too, and public apps by client_id', async () => {
    const post = await codeFor();
    const viaPost = await postForm(tokenUrl(), {
      ...exchange(post.code, post.pkce.verifier),
      client_id: post.app.clientId,
      client_secret: post.app.clientSecret!,
    });
    expect(viaPost.status).toBe(200);

    const pub = await codeFor({}, { type: 'public' });
    expect(pub.app.clientSecret).toBeNull();
    const viaId = await postForm(tokenUrl(), { ...exchange(pub.code, pub.pkce.verifier), client_id: pub.app.clientId });
    expect(viaId.status).toBe(200);
  });

  it.each([
    ['a wrong secret', (app: RegisteredApp) => ({ basic: { id: app.clientId, secret: 'nuell_secret_wrong' } })],
    ['an unknown app', () => ({ basic: { id: 'nuell_app_unknown000000000000000', secret: 'x' } })],
    ['no client at all', () => ({})],
    ['a confidential app without its secret', (app: RegisteredApp) => ({ form: { client_id: app.clientId } })],
  ])('answers %s with invalid_client, 401 and a Basic challenge', async (_case, how) => {
    const { app, code, pkce } = await codeFor();
    const { basic: credentials, form } = how(app) as {
      basic?: { id: string; secret: string };
      form?: Record<string, string>;
    };
    const res = await postForm(tokenUrl(), { ...exchange(code, pkce.verifier), ...form }, credentials);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('answers credentials that are not text invalid_request, never 500', async () => {
    const { app, code, pkce } = await codeFor();
    const forms = [
      // A repeated field is a list to the form parser.
      `${new URLSearchParams(exchange(code, pkce.verifier)).toString()}&client_id=${app.clientId}&client_id=${app.clientId}&client_secret=x`,
      `${new URLSearchParams(exchange(code, pkce.verifier)).toString()}&client_id=${app.clientId}&client_secret=a&client_secret=b`,
    ];
    for (const body of forms) {
      for (const url of [tokenUrl(), `${api.url}/api/v1/oauth/revoke`, `${api.url}/api/v1/oauth/introspect`]) {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        });
        expect([url, res.status]).toEqual([url, 400]);
        expect(await res.json()).toMatchObject({ error: 'invalid_request' });
      }
    }
  });

  it('does not let an app use the password grant', async () => {
    const { app, account } = await setUp();
    const res = await postForm(
      tokenUrl(),
      { grant_type: 'password', username: account.email, password: account.password },
      basic(app),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'unauthorized_client' });
  });
});

describe('refresh and token confusion', () => {
  it('rotates an app refresh token, refuses its reuse and never widens the scopes', async () => {
    const { app, token } = await setUp();
    const first = await tokensFor(api.url, app, token, { scope: 'openid profile:read' });
    const wider = await postForm(
      tokenUrl(),
      { grant_type: 'refresh_token', refresh_token: first.refresh_token!, scope: 'posts:write' },
      basic(app),
    );
    expect(await wider.json()).toMatchObject({ error: 'invalid_scope' });
    const first2 = await tokensFor(api.url, app, token, { scope: 'openid profile:read' });
    const narrowed = await postForm(
      tokenUrl(),
      { grant_type: 'refresh_token', refresh_token: first2.refresh_token!, scope: 'profile:read' },
      basic(app),
    );
    const body = (await narrowed.json()) as Record<string, string>;
    expect(body).toMatchObject({ scope: 'profile:read' });
    expect(body.id_token).toBeUndefined();
    const reuse = await postForm(
      tokenUrl(),
      { grant_type: 'refresh_token', refresh_token: first2.refresh_token! },
      basic(app),
    );
    expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await fetch(`${api.url}/api/v1/users/me`, bearer(body.access_token!))).status).toBe(401);
  });

  it('keeps the refresh token usable after asking it for scopes it was not granted', async () => {
    const { app, token } = await setUp();
    const first = await tokensFor(api.url, app, token, { scope: 'openid profile:read' });
    const wider = await postForm(
      tokenUrl(),
      { grant_type: 'refresh_token', refresh_token: first.refresh_token!, scope: 'posts:write' },
      basic(app),
    );
    expect(await wider.json()).toMatchObject({ error: 'invalid_scope' });
    // The refusal spent nothing: the same token refreshes, and the family lives on.
    const again = await postForm(
      tokenUrl(),
      { grant_type: 'refresh_token', refresh_token: first.refresh_token! },
      basic(app),
    );
    expect(again.status).toBe(200);
    const body = (await again.json()) as Record<string, string>;
    expect((await fetch(`${api.url}/api/v1/users/me`, bearer(body.access_token!))).status).toBe(200);
  });

  it("keeps apps' and first-party refresh tokens apart", async () => {
    const { app, token, account } = await setUp();
    const appTokens = await tokensFor(api.url, app, token);
    // An app's refresh token without the app, or at the browser's refresh endpoint: refused.
    const bare = await postForm(tokenUrl(), { grant_type: 'refresh_token', refresh_token: appTokens.refresh_token! });
    expect(await bare.json()).toMatchObject({ error: 'invalid_grant' });
    const cookie = await fetch(`${api.url}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { cookie: `refresh_token=${appTokens.refresh_token}`, origin: 'http://localhost:3000' },
    });
    expect(cookie.status).toBe(401);
    // ...and it still works for its app: the refusals did not end it.
    const own = await postForm(
      tokenUrl(),
      { grant_type: 'refresh_token', refresh_token: appTokens.refresh_token! },
      basic(app),
    );
    expect(own.status).toBe(200);

    // A browser's refresh token presented by an app: refused.
    const browser = refreshCookie((await login(api.url, account)).response)!;
    const stolen = await postForm(tokenUrl(), { grant_type: 'refresh_token', refresh_token: browser }, basic(app));
    expect(await stolen.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses an ID token as an access token, and an access token as a refresh token', async () => {
    const { app, token } = await setUp();
    const tokens = await tokensFor(api.url, app, token);
    expect((await fetch(`${api.url}/api/v1/users/me`, bearer(tokens.id_token!))).status).toBe(401);
    expect((await fetch(`${api.url}/api/v1/oauth/userinfo`, bearer(tokens.id_token!))).status).toBe(401);
    const asRefresh = await postForm(
      tokenUrl(),
      { grant_type: 'refresh_token', refresh_token: tokens.access_token! },
      basic(app),
    );
    expect(await asRefresh.json()).toMatchObject({ error: 'invalid_grant' });
    const codeAsRefresh = await postForm(
      tokenUrl(),
      {
        grant_type: 'authorization_code',
        code: tokens.refresh_token!,
        redirect_uri: CALLBACK,
        code_verifier: pkcePair().verifier,
      },
      basic(app),
    );
    expect(await codeAsRefresh.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it("gives an app no account powers, and an admin's app token only a user's", async () => {
    const admin = await register(api.url);
    await api.db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [admin.id]);
    const { accessToken } = await login(api.url, admin);
    const app = await registerApp(api.url, accessToken);
    const tokens = await tokensFor(api.url, app, accessToken);
    expect((await fetch(`${api.url}/api/v1/users/me/sessions`, bearer(tokens.access_token!))).status).toBe(403);
    expect((await fetch(`${api.url}/api/v1/users/me/apps`, bearer(tokens.access_token!))).status).toBe(403);
    const adminRoute = await fetch(`${api.url}/api/v1/admin/users`, bearer(tokens.access_token!));
    expect([403, 404]).toContain(adminRoute.status);
  });

  it('refuses a personal access token at userinfo (no openid) and as a refresh token', async () => {
    const { token, app } = await setUp();
    const res = await fetch(
      `${api.url}/api/v1/users/me/tokens`,
      bearer(token, json({ name: 'script', scopes: ['profile:read'], expiresInDays: 1 })),
    );
    const { token: pat } = (await res.json()) as { token: string };
    expect((await fetch(`${api.url}/api/v1/oauth/userinfo`, bearer(pat))).status).toBe(403);
    const asRefresh = await postForm(tokenUrl(), { grant_type: 'refresh_token', refresh_token: pat }, basic(app));
    expect(await asRefresh.json()).toMatchObject({ error: 'invalid_grant' });
  });
});
