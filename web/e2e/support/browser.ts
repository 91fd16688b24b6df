/**
 * The helpers the end-to-end tests share: browser contexts on the stack's origin, mail from
 * MailDev's REST API, and account set-up through the real pages. The browser itself comes from
 * scripts/lib/chromium.mjs.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import { launchChromium } from '../../../scripts/lib/chromium.mjs';

export const PASSWORD = 'Correct-Horse-Battery-9';

export const webUrl = () => inject('webUrl');

/** A fresh browser profile (its own cookies and storage) on the app's origin. */
export async function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({ baseURL: webUrl(), viewport: { width: 1280, height: 900 }, ...options });
}

/** Collects uncaught page errors so a test can assert there were none. */
/** Calls the API through the web origin as a third party would (JSON in and out), failing on a non-2xx. */
export async function callApi(
  path: string,
  body: unknown,
  token?: string,
  method = 'POST',
): Promise<Record<string, unknown>> {
  const answer = await fetch(`${webUrl()}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!answer.ok) throw new Error(`${path} answered ${answer.status}: ${await answer.text()}`);
  return (await answer.json().catch(() => ({}))) as Record<string, unknown>;
}

export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

export function uniqueEmail(tag = 'user'): string {
  return `${tag}-${Math.random().toString(36).slice(2, 10)}@example.test`;
}

interface CaughtEmail {
  subject: string;
  text: string;
  to: { address: string }[];
}

/** Waits for the newest e-mail to `address` whose subject matches; returns the link in it (token in the fragment). */
export async function linkFromEmail(address: string, subject: RegExp, count = 1): Promise<URL> {
  for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
    const all = (await (await fetch(`${inject('maildevUrl')}/api/email`)).json()) as CaughtEmail[];
    const matching = all.filter((e) => e.to.some((t) => t.address === address) && subject.test(e.subject));
    if (matching.length >= count) {
      const match = /https?:\/\/\S+#token=[\w-]+/.exec(matching.at(-1)!.text);
      if (!match) throw new Error(`no link in "${matching.at(-1)!.subject}"`);
      return new URL(match[0]);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no e-mail matching ${String(subject)} reached ${address}`);
}

export interface Account {
  email: string;
  password: string;
  displayName: string;
}

/** Signs up through the sign-up page (which signs the new account in). */
export async function signUp(page: Page, account: Account): Promise<void> {
  await page.goto('/sign-up');
  await page.getByLabel('E-mail address').fill(account.email);
  await page.getByLabel('Display name').fill(account.displayName);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Follows the verification link from the mail in this page. */
export async function verifyEmail(page: Page, account: Account): Promise<void> {
  const link = await linkFromEmail(account.email, /Confirm your e-mail/);
  await page.goto(`${link.pathname}${link.hash}`);
  await page.getByText(`${account.email} is confirmed`).waitFor();
}

export async function signIn(page: Page, account: Pick<Account, 'email' | 'password'>): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('E-mail address').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

export function newAccount(name = 'Ada Lovelace'): Account {
  return { email: uniqueEmail(), password: PASSWORD, displayName: name };
}

/**
 * Chromium and the stack's database for one test file, for what only an operator does (the stack
 * has no control panel: a test writes the state the panel's services would, a suspension or a
 * hidden post), with a screenshot of the last page of a failed test.
 */
export function useBrowserAndDatabase(): { readonly browser: Browser; readonly db: pg.Client } {
  let browser: Browser | undefined;
  let db: pg.Client | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
    db = new pg.Client({ connectionString: inject('databaseUrl') });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await browser?.close();
  });
  screenshotOnFailure(() => browser?.contexts().at(-1)?.pages().at(-1));
  const started = <T>(value: T | undefined): T => {
    if (!value) throw new Error('the browser and the database start in beforeAll');
    return value;
  };
  return {
    get browser() {
      return started(browser);
    },
    get db() {
      return started(db);
    },
  };
}

/** Keeps a screenshot of the page of a failed test in web/e2e/results/ (gitignored). */
export function screenshotOnFailure(current: () => Page | undefined): void {
  afterEach(async (context) => {
    const page = current();
    if (context.task.result?.state !== 'fail' || !page || page.isClosed()) return;
    const name = context.task.name.replace(/\W+/g, '-').slice(0, 80);
    await page.screenshot({ path: fileURLToPath(new URL(`../results/${name}.png`, import.meta.url)) }).catch(() => {});
  });
}
