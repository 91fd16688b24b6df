/**
 * The panel in Debian's Chromium (playwright-core), as the browser tests share it: one browser per
 * test file, pages that record what would go wrong unseen (script errors, failed requests, console
 * errors), screenshots, and the sign-in (password, then the authenticator app's code) done as an
 * operator does.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../scripts/lib/chromium.mjs';
import { freshCode } from './totp.js';

/** Where screenshots go: docs/screenshots/ with UPDATE_SCREENSHOTS=true (npm run screenshots), else test-reports/. */
export const SCREENSHOTS = new URL(
  process.env.UPDATE_SCREENSHOTS === 'true' ? '../../../docs/screenshots/' : '../../../test-reports/screenshots/',
  import.meta.url,
);

export const LAPTOP = { width: 1366, height: 768 } as const;
export const DESKTOP = { width: 1440, height: 900 } as const;

/** Chromium for one test file: launched before its tests, closed after them. */
export function useChromium(): { readonly browser: Browser } {
  let browser: Browser | undefined;
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error('Chromium starts in beforeAll');
      return browser;
    },
  };
}

/**
 * A page that adds to `problems` every script error, failed request and console error. AdminJS's
 * pages ask for Google Fonts, which the panel's CSP keeps out on purpose: that one is expected.
 */
export async function watchedPage(
  browser: Browser,
  problems: string[],
  viewport: { width: number; height: number } = LAPTOP,
  options: { acceptDownloads?: boolean; failedRequests?: boolean } = {},
): Promise<Page> {
  const { failedRequests = true, ...pageOptions } = options;
  const page = await browser.newPage({ viewport, ...pageOptions });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // A test of refusals (a wrong password, an expired session) expects some: it asks for none.
  if (failedRequests)
    page.on('response', (response) => {
      if (response.status() >= 400 && !response.url().endsWith('/favicon.ico'))
        problems.push(`${response.status()} ${response.request().method()} ${response.url()}`);
    });
  page.on('console', (message) => {
    const text = message.text();
    // Failed loads are reported with their address by the response handler above.
    if (message.type() === 'error' && !/fonts\.googleapis\.com|^Failed to load resource/.test(text))
      problems.push(text);
  });
  return page;
}

/** Saves what the page shows now as `<name>.png` in SCREENSHOTS. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname, fullPage: false });
}

/** Types the code of the operator's app on the second step's page, and sends it. */
export async function enterCode(page: Page, totpSecret: string): Promise<void> {
  await page.getByLabel('Code', { exact: true }).fill(await freshCode(totpSecret));
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Signs in with the panel's forms, as an operator types them: the password, then the code of the
 * account's authenticator app; resolves on the dashboard.
 */
export async function signInWithForm(
  page: Page,
  panelUrl: string,
  account: { readonly email: string; readonly password: string; readonly totpSecret: string | null },
): Promise<void> {
  if (!account.totpSecret) throw new Error('this operator has no authenticator app: enrol it (operator()) first');
  await page.goto(`${panelUrl}/cp/login`);
  await page.fill('input[name="email"]', account.email);
  await page.fill('input[name="password"]', account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${panelUrl}/cp/login/code`);
  await enterCode(page, account.totpSecret);
  await page.waitForURL(`${panelUrl}/cp`);
}
