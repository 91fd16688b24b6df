/** Helpers for the OAuth and OpenID Connect tests: apps, PKCE pairs, the consent over the API. */
import { createHash, randomBytes } from 'node:crypto';
import { bearer, json, login, register, type Account } from './accounts.js';

export const CALLBACK = 'https://app.example.test/callback';

export interface RegisteredApp {
  readonly id: string;
  readonly clientId: string;
  readonly clientSecret: string | null;
  readonly redirectUris: string[];
  readonly scopes: string[];
}

export interface AppInput {
  name?: string;
  type?: 'public' | 'confidential';
  redirectUris?: string[];
  scopes?: string[];
}

/** Registers an app as the owner whose browser token this is. */
export async function registerApp(baseUrl: string, ownerToken: string, input: AppInput = {}): Promise<RegisteredApp> {
  const res = await fetch(
    `${baseUrl}/api/v1/users/me/apps`,
    bearer(
      ownerToken,
      json({
        name: 'Test app',
        type: 'confidential',
        redirectUris: [CALLBACK],
        scopes: ['openid', 'profile', 'email', 'profile:read', 'posts:write'],
        ...input,
      }),
    ),
  );
  if (res.status !== 201) throw new Error(`registering an app answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as RegisteredApp;
}

/** A user signed in first-hand (the web app's token, scope account). */
export async function signedInUser(baseUrl: string, overrides: Partial<Account> = {}) {
  const account = await register(baseUrl, overrides);
  const { accessToken } = await login(baseUrl, account);
  return { account, token: accessToken };
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export type AuthorizeParams = Record<string, string>;

/** The standard parameters of an authorization request for `app`, with overrides. */
export function authorizeParams(app: RegisteredApp, challenge: string, extra: AuthorizeParams = {}): AuthorizeParams {
  return {
    response_type: 'code',
    client_id: app.clientId,
    redirect_uri: app.redirectUris[0]!,
    scope: 'openid profile',
    state: randomBytes(8).toString('hex'),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  };
}

/** What the consent page does: GET the request's check, then POST the decision; the redirect. */
export async function consent(
  baseUrl: string,
  userToken: string,
  params: AuthorizeParams,
  decision: 'allow' | 'deny' = 'allow',
): Promise<URL> {
  const res = await fetch(`${baseUrl}/api/v1/oauth/authorize`, bearer(userToken, json({ ...params, decision })));
  if (res.status !== 200) throw new Error(`the decision answered ${res.status}: ${await res.text()}`);
  return new URL(((await res.json()) as { redirectTo: string }).redirectTo);
}

/** POSTs a form to the token endpoint (or another OAuth endpoint), with optional Basic credentials. */
export function postForm(
  url: string,
  params: Record<string, string>,
  basic?: { id: string; secret: string },
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(basic ? { authorization: `Basic ${Buffer.from(`${basic.id}:${basic.secret}`).toString('base64')}` } : {}),
    },
    body: new URLSearchParams(params).toString(),
  });
}

/** The whole flow for a confidential app: consent, then the code for tokens. */
export async function tokensFor(
  baseUrl: string,
  app: RegisteredApp,
  userToken: string,
  extra: AuthorizeParams = {},
): Promise<Record<string, string>> {
  const { verifier, challenge } = pkcePair();
  const params = authorizeParams(app, challenge, extra);
  const redirect = await consent(baseUrl, userToken, params);
  const res = await postForm(
    `${baseUrl}/api/v1/auth/token`,
    {
      grant_type: 'authorization_code',
      code: redirect.searchParams.get('code')!,
      redirect_uri: params.redirect_uri!,
      code_verifier: verifier,
    },
    { id: app.clientId, secret: app.clientSecret! },
  );
  if (res.status !== 200) throw new Error(`the code exchange answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Record<string, string>;
}
