/**
 * Off-the-shelf relying parties against the real API: openid-client (a certified OpenID Connect
 * library) doing discovery, the code flow with PKCE, the ID token's checks and userinfo; and
 * simple-oauth2 doing the plain OAuth 2.0 code flow. The consent is given over the API, as the web
 * app's page does (the web end-to-end tests drive the page itself in Chromium).
 */
import * as oidc from 'openid-client';
import { AuthorizationCode } from 'simple-oauth2';
import { bearer } from './support/accounts.js';
import { useTestApp } from './support/app.js';
import { consent, registerApp, signedInUser } from './support/oauth.js';

const api = useTestApp();
/** The issuer the API names (PUBLIC_URL in the tests); requests to it go to the test server. */
const ISSUER = 'http://localhost:3000';

/** The tests speak plain HTTP to the loopback; the library wants this said out loud. */
// eslint-disable-next-line @typescript-eslint/no-deprecated -- deprecated only to stand out; meant for tests like these
const INSECURE = oidc.allowInsecureRequests;

const toTestServer: oidc.CustomFetch = (url, options) => fetch(url.replace(ISSUER, api.url), options as RequestInit);

describe('openid-client (OpenID Connect relying party)', () => {
  it('discovers the provider, signs a user in with the code flow and PKCE, and reads userinfo', async () => {
    const { account, token } = await signedInUser(api.url, { displayName: 'Grace Hopper' });
    const app = await registerApp(api.url, token);

    const config = await oidc.discovery(
      new URL(ISSUER),
      app.clientId,
      undefined,
      oidc.ClientSecretBasic(app.clientSecret!),
      { execute: [INSECURE], [oidc.customFetch]: toTestServer },
    );
    expect(config.serverMetadata().code_challenge_methods_supported).toEqual(['S256']);

    const verifier = oidc.randomPKCECodeVerifier();
    const nonce = oidc.randomNonce();
    const state = oidc.randomState();
    const authorizationUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: app.redirectUris[0]!,
      scope: 'openid profile email',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      nonce,
      state,
    });
    expect(authorizationUrl.origin + authorizationUrl.pathname).toBe(`${ISSUER}/oauth/authorize`);

    // The consent page's part: the same query to the API, then "Allow".
    const callback = await consent(api.url, token, Object.fromEntries(authorizationUrl.searchParams));
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedNonce: nonce,
      expectedState: state,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: ISSUER, sub: account.id, aud: app.clientId, nonce, name: 'Grace Hopper' });
    expect(claims.email).toBe(account.email);
    expect(claims.email_verified).toBe(false);

    const info = await oidc.fetchUserInfo(config, tokens.access_token, account.id);
    expect(info).toEqual({ sub: account.id, name: 'Grace Hopper', email: account.email, email_verified: false });

    // Refresh keeps the user signed in to the app; the new access token works at userinfo too.
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect((await oidc.fetchUserInfo(config, refreshed.access_token, account.id)).sub).toBe(account.id);
  });

  it('refuses an ID token whose nonce is not the one it sent', async () => {
    const { token } = await signedInUser(api.url);
    const app = await registerApp(api.url, token);
    const config = await oidc.discovery(
      new URL(ISSUER),
      app.clientId,
      undefined,
      oidc.ClientSecretPost(app.clientSecret!),
      {
        execute: [INSECURE],
        [oidc.customFetch]: toTestServer,
      },
    );
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: app.redirectUris[0]!,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      nonce: 'the-nonce-the-server-saw',
    });
    const callback = await consent(api.url, token, Object.fromEntries(url.searchParams));
    const refused = await oidc
      .authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedNonce: 'another-nonce' })
      .then(
        () => null,
        (error: unknown) => error as Error & { cause?: { code?: string; cause?: { claim?: string } } },
      );
    // openid-client's error wraps oauth4webapi's, which names the claim that did not match.
    expect(refused?.message).toBe('unexpected JWT claim value encountered');
    expect(refused?.cause?.code).toBe('OAUTH_JWT_CLAIM_COMPARISON_FAILED');
    expect(refused?.cause?.cause?.claim).toBe('nonce');
  });
});

describe('simple-oauth2 (plain OAuth 2.0 client)', () => {
  it('does the code flow with PKCE and calls the API with the token', async () => {
    const { account, token } = await signedInUser(api.url);
    const app = await registerApp(api.url, token, { scopes: ['profile:read', 'posts:write'] });
    const client = new AuthorizationCode({
      client: { id: app.clientId, secret: app.clientSecret! },
      auth: { tokenHost: api.url, tokenPath: '/api/v1/auth/token', authorizePath: '/oauth/authorize' },
    });
    const verifier = oidc.randomPKCECodeVerifier();
    const authorizeUrl = new URL(
      client.authorizeURL({ redirect_uri: app.redirectUris[0]!, scope: 'profile:read', state: 'xyz' }),
    );
    authorizeUrl.searchParams.set('code_challenge', await oidc.calculatePKCECodeChallenge(verifier));
    authorizeUrl.searchParams.set('code_challenge_method', 'S256');

    const callback = await consent(api.url, token, Object.fromEntries(authorizeUrl.searchParams));
    expect(callback.searchParams.get('state')).toBe('xyz');
    const access = await client.getToken({
      code: callback.searchParams.get('code')!,
      redirect_uri: app.redirectUris[0]!,
      code_verifier: verifier,
    } as Parameters<typeof client.getToken>[0]);
    expect(access.token).toMatchObject({ token_type: 'Bearer', scope: 'profile:read' });
    expect(access.token.id_token).toBeUndefined();

    const me = await fetch(`${api.url}/api/v1/users/me`, bearer(access.token.access_token as string));
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: account.id });
    // Only what was allowed: no posts:write, and never the account's own settings.
    const sessions = await fetch(`${api.url}/api/v1/users/me/sessions`, bearer(access.token.access_token as string));
    expect(sessions.status).toBe(403);

    const refreshed = await access.refresh();
    expect(refreshed.token.access_token).not.toBe(access.token.access_token);
  });
});
