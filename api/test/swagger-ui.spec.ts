/**
 * Swagger UI at /api/docs, in a real browser (Debian's Chromium through playwright-core): its
 * Authorize button signs in with the OAuth2 password flow at /auth/token, and "Try it out" then
 * calls a protected endpoint with the token.
 */
import type { Browser } from 'playwright-core';
import { register } from './support/accounts.js';
import { startTestApp, type TestApp } from './support/app.js';
import { launchChromium } from '../../scripts/lib/chromium.mjs';

let api: TestApp | undefined;
let browser: Browser | undefined;
beforeAll(async () => {
  api = await startTestApp();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

describe('Swagger UI', () => {
  it('authorizes through the token endpoint and calls /users/me with the token', async () => {
    const account = await register(api!.url);
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });

    await page.goto(`${api!.url}/api/docs`);
    await page.getByRole('button', { name: 'Authorize' }).first().click();
    const dialog = page.locator('.dialog-ux');
    const oauth = dialog.locator('.auth-container', { hasText: 'OAuth2' });
    await oauth.locator('input#oauth_username').fill(account.email);
    await oauth.locator('input#oauth_password').fill(account.password);
    expect(await oauth.locator('input#client_id_password').inputValue()).toBe('swagger-ui'); // preset
    await oauth.locator('button.authorize', { hasText: 'Authorize' }).click();
    await oauth.locator('button', { hasText: 'Logout' }).waitFor({ timeout: 10_000 });
    await dialog.locator('button.btn-done').first().click();

    const operation = page.locator('#operations-users-usersMe');
    await operation.locator('.opblock-summary').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation.getByRole('button', { name: 'Execute' }).click();
    const response = operation.locator('.live-responses-table .response .response-col_status').first();
    await response.waitFor({ timeout: 10_000 });
    expect((await response.textContent())?.trim()).toBe('200');
    expect(await operation.locator('.live-responses-table .microlight').first().textContent()).toContain(account.email);
    expect(errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  }, 60_000);
});
