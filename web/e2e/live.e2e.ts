/**
 * The live feed in Chromium, with people in separate browsers at once (GET /api/v1/posts/stream
 * through the app's own origin): a reader on the feed is offered "Show 1 new post" when an author
 * publishes, reaches it by keyboard and gets the post at the top; the author's own other tab shows
 * it at once; a reader on the post sees the author's edit and is told when it is removed; the feed
 * drops a removed post and a suspended author's posts. axe checks the feed with the notice shown
 * and the removed post's page; screenshots (looked at, not compared) go to test-reports/.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  callApi as call,
  linkFromEmail,
  newAccount,
  newContext,
  pageErrors,
  signIn,
  useBrowserAndDatabase,
  webUrl,
  type Account,
} from './support/browser';

const stack = useBrowserAndDatabase();
const SHOTS = fileURLToPath(new URL('../../test-reports/screenshots/', import.meta.url));
const tag = Math.random().toString(36).slice(2, 8);
const TITLE = `Boats in the harbour ${tag}`;
const EDITED = `Boats in the harbour, at dawn ${tag}`;

/** An account with a confirmed address, and its access token. */
async function author(account: Account): Promise<string> {
  await call('/api/v1/auth/register', account);
  const link = await linkFromEmail(account.email, /Confirm your e-mail/);
  await call('/api/v1/auth/email/verify', { token: new URLSearchParams(link.hash.slice(1)).get('token') });
  const { accessToken } = await call('/api/v1/auth/login', { email: account.email, password: account.password });
  return accessToken as string;
}

/** Every axe finding on the page, of any impact, in words. */
async function violations(page: Page): Promise<string[]> {
  const { violations: found } = await new AxeBuilder({ page }).analyze();
  return found.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The page at 1440 and 390 px wide, light and dark, checked by axe each time. */
async function lookAt(page: Page, name: string, ready: () => Promise<unknown>): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await ready();
      // Colours change with a transition: look once it has ended (axe's contrast too).
      await expect.poll(() => page.evaluate(() => document.getAnimations().length)).toBe(0);
      await page.screenshot({ path: `${SHOTS}web-live-${name}-${width}-${scheme}.png` });
      expect(await violations(page)).toEqual([]);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });
}

const editorOf = (p: Page) => p.locator('.cm-content[contenteditable="true"]');

