/**
 * Third-party access in Chromium at 1440 and 390 px: a user's personal access tokens on their
 * page, revoked from there with a confirmation that names the token and goes back to the account;
 * the Apps list, an app registered with its secret shown once, suspended and lifted; the signing
 * keys and their rotation. No sideways scrolling, no action keys, no script error on the way.
 */
import type { Page } from 'playwright-core';
import { bearer, json, login, register, verify, type Account } from '../../api/test/support/accounts.js';
import { DESKTOP, shot, signInWithForm, useChromium, watchedPage } from './support/browser.js';
import { operator, uniqueText, usePanelAndApi } from './support/panel.js';

const { panel, api } = usePanelAndApi();
const chromium = useChromium();
const PHONE = { width: 390, height: 844 } as const;

const noSidewaysScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

/** The keys AdminJS would show where a person should read words. */
const KEYS =
  /\b(revokeAsOperator|suspendApp|unsuspendApp|signingKeys|scopeList|redirectUriList|OAuthClient|PersonalAccessToken|token_revoked|oauth_client_\w+)\b/;

async function makeToken(user: Account, name: string, scopes: string[], expiresInDays: number | null) {
  const { accessToken } = await login(api.url, user);
  const res = await fetch(
    `${api.url}/api/v1/users/me/tokens`,
    bearer(accessToken, json({ name, scopes, expiresInDays })),
  );
  if (res.status !== 201) throw new Error(`making a token answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { id: string; token: string };
}

describe('third-party access in the panel', () => {
  it("shows a user's tokens on their page and revokes one from there, at 1440 and 390 px", async () => {
    const ops = await operator(api, { email: `${uniqueText('operator')}@example.test` });
    const tag = uniqueText('grace');
    const user = await register(api.url, { displayName: 'Grace Hopper', email: `${tag}@example.test` });
    await verify(api.url, user);
    const old = await makeToken(user, 'Nightly backup', ['profile:read'], 7);
    await api.db.query(`UPDATE personal_access_tokens SET expires_at = now() - interval '2 days' WHERE id = $1`, [
      old.id,
    ]);
    await makeToken(user, 'Blog publisher on the build server', ['posts:write', 'profile:read'], null);
    const leaked = await makeToken(user, 'Laptop script', ['profile:read', 'profile:write'], 90);
    expect((await fetch(`${api.url}/api/v1/users/me`, bearer(leaked.token))).status).toBe(200);

    const problems: string[] = [];
    const page = await watchedPage(chromium.browser, problems, DESKTOP, { failedRequests: false });
    await signInWithForm(page, panel.url, ops);
    const userPage = `${panel.url}/cp/resources/User/records/${user.id}/show`;
    await page.goto(userPage);
    const tokens = page.locator('[data-user-tokens]');
    await tokens.locator('li').nth(2).waitFor();
    expect(await tokens.locator('li[data-status="live"]').count()).toBe(2);
    expect(await tokens.locator('li[data-status="expired"]').innerText()).toMatch(/Nightly backup[\s\S]*Expired/);
    await page.getByRole('heading', { name: 'Personal access tokens' }).scrollIntoViewIfNeeded();
    await shot(page, 'panel-user-tokens-1440');
    expect(await noSidewaysScroll(page)).toBe(true);

    await page.getByRole('link', { name: 'Revoke Laptop script' }).click();
    await page.getByRole('heading', { name: /Revoke the token "Laptop script"/ }).waitFor();
    expect(await page.getByText(`of ${user.email}?`).count()).toBe(1);
    await shot(page, 'panel-revoke-token-1440');
    await page.getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('Revoked: "Laptop script" no longer works.').waitFor();
    expect((await fetch(`${api.url}/api/v1/users/me`, bearer(leaked.token))).status).toBe(401);
    await page.getByRole('link', { name: 'Back to the account' }).click();
    await page.waitForURL(userPage);
    await tokens.locator(`li[data-token="${leaked.id}"][data-status="revoked"]`).waitFor();
    await page.locator('[data-user-history] tr[data-action="token_revoked"]').first().waitFor();

    const phone = await watchedPage(chromium.browser, problems, PHONE, { failedRequests: false });
    await signInWithForm(phone, panel.url, ops);
    await phone.goto(userPage);
    await phone.locator('[data-user-tokens] li').nth(2).waitFor();
    await phone.getByRole('heading', { name: 'Personal access tokens' }).scrollIntoViewIfNeeded();
    await shot(phone, 'panel-user-tokens-390');
    expect(await noSidewaysScroll(phone)).toBe(true);
    expect(await phone.locator('body').innerText()).not.toMatch(KEYS);

    // The list of every token, filtered to the account from its page.
    await phone.goto(`${panel.url}/cp/resources/PersonalAccessToken?filters.userId=${user.id}`);
    await phone.getByText('Laptop script').first().waitFor();
    expect(await phone.locator('body').innerText()).not.toMatch(KEYS);
    await page.goto(`${panel.url}/cp/resources/PersonalAccessToken?filters.userId=${user.id}`);
    await page.getByText('Laptop script').first().waitFor();
    await shot(page, 'panel-tokens-1440');
    expect(await noSidewaysScroll(page)).toBe(true);
    await page.close();
    await phone.close();
    expect(problems).toEqual([]);
  });

  it('registers an app with its secret shown once, suspends and lifts it, and rotates the signing key, at 1440 and 390 px', async () => {
    const ops = await operator(api, { email: `${uniqueText('operator')}@example.test` });
    const problems: string[] = [];
    const page = await watchedPage(chromium.browser, problems, DESKTOP, { failedRequests: false });
    await signInWithForm(page, panel.url, ops);
    await page.goto(`${panel.url}/cp/resources/OAuthClient`);
    await page.getByRole('link', { name: 'Register an app' }).first().click();
    await page.getByRole('heading', { name: 'Register an app' }).waitFor();

    // A refusal shows under its field, and nothing is lost.
    await page.getByLabel('Name', { exact: true }).fill('Partner CRM');
    await page.getByLabel('Redirect URIs').fill('http://crm.example.com/callback');
    await page.getByRole('checkbox', { name: /Sign you in with your nuell account/ }).check();
    await page.getByRole('button', { name: 'Register the app' }).click();
    await page
      .getByText('http://crm.example.com/callback: use https, or http only for localhost or 127.0.0.1.')
      .waitFor();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Partner CRM');
    await shot(page, 'panel-register-app-1440');

    await page.getByLabel('Redirect URIs').fill('https://crm.example.com/callback\nhttp://localhost:8080/callback');
    await page.getByRole('checkbox', { name: /Know your e-mail address/ }).check();
    await page.getByRole('button', { name: 'Register the app' }).click();
    await page.getByRole('heading', { name: 'Partner CRM is registered' }).waitFor();
    const secret = await page.locator('[data-client-secret]').innerText();
    expect(secret).toMatch(/^nuell_secret_/);
    expect(await page.getByText('shown now and never again').count()).toBe(1);
    await shot(page, 'panel-app-secret-1440');

    await page.getByRole('link', { name: 'Go to the app' }).click();
    await page.getByText('https://crm.example.com/callback').first().waitFor();
    expect(await page.locator('body').innerText()).not.toContain(secret);
    await shot(page, 'panel-app-1440');
    await page.getByRole('link', { name: 'Suspend' }).first().click();
    await page.getByRole('heading', { name: 'Suspend Partner CRM?' }).waitFor();
    await page.getByRole('button', { name: 'Suspend' }).click();
    await page.getByText('Partner CRM is suspended: its tokens no longer work.').waitFor();
    await page.getByRole('link', { name: 'Back to Partner CRM' }).click();
    await page.getByRole('link', { name: 'Lift suspension' }).first().click();
    await page.getByRole('button', { name: 'Lift suspension' }).click();
    await page.getByText('Partner CRM works again.').waitFor();

    // The first key is made when the API first publishes or signs (here its JWKS).
    expect((await fetch(`${api.url}/api/v1/oauth/jwks`)).status).toBe(200);
    await page.goto(`${panel.url}/cp/resources/OAuthClient`);
    await page.getByRole('link', { name: 'Signing keys' }).first().click();
    await page.locator('[data-signing-keys] tr[data-current]').waitFor();
    const before = await page.locator('[data-signing-keys] tr[data-current] code').innerText();
    await page.getByRole('button', { name: 'Rotate the signing key…' }).click();
    await page.getByRole('button', { name: 'Rotate the signing key', exact: true }).click();
    await page.getByText(/A new signing key .* signs from now on/).waitFor();
    expect(await page.locator('[data-signing-keys] tr[data-current] code').innerText()).not.toBe(before);
    expect(await page.locator('[data-signing-keys] tbody tr').count()).toBeGreaterThanOrEqual(2);
    await shot(page, 'panel-signing-keys-1440');
    expect(await noSidewaysScroll(page)).toBe(true);

    const phone = await watchedPage(chromium.browser, problems, PHONE, { failedRequests: false });
    await signInWithForm(phone, panel.url, ops);
    await phone.goto(`${panel.url}/cp/resources/OAuthClient/actions/register`);
    await phone.getByRole('heading', { name: 'Register an app' }).waitFor();
    await shot(phone, 'panel-register-app-390');
    expect(await noSidewaysScroll(phone)).toBe(true);
    await phone.getByLabel('Name', { exact: true }).fill('Phone app');
    await phone.getByRole('radio', { name: /Public/ }).check();
    await phone.getByLabel('Redirect URIs').fill('http://127.0.0.1:7000/done');
    await phone.getByRole('checkbox', { name: /Create, edit and delete your posts/ }).check();
    await phone.getByRole('button', { name: 'Register the app' }).click();
    await phone.getByRole('heading', { name: 'Phone app is registered' }).waitFor();
    expect(await phone.locator('[data-client-secret]').count()).toBe(0);
    await shot(phone, 'panel-app-registered-390');
    expect(await noSidewaysScroll(phone)).toBe(true);
    await phone.goto(`${panel.url}/cp/resources/OAuthClient/actions/signingKeys`);
    await phone.locator('[data-signing-keys] tr[data-current]').waitFor();
    await shot(phone, 'panel-signing-keys-390');
    expect(await noSidewaysScroll(phone)).toBe(true);
    // By keyboard: the question takes the focus, Tab reaches both answers, keeping the key returns to the button.
    await phone.getByRole('button', { name: 'Rotate the signing key…' }).focus();
    await phone.keyboard.press('Enter');
    await phone.getByText('Start a new signing key now?').waitFor();
    const focused = () => phone.evaluate(() => document.activeElement?.textContent ?? '');
    expect(await focused()).toMatch(/^Start a new signing key now\?/);
    await phone.keyboard.press('Tab');
    expect(await focused()).toBe('Rotate the signing key');
    await phone.keyboard.press('Tab');
    expect(await focused()).toBe('Keep the current key');
    await phone.keyboard.press('Enter');
    await phone.getByRole('button', { name: 'Rotate the signing key…' }).waitFor();
    expect(await focused()).toBe('Rotate the signing key…');
    await phone.goto(`${panel.url}/cp/resources/OAuthClient`);
    await phone.getByText('Partner CRM').first().waitFor();
    await shot(phone, 'panel-apps-390');
    expect(await phone.locator('body').innerText()).not.toMatch(KEYS);
    await phone.getByText('Partner CRM').first().click();
    await phone.getByText('https://crm.example.com/callback').first().waitFor();
    await shot(phone, 'panel-app-390');
    expect(await noSidewaysScroll(phone)).toBe(true);
    await page.goto(`${panel.url}/cp/resources/OAuthClient`);
    await page.getByText('Phone app').first().waitFor();
    await shot(page, 'panel-apps-1440');
    expect(await page.locator('body').innerText()).not.toMatch(KEYS);
    await page.close();
    await phone.close();
    expect(problems).toEqual([]);
  });
});
