/**
 * Third parties in the browser, as people meet them: a personal access token created in Settings
 * and used by a script (fetch) until it is revoked; an app registered in the developer settings;
 * "Sign in with nuell" driven by a certified relying-party library (openid-client: discovery,
 * authorization code with PKCE, the ID token, userinfo) while Chromium does what the person does
 * (signing in, then allowing or denying on the consent page); the same flow for a plain OAuth 2.0
 * client (simple-oauth2); disconnecting the app in Settings.
 * The app's redirect address is a tiny HTTP server of this test. Light and dark, desktop and
 * phone, axe clean.
 */
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import * as oidc from 'openid-client';
import { AuthorizationCode } from 'simple-oauth2';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newAccount,
  newContext,
  pageErrors,
  signUp,
  useBrowserAndDatabase,
  verifyEmail,
  webUrl,
  type Account,
} from './support/browser';

const stack = useBrowserAndDatabase();
const SHOTS = fileURLToPath(new URL('../../test-reports/screenshots/', import.meta.url));

/** The app's redirect address: answers any path with a small page, as the app's callback would. */
let callback: Server;
let callbackUrl: string;
beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  callback = createServer((_, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><html lang="en"><title>Reading List</title><h1>Back at Reading List</h1></html>');
  });
  await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`;
});
afterAll(() => new Promise((resolve) => callback?.close(resolve)));

async function serious(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Axe in light and dark; screenshots at 1440 px and 390 px (no sideways scrolling), light and dark. */
async function lookAt(page: Page, name: string, part?: Locator): Promise<void> {
  const shoot = (path: string) => (part ? part.screenshot({ path }) : page.screenshot({ path, fullPage: true }));
  const size = page.viewportSize() ?? { width: 1280, height: 900 };
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.evaluate((dark) => document.documentElement.classList.toggle('dark', dark), scheme === 'dark');
    await page.waitForTimeout(400); // the buttons' colour transitions
    const suffix = scheme === 'dark' ? '-dark' : '';
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(await serious(page)).toEqual([]);
    await shoot(`${SHOTS}${name}${suffix}.png`);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shoot(`${SHOTS}${name}-390${suffix}.png`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.evaluate(() => document.documentElement.classList.remove('dark'));
  await page.setViewportSize(size);
}

function isFocused(element: Locator): Promise<boolean> {
  return element.evaluate((node) => node === document.activeElement);
}

/** A call to the API as a script makes it, with a bearer token. */
function call(path: string, token: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${webUrl()}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  });
}

async function signOut(page: Page): Promise<void> {
  // Wait for the API to end the session: a page visited before that would still find it.
  const ended = page.waitForResponse((response) => response.url().endsWith('/api/v1/auth/logout'));
  await page.getByRole('button', { name: 'Sign out' }).click();
  await ended;
  await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
}

describe('personal access tokens', () => {
  it('are created in Settings, shown once, work for a script within their scopes, and stop when revoked', async () => {
    const account = newAccount('Margaret Hamilton');
    const page = await (await newContext(stack.browser)).newPage();
    const errors = pageErrors(page);
    await signUp(page, account);
    await verifyEmail(page, account);
    await page.goto('/settings#tokens');
    const section = page.getByRole('region', { name: 'Personal access tokens' });
    await section.getByText('You have no tokens.').waitFor();
    await section.getByRole('button', { name: 'Create a token' }).click();
    expect(await isFocused(section.getByLabel('Name'))).toBe(true);

    // Nothing chosen: said beside the fields, and the summary takes the focus.
    await section.getByRole('button', { name: 'Create token' }).click();
    await section.locator('[data-error-summary]').getByText('Enter a name', { exact: false }).waitFor();
    await section.getByText('Choose at least one thing the token may do').first().waitFor();

    // Cancel puts the form away (and its errors); the form opens again empty.
    await section.getByRole('button', { name: 'Cancel' }).click();
    expect(await isFocused(section.getByRole('button', { name: 'Create a token' }))).toBe(true);
    await section.getByRole('button', { name: 'Create a token' }).click();
    expect(await section.locator('[data-error-summary]').count()).toBe(0);
    await section.getByLabel('Name').fill('Publish from my laptop');
    await section.getByRole('checkbox', { name: 'Write posts' }).check();
    await section.getByLabel('Expires after').selectOption({ label: '90 days' });
    await lookAt(page, 'settings-token-new', section);
    await section.getByRole('button', { name: 'Create token' }).click();
    const secret = section.getByTestId('secret');
    await secret.waitFor();
    const token = (await secret.textContent())!.trim();
    expect(token).toMatch(/^nuell_pat_[0-9A-Za-z]{36}$/);
    await section.getByText('You will not see it again', { exact: false }).waitFor();
    await lookAt(page, 'settings-token-created', section);
    await section.getByRole('button', { name: 'I have copied it' }).click();
    // Put away; the keyboard carries on from the section's first button, the token is gone.
    await section.getByRole('list', { name: 'Your tokens' }).getByText('Publish from my laptop').waitFor();
    expect(await section.getByTestId('secret').count()).toBe(0);
    expect(await isFocused(section.getByRole('button', { name: 'Create a token' }))).toBe(true);
    await section.getByText('Never used', { exact: false }).waitFor();
    expect(await page.locator('body').textContent()).not.toContain(token);

    // A script publishes with it; it cannot reach the account, nor what it was not given.
    const created = await call('/api/v1/posts', token, {
      method: 'POST',
      body: JSON.stringify({ title: 'Sent from a script', content: 'Written with a personal access token.' }),
    });
    expect(created.status).toBe(201);
    expect((await call('/api/v1/users/me/tokens', token)).status).toBe(403);
    expect((await call('/api/v1/users/me', token)).status).toBe(403);

    await page.reload();
    await section.getByText('Last used', { exact: false }).waitFor();
    await lookAt(page, 'settings-tokens', section);

    // Revoked after a question: refused at once.
    await section.getByRole('button', { name: 'Revoke Publish from my laptop' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke the token “Publish from my laptop”?' });
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('Token “Publish from my laptop” revoked.').waitFor();
    await section.getByText('You have no tokens.').waitFor();
    expect((await call('/api/v1/users/me/posts', token)).status).toBe(401);
    expect(errors).toEqual([]);
  });
});

describe('Sign in with nuell', () => {
  const developer: Account = newAccount('Grace Hopper');
  const reader: Account = newAccount('Hedy Lamarr');
  let clientId = '';
  let clientSecret = '';

  async function discover(): Promise<oidc.Configuration> {
    return oidc.discovery(new URL(webUrl()), clientId, undefined, oidc.ClientSecretBasic(clientSecret), {
      execute: [oidc.allowInsecureRequests],
    });
  }

  /** A fresh authorization request, as the app builds it (openid-client, or by hand before discovery). */
  async function start(config?: oidc.Configuration, scope = 'openid profile email profile:read posts:write') {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const params = {
      client_id: clientId,
      response_type: 'code',
      redirect_uri: callbackUrl,
      scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    };
    const url = config
      ? oidc.buildAuthorizationUrl(config, params)
      : new URL(`/oauth/authorize?${new URLSearchParams(params)}`, webUrl());
    return { url, verifier, state, nonce };
  }

  it('lets a developer register an app, with its secret shown once', async () => {
    const page = await (await newContext(stack.browser)).newPage();
    const errors = pageErrors(page);
    await signUp(page, developer);
    await page.goto('/settings');
    await page.getByRole('link', { name: 'Developer settings' }).click();
    await page.getByRole('heading', { name: 'Developer settings', level: 1 }).waitFor();
    await page.getByText('You have not registered an app.').waitFor();
    await page.getByRole('button', { name: 'Register an app' }).click();
    expect(await isFocused(page.getByLabel('App name'))).toBe(true);

    // A redirect address that is not https is said beside the field.
    await page.getByLabel('App name').fill('Reading List');
    await page.getByLabel('Redirect addresses').fill('http://example.com/callback');
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    await page.locator('.field-error').getByText('must start with https://', { exact: false }).waitFor();
    await lookAt(page, 'developer-settings-register');

    await page.getByLabel('Redirect addresses').fill(callbackUrl);
    await page.getByRole('checkbox', { name: 'Know your e-mail address' }).check();
    await page.getByRole('checkbox', { name: 'Read your profile' }).check();
    await page.getByRole('checkbox', { name: 'Write posts' }).check();
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    await page.getByRole('heading', { name: 'Reading List is registered' }).waitFor();
    clientId = (await page.getByTestId('client-id').textContent())!.trim();
    clientSecret = (await page.getByTestId('secret').textContent())!.trim();
    expect(clientId).not.toBe('');
    expect(clientSecret).not.toBe('');
    await lookAt(page, 'developer-settings-registered');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await page.getByRole('heading', { name: 'Reading List', level: 1 }).waitFor();
    expect(await page.getByTestId('secret').count()).toBe(0);
    await page.getByText(callbackUrl).waitFor();
    await lookAt(page, 'developer-settings-app');

    // A new secret after a question, shown once; the old one stops (the flow below uses the new one).
    await page.getByRole('button', { name: 'New client secret' }).click();
    await page
      .getByRole('dialog', { name: 'Make a new client secret?' })
      .getByRole('button', { name: 'Make a new secret' })
      .click();
    const renewed = (await page.getByTestId('secret').textContent())!.trim();
    expect(renewed).not.toBe(clientSecret);
    clientSecret = renewed;
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await isFocused(page.getByRole('button', { name: 'New client secret' }))).toBe(true);
    await page.goto('/settings/apps');
    await page.getByRole('list', { name: 'Your apps' }).getByRole('link', { name: 'Reading List' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('lets a developer change an app that runs on devices (no secret), and delete it', async () => {
    const page = await (await newContext(stack.browser)).newPage();
    const errors = pageErrors(page);
    await signUp(page, newAccount('Frances Allen'));
    await page.goto('/settings/apps');
    await page.getByRole('button', { name: 'Register an app' }).click();
    await page.getByLabel('App name').fill('Pocket notes');
    await page.getByRole('radio', { name: 'Runs on people’s devices' }).check();
    await page.getByLabel('Redirect addresses').fill('http://localhost:8765/done');
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    await page.getByRole('heading', { name: 'Pocket notes is registered' }).waitFor();
    expect(await page.getByTestId('secret').count()).toBe(0);
    await page.getByRole('link', { name: 'Open the app’s settings' }).click();
    await page.getByText('This app has no secret', { exact: false }).waitFor();

    await page.getByRole('button', { name: 'Change', exact: true }).click();
    expect(await isFocused(page.getByLabel('App name'))).toBe(true);
    await page.getByLabel('App name').fill('Pocket notes 2');
    await page.getByLabel('Redirect addresses').fill('http://localhost:8765/done\nhttps://notes.example/back');
    await page.getByRole('checkbox', { name: 'Write posts' }).check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Your changes are saved.').waitFor();
    await page.getByRole('heading', { name: 'Pocket notes 2', level: 1 }).waitFor();
    await page.getByText('https://notes.example/back').waitFor();
    await page.getByText('Write posts', { exact: false }).waitFor();

    await page.getByRole('button', { name: 'Delete Pocket notes 2' }).click();
    await page.getByRole('dialog', { name: 'Delete Pocket notes 2?' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Pocket notes 2 was deleted.').waitFor();
    await page.getByText('You have not registered an app.').waitFor();
    expect(errors).toEqual([]);
  });

  it('signs a person in first, then asks; Deny sends access_denied back to the app', async () => {
    const page = await (await newContext(stack.browser)).newPage();
    const errors = pageErrors(page);
    await signUp(page, reader);
    await signOut(page);

    const request = await start();
    await page.goto(request.url.href);
    // Not signed in: the sign-in page, then back to the same request.
    await page.waitForURL(/\/sign-in\?next=/);
    await page.getByText('An app asks to use your nuell account.', { exact: false }).waitFor();
    await lookAt(page, 'sign-in-for-app');
    await page.getByLabel('E-mail address').fill(reader.email);
    await page.getByLabel('Password').fill(reader.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const heading = page.getByRole('heading', { name: 'Allow Reading List to use your account?' });
    await heading.waitFor();
    expect(await isFocused(heading)).toBe(true);
    await page.getByText('Made by Grace Hopper', { exact: false }).waitFor();
    const asked = page.getByRole('list', { name: 'What the app asks for' });
    for (const label of [
      'Sign you in',
      'Know your name',
      'Know your e-mail address',
      'Read your profile',
      'Write posts',
    ]) {
      await asked.getByText(label, { exact: true }).waitFor();
    }
    await page.getByText(new URL(callbackUrl).host, { exact: true }).waitFor();
    await page.getByText(reader.email, { exact: true }).waitFor();
    await lookAt(page, 'oauth-consent');

    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL((url) => url.href.startsWith(callbackUrl));
    const back = new URL(page.url());
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe(request.state);
    expect(back.searchParams.get('code')).toBeNull();
    expect(errors).toEqual([]);
  });

  it('completes discovery, the code flow with PKCE, the ID token and userinfo; the person can disconnect the app', async () => {
    const config = await discover();
    const context = await newContext(stack.browser);
    const page = await context.newPage();
    const errors = pageErrors(page);
    await page.goto('/sign-in');
    await page.getByLabel('E-mail address').fill(reader.email);
    await page.getByLabel('Password').fill(reader.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    const request = await start(config);
    await page.goto(request.url.href);
    const heading = page.getByRole('heading', { name: 'Allow Reading List to use your account?' });
    await heading.waitFor();
    // By keyboard: from the heading, past "Use another account" and Deny, to Allow.
    expect(await isFocused(heading)).toBe(true);
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    expect(await isFocused(page.getByRole('button', { name: 'Allow' }))).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.href.startsWith(callbackUrl));
    await page.getByRole('heading', { name: 'Back at Reading List' }).waitFor();

    const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    expect(claims.iss).toBe(new URL(webUrl()).origin);
    expect(claims.aud).toBe(clientId);
    expect(claims.email).toBe(reader.email);
    expect(claims.name).toBe(reader.displayName);
    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(info.email).toBe(reader.email);
    expect(info.name).toBe(reader.displayName);
    // The access token reaches what was allowed, and only that.
    const me = await call('/api/v1/users/me', tokens.access_token);
    expect(me.status).toBe(200);
    expect(((await me.json()) as { email: string }).email).toBe(reader.email);
    expect((await call('/api/v1/users/me/sessions', tokens.access_token)).status).toBe(403);
    expect(tokens.refresh_token).toBeTruthy();

    // Settings lists the app; disconnecting it ends its tokens.
    await page.goto('/settings#connected-apps');
    const section = page.getByRole('region', { name: 'Connected apps' });
    const item = section.getByRole('list', { name: 'Your connected apps' }).getByRole('listitem');
    await item.getByText('Reading List').waitFor();
    await item.getByText('by Grace Hopper').waitFor();
    await lookAt(page, 'settings-connected-apps', section);
    await section.getByRole('button', { name: 'Disconnect Reading List' }).click();
    await page
      .getByRole('dialog', { name: 'Disconnect Reading List?' })
      .getByRole('button', { name: 'Disconnect' })
      .click();
    await page.getByText('Reading List was disconnected.').waitFor();
    await section.getByText('No app is connected to your account.').waitFor();
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toThrow();
    expect((await call('/api/v1/users/me', tokens.access_token)).status).toBe(401);
    expect(errors).toEqual([]);
  });

  it('gives a plain OAuth 2.0 client (simple-oauth2) the code flow too, without OpenID Connect', async () => {
    const client = new AuthorizationCode({
      client: { id: clientId, secret: clientSecret },
      auth: { tokenHost: webUrl(), tokenPath: '/api/v1/auth/token', authorizePath: '/oauth/authorize' },
    });
    const verifier = oidc.randomPKCECodeVerifier();
    const url = new URL(
      client.authorizeURL({ redirect_uri: callbackUrl, scope: 'profile:read', state: 'plain-oauth' }),
    );
    url.searchParams.set('code_challenge', await oidc.calculatePKCECodeChallenge(verifier));
    url.searchParams.set('code_challenge_method', 'S256');

    const context = await newContext(stack.browser);
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('E-mail address').fill(reader.email);
    await page.getByLabel('Password').fill(reader.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.goto(url.href);
    await page.getByRole('heading', { name: 'Allow Reading List to use your account?' }).waitFor();
    await page.getByText('Read your profile').waitFor();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((back) => back.href.startsWith(callbackUrl));

    const back = new URL(page.url());
    expect(back.searchParams.get('state')).toBe('plain-oauth');
    const access = await client.getToken({
      code: back.searchParams.get('code')!,
      redirect_uri: callbackUrl,
      code_verifier: verifier,
    } as Parameters<typeof client.getToken>[0]);
    expect(access.token).toMatchObject({ token_type: 'Bearer', scope: 'profile:read' });
    expect(access.token.id_token).toBeUndefined();
    const me = await call('/api/v1/users/me', access.token.access_token as string);
    expect(((await me.json()) as { email: string }).email).toBe(reader.email);
    const refreshed = await access.refresh();
    expect((await call('/api/v1/users/me', refreshed.token.access_token as string)).status).toBe(200);
    await context.close();
  });

  it('explains a request whose app is unknown, and sends the browser nowhere', async () => {
    const page = await (await newContext(stack.browser)).newPage();
    await signUp(page, newAccount('Radia Perlman'));
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'nuell_app_doesnotexist000000000000',
      redirect_uri: 'https://evil.example/steal',
      scope: 'openid',
      state: 'x',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    await page.goto(`/oauth/authorize?${query}`);
    await page.getByRole('heading', { name: 'This request for access cannot be used' }).waitFor();
    expect(new URL(page.url()).host).toBe(new URL(webUrl()).host);
    await lookAt(page, 'oauth-bad-request');

    // A request the app must hear of (a scope no app may have): the browser goes back with the error.
    const request = await start(undefined, 'openid account');
    await page.goto(request.url.href);
    await page.waitForURL((url) => url.href.startsWith(callbackUrl));
    const back = new URL(page.url());
    expect(back.searchParams.get('error')).toBe('invalid_scope');
    expect(back.searchParams.get('state')).toBe(request.state);
  });
});