describe('the live feed', () => {
  const ada = newAccount('Ada Live');
  const bob = newAccount('Bob Live');
  let reader: Page;
  let feed: Page;
  let adaWriting: Page;
  let adaFeed: Page;
  let errors: string[];

  beforeAll(async () => {
    await author(ada);
    const bobToken = await author(bob);
    // Enough posts that the feed scrolls on a phone.
    for (let n = 1; n <= 6; n++) {
      await call('/api/v1/posts', { title: `Tide table ${n} ${tag}`, content: 'High water at noon.' }, bobToken);
    }
    reader = await (await newContext(stack.browser)).newPage();
    feed = await reader.context().newPage();
    errors = [...pageErrors(reader), ...pageErrors(feed)];
    const adaContext = await newContext(stack.browser);
    adaWriting = await adaContext.newPage();
    await signIn(adaWriting, ada);
    adaFeed = await adaContext.newPage();
  });

  it('offers a new post to a reader on the feed, by keyboard, and shows the author’s own at once', async () => {
    await reader.goto('/');
    await reader.getByRole('article', { name: `Tide table 6 ${tag}` }).waitFor();
    await adaFeed.goto('/');
    await adaFeed.getByRole('article', { name: `Tide table 6 ${tag}` }).waitFor();

    await adaWriting.goto('/write');
    await adaWriting.getByLabel('Title').fill(TITLE);
    await editorOf(adaWriting).fill('The boats come in with the **morning** tide.');
    await adaWriting.getByRole('button', { name: 'Publish' }).click();
    await adaWriting.getByRole('heading', { name: TITLE, level: 1 }).waitFor();

    // The reader is told, politely, and nothing moves under them.
    const notice = reader.getByRole('button', { name: 'Show 1 new post' });
    await notice.waitFor();
    expect(await notice.evaluate((button) => button.closest('[aria-live="polite"]') !== null)).toBe(true);
    expect(await reader.getByRole('article', { name: TITLE }).count()).toBe(0);
    // The author's other tab shows their post at once, at the top, with no notice.
    await adaFeed.getByRole('article', { name: TITLE }).waitFor();
    expect(await adaFeed.getByRole('article').first().getAttribute('aria-labelledby')).toBe(
      await adaFeed.getByRole('link', { name: TITLE }).getAttribute('id'),
    );
    expect(await adaFeed.getByRole('button', { name: /new post/ }).count()).toBe(0);

    await lookAt(reader, 'notice', () => notice.waitFor());
    await reader.evaluate(() => scrollTo({ top: 600 }));
    await reader.setViewportSize({ width: 390, height: 844 });
    await reader.screenshot({ path: `${SHOTS}web-live-notice-scrolled-390.png` });
    await reader.setViewportSize({ width: 1280, height: 900 });
    await reader.evaluate(() => scrollTo({ top: 0 }));

    // Reached with Tab from the top of the page, pressed with Enter.
    await reader.getByRole('heading', { name: 'Latest posts' }).click();
    let focused = false;
    for (let i = 0; i < 15 && !focused; i++) {
      await reader.keyboard.press('Tab');
      focused = await notice.evaluate((button) => button === document.activeElement);
    }
    expect(focused).toBe(true);
    await reader.keyboard.press('Enter');
    await reader.getByRole('article', { name: TITLE }).waitFor();
    expect(await reader.getByRole('article').first().textContent()).toContain(TITLE);
    await expect.poll(() => reader.evaluate(() => document.activeElement?.textContent?.trim())).toBe(TITLE);
    expect(await reader.getByRole('button', { name: /new post/ }).count()).toBe(0);
    await reader.screenshot({ path: `${SHOTS}web-live-shown-1280-light.png` });
  });

  it('shows the author’s edit on an open post and in the feed, and says when the post is removed', async () => {
    await reader.getByRole('link', { name: TITLE }).click();
    await reader.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
    await feed.goto('/');
    await feed.getByRole('article', { name: TITLE }).waitFor();

    await adaWriting.getByRole('link', { name: 'Edit' }).click();
    await adaWriting.getByLabel('Title').fill(EDITED);
    await editorOf(adaWriting).fill('The boats come in with the **evening** tide, after all.');
    await adaWriting.getByRole('button', { name: 'Save changes' }).click();
    await adaWriting.getByRole('heading', { name: EDITED, level: 1 }).waitFor();

    // The reader's page follows, in place, and says so quietly.
    await reader.getByRole('heading', { name: EDITED, level: 1 }).waitFor();
    await reader.getByText('evening', { exact: true }).waitFor();
    await reader.getByText('Updated just now').waitFor();
    expect(await reader.getByRole('status').filter({ hasText: 'This post was updated.' }).count()).toBe(1);
    await reader.screenshot({ path: `${SHOTS}web-live-post-updated-1440-light.png` });
    // The feed in another tab shows the new title.
    await feed.getByRole('article', { name: EDITED }).waitFor();

    await adaWriting.getByRole('button', { name: 'Delete' }).click();
    await adaWriting.getByRole('dialog', { name: 'Delete this post?' }).getByRole('button', { name: 'Delete' }).click();
    await adaWriting.waitForURL(`${webUrl()}/`);

    await reader.getByRole('heading', { name: 'This post was removed', level: 1 }).waitFor();
    expect(await reader.getByText('evening').count()).toBe(0);
    expect(await reader.getByRole('status').filter({ hasText: 'This post was removed.' }).count()).toBe(1);
    expect(await reader.title()).toBe('Post removed · nuell');
    await lookAt(reader, 'post-removed', () =>
      reader.getByRole('heading', { name: 'This post was removed' }).waitFor(),
    );
    await expect.poll(() => feed.getByRole('article', { name: EDITED }).count()).toBe(0);
  });

  it('drops a suspended author’s posts from the feed', async () => {
    expect(await feed.getByRole('article', { name: `Tide table 3 ${tag}` }).count()).toBe(1);
    await stack.db.query(`UPDATE users SET is_active = false WHERE email = $1`, [bob.email]);
    await expect.poll(() => feed.getByRole('article').filter({ hasText: 'Tide table' }).count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
