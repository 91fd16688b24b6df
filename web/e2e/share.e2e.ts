/**
 * What a shared link gets from the origin (web/serve.mjs here, which routes the site's pages to
 * the API as Caddy does): a post's page read by a browser with JavaScript off, as a link preview
 * reads it, carries the post's own title and card, a hostile title as text; with JavaScript on,
 * the same page boots the app. An unknown post is a 404 that still shows the app's page.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../scripts/lib/chromium.mjs';
import {
  callApi as call,
  linkFromEmail,
  newAccount,
  newContext,
  pageErrors,
  screenshotOnFailure,
  webUrl,
} from './support/browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());
screenshotOnFailure(() => browser?.contexts().at(-1)?.pages().at(-1));

const TITLE = `</title><script>alert("shared")</script> & "Ada's" <b>notes</b>`;

/** A verified author's published post, through the API. */
async function publishedPost(): Promise<{ path: string; author: string }> {
  const account = newAccount('Sharing Ada');
  await call('/api/v1/auth/register', account);
  const link = await linkFromEmail(account.email, /Confirm your e-mail/);
  await call('/api/v1/auth/email/verify', { token: new URLSearchParams(link.hash.slice(1)).get('token') });
  const { accessToken } = await call('/api/v1/auth/login', { email: account.email, password: account.password });
  const post = await call(
    '/api/v1/posts',
    { title: TITLE, content: 'Words a link preview shows.' },
    accessToken as string,
  );
  return { path: post.path as string, author: account.displayName };
}

describe('a shared link', () => {
  it("gets the post's own title and card in the HTML the origin sends, and the page boots the app", async () => {
    const { path } = await publishedPost();

    // As a link preview reads it: the HTML as sent, parsed by a browser, no script run.
    const raw = await newContext(browser, { javaScriptEnabled: false });
    const preview = await raw.newPage();
    const answer = await preview.goto(path);
    expect(answer?.status()).toBe(200);
    expect(await preview.title()).toBe(`${TITLE} · nuell`);
    const meta = (key: string) =>
      preview.locator(`meta[property="${key}"], meta[name="${key}"]`).getAttribute('content');
    expect(await meta('og:title')).toBe(TITLE);
    expect(await meta('twitter:title')).toBe(TITLE);
    expect(await meta('og:description')).toBe('Words a link preview shows.');
    expect(await meta('og:url')).toBe(`${webUrl()}${path}`);
    expect(await preview.locator('link[rel="canonical"]').getAttribute('href')).toBe(`${webUrl()}${path}`);
    // The title stayed text: no element of it reached the page.
    expect(await preview.locator('b, script:not([src]):not([type="application/json"])').count()).toBe(0);
    await raw.close();

    // As a reader opens it: the app boots from that page and shows the post.
    const context = await newContext(browser);
    const page = await context.newPage();
    const errors = pageErrors(page);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(path);
    await page.getByText('Words a link preview shows.').waitFor();
    expect(errors).toEqual([]);
    expect(dialogs).toEqual([]);
    await context.close();
  });

  it('to a post that is not there is a 404, with the app saying so', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const errors = pageErrors(page);
    const answer = await page.goto('/posts/nothing-here-0000000000');
    expect(answer?.status()).toBe(404);
    await page.getByRole('heading', { name: /not found/i }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('finds the feed: /rss.xml lists the newest posts', async () => {
    const { path } = await publishedPost();
    const feed = await fetch(`${webUrl()}/rss.xml`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    expect(await feed.text()).toContain(`<link>${webUrl()}${path}</link>`);
  });
});
