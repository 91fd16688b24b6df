/**
 * Registered apps and what surrounds the flow: developer settings (register, change, new secret,
 * delete), connected apps, suspension by an operator, the signing keys' rotation, revocation and
 * introspection of an app's own tokens, and the discovery documents.
 */
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { OAuthClientsService } from '../src/oauth/oauth-clients.service.js';
import { SigningKeysService } from '../src/oauth/signing-keys.service.js';
import { bearer, json } from './support/accounts.js';
import { useTestApp } from './support/app.js';
import { waitForEmail } from './support/mail.js';
import { CALLBACK, postForm, registerApp, signedInUser, tokensFor, type RegisteredApp } from './support/oauth.js';

const api = useTestApp();
const ISSUER = 'http://localhost:3000';
const apps = (token: string, path = '', init: RequestInit = {}) =>
  fetch(`${api.url}/api/v1/users/me/apps${path}`, bearer(token, init));
const basic = (app: RegisteredApp) => ({ id: app.clientId, secret: app.clientSecret! });

describe('developer settings: /users/me/apps', () => {
  it('registers a confidential app with a secret shown once, lists, changes and deletes it', async () => {
    const { token } = await signedInUser(api.url);
    const app = await registerApp(api.url, token, { name: 'Cross-poster' });
    expect(app).toMatchObject({
      clientId: expect.stringMatching(/^nuell_app_[0-9A-Za-z]{24}$/),
      clientSecret: expect.stringMatching(/^nuell_secret_[0-9A-Za-z]{40}$/),
      type: 'confidential',
      redirectUris: [CALLBACK],
      suspendedAt: null,
    });
    const list = (await (await apps(token)).json()) as Record<string, unknown>[];
    expect(list).toHaveLength(1);
    expect(list[0]).not.toHaveProperty('clientSecret');
    expect(JSON.stringify(list)).not.toContain(app.clientSecret);

    const changed = await apps(token, `/${app.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Renamed', redirectUris: ['http://127.0.0.1:8080/cb'] }),
    });
    expect(await changed.json()).toMatchObject({ name: 'Renamed', redirectUris: ['http://127.0.0.1:8080/cb'] });

    expect((await apps(token, `/${app.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await apps(token, `/${app.id}`)).status).toBe(404);
  });

  it('gives a new secret on request; the old one stops at once', async () => {
    const { token } = await signedInUser(api.url);
    const app = await registerApp(api.url, token);
    const res = await apps(token, `/${app.id}/secret`, { method: 'POST' });
    const { clientSecret } = (await res.json()) as { clientSecret: string };
    expect(clientSecret).not.toBe(app.clientSecret);
    const form = { grant_type: 'refresh_token', refresh_token: 'x' };
    expect((await postForm(`${api.url}/api/v1/auth/token`, form, basic(app))).status).toBe(401);
    const withNew = await postForm(`${api.url}/api/v1/auth/token`, form, { id: app.clientId, secret: clientSecret });
    expect(await withNew.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it.each([
    ['a plain-http redirect URI', { redirectUris: ['http://app.example.test/cb'] }],
    ['a redirect URI with a fragment', { redirectUris: ['https://app.example.test/cb#x'] }],
    ['a relative redirect URI', { redirectUris: ['/cb'] }],
    ['no redirect URI', { redirectUris: [] }],
    ['eleven redirect URIs', { redirectUris: Array.from({ length: 11 }, (_, i) => `https://a.example.test/${i}`) }],
    ['the account scope', { scopes: ['account'] }],
    ['no scope', { scopes: [] }],
    ['an unknown type', { type: 'trusted' }],
    ['an empty name', { name: '  ' }],
  ])('refuses %s with a problem', async (_case, override) => {
    const { token } = await signedInUser(api.url);
    const res = await apps(
      token,
      '',
      json({ name: 'x', type: 'public', redirectUris: [CALLBACK], scopes: ['openid'], ...override }),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it("answers 404 for another user's app", async () => {
    const owner = await signedInUser(api.url);
    const other = await signedInUser(api.url);
    const app = await registerApp(api.url, owner.token);
    expect((await apps(other.token, `/${app.id}`)).status).toBe(404);
    expect((await apps(other.token, `/${app.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await apps(other.token, `/${app.id}/secret`, { method: 'POST' })).status).toBe(404);
  });
});

describe('connected apps', () => {
  it('lists the apps a user allowed, e-mails them once, and disconnecting ends the tokens at once', async () => {
    const owner = await signedInUser(api.url, { displayName: 'Ada King' });
    const app = await registerApp(api.url, owner.token, { name: 'Cross-poster' });
    const { account, token } = await signedInUser(api.url);
    const tokens = await tokensFor(api.url, app, token, { scope: 'openid posts:write' });
    await waitForEmail(account.email, /Cross-poster can now use your nuell account/);

    const listed = await fetch(`${api.url}/api/v1/users/me/connected-apps`, bearer(token));
    expect(await listed.json()).toEqual([
      {
        clientId: app.clientId,
        name: 'Cross-poster',
        ownerName: 'Ada King',
        scopes: ['openid', 'posts:write'],
        connectedAt: expect.any(String),
        lastUsedAt: expect.any(String),
      },
    ]);
    // The app is not one of the user's sessions.
    const sessions = (await (await fetch(`${api.url}/api/v1/users/me/sessions`, bearer(token))).json()) as unknown[];
    expect(sessions).toHaveLength(1);

    const gone = await fetch(
      `${api.url}/api/v1/users/me/connected-apps/${app.clientId}`,
      bearer(token, { method: 'DELETE' }),
    );
    expect(gone.status).toBe(204);
    expect((await fetch(`${api.url}/api/v1/oauth/userinfo`, bearer(tokens.access_token!))).status).toBe(401);
    const again = await fetch(
      `${api.url}/api/v1/users/me/connected-apps/${app.clientId}`,
      bearer(token, { method: 'DELETE' }),
    );
    expect(again.status).toBe(404);
  });
});

describe('an app suspended by an operator', () => {
  it('cannot authorize, is invalid_client at the token endpoint, and its tokens stop at once', async () => {
    const { token, account } = await signedInUser(api.url);
    const app = await registerApp(api.url, token);
    const tokens = await tokensFor(api.url, app, token, { scope: 'openid profile:read' });
    await api.app.get(OAuthClientsService).suspend(app.id, { actorId: account.id });

    expect((await fetch(`${api.url}/api/v1/users/me`, bearer(tokens.access_token!))).status).toBe(401);
    const refresh = await postForm(
      `${api.url}/api/v1/auth/token`,
      { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! },
      basic(app),
    );
    expect(refresh.status).toBe(401);
    expect(await refresh.json()).toMatchObject({ error: 'invalid_client' });
    const view = await fetch(
      `${api.url}/api/v1/oauth/authorize?${new URLSearchParams({ client_id: app.clientId, redirect_uri: CALLBACK, response_type: 'code' }).toString()}`,
      bearer(token),
    );
    expect(view.status).toBe(400);

    await api.app.get(OAuthClientsService).unsuspend(app.id, { actorId: account.id });
    expect((await fetch(`${api.url}/api/v1/users/me`, bearer(tokens.access_token!))).status).toBe(200);
  });
});

describe('signing keys', () => {
  it('publishes the previous key after a rotation, so its ID tokens still verify', async () => {
    const { token } = await signedInUser(api.url);
    const app = await registerApp(api.url, token);
    const before = await tokensFor(api.url, app, token);
    const oldKid = decodeProtectedHeader(before.id_token!).kid;

    const newKid = await api.app.get(SigningKeysService).rotate();
    expect(newKid).not.toBe(oldKid);
    const after = await tokensFor(api.url, app, token);
    expect(decodeProtectedHeader(after.id_token!)).toEqual({ alg: 'ES256', kid: newKid, typ: 'JWT' });

    const jwks = (await (await fetch(`${api.url}/api/v1/oauth/jwks`)).json()) as JSONWebKeySet;
    expect(jwks.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([oldKid, newKid]));
    expect(JSON.stringify(jwks)).not.toMatch(/"d"/);
    const keys = createLocalJWKSet(jwks);
    for (const idToken of [before.id_token!, after.id_token!]) {
      const { payload } = await jwtVerify(idToken, keys, { issuer: ISSUER, audience: app.clientId });
      expect(payload.azp).toBe(app.clientId);
    }
  });
});

describe('revocation and introspection (RFC 7009, RFC 7662)', () => {
  it('tells an app about its own tokens only, and revokes only its own', async () => {
    const { token } = await signedInUser(api.url);
    const app = await registerApp(api.url, token);
    const other = await registerApp(api.url, token);
    const tokens = await tokensFor(api.url, app, token, { scope: 'openid profile:read' });
    const introspect = (caller: RegisteredApp, t: string) =>
      postForm(`${api.url}/api/v1/oauth/introspect`, { token: t }, basic(caller)).then((r) => r.json());

    expect(await introspect(app, tokens.access_token!)).toMatchObject({
      active: true,
      scope: 'openid profile:read',
      client_id: app.clientId,
      token_type: 'Bearer',
      iss: ISSUER,
      exp: expect.any(Number),
    });
    expect(await introspect(app, tokens.refresh_token!)).toMatchObject({ active: true, token_type: 'refresh_token' });
    expect(await introspect(other, tokens.access_token!)).toEqual({ active: false });
    expect(await introspect(app, 'nonsense')).toEqual({ active: false });

    // Another app revoking it: 200 and nothing happens.
    const foreign = await postForm(`${api.url}/api/v1/oauth/revoke`, { token: tokens.refresh_token! }, basic(other));
    expect(foreign.status).toBe(200);
    expect((await fetch(`${api.url}/api/v1/users/me`, bearer(tokens.access_token!))).status).toBe(200);

    const own = await postForm(`${api.url}/api/v1/oauth/revoke`, { token: tokens.refresh_token! }, basic(app));
    expect(own.status).toBe(200);
    expect((await fetch(`${api.url}/api/v1/users/me`, bearer(tokens.access_token!))).status).toBe(401);
    expect(await introspect(app, tokens.access_token!)).toEqual({ active: false });
  });

  it('needs an authenticated app', async () => {
    const res = await postForm(`${api.url}/api/v1/oauth/introspect`, { token: 'x' });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });
});

describe('discovery', () => {
  it.each(['openid-configuration', 'oauth-authorization-server'])(
    'serves /.well-known/%s at the root',
    async (name) => {
      const res = await fetch(`${api.url}/.well-known/${name}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        issuer: ISSUER,
        authorization_endpoint: `${ISSUER}/oauth/authorize`,
        token_endpoint: `${ISSUER}/api/v1/auth/token`,
        jwks_uri: `${ISSUER}/api/v1/oauth/jwks`,
        code_challenge_methods_supported: ['S256'],
        id_token_signing_alg_values_supported: ['ES256'],
        authorization_response_iss_parameter_supported: true,
      });
      expect((await fetch(`${api.url}/api/v1/.well-known/${name}`)).status).toBe(404);
    },
  );
});
