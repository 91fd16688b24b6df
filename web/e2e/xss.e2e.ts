/**
 * A post made of XSS payloads, rendered by the app in every place it shows one: the editor's
 * preview and the post page show its body, where every element is hovered, focused and clicked;
 * the author page and the feed show its card (its hostile title and excerpt, as text). The page is
 * let settle before the test moves on; nothing may
 * open a dialog, throw, open a window, load anything but an image from elsewhere, or take the page
 * to another origin. What happens is recorded outside the page (the browser context's events), so
 * it survives the navigations between the places. The page's Content-Security-Policy is bypassed
 * for this test, so that it proves the HTML the app inserts is inert by itself; the policy is
 * checked separately.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XSS_PAYLOADS } from '../../api/test/support/inert';
import { screenshotOnFailure, newAccount, newContext, signUp, verifyEmail, webUrl } from './support/browser';
import { launchChromium } from '../../scripts/lib/chromium.mjs';
import { exercisePage } from '../../scripts/lib/exercise-page.mjs';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());
screenshotOnFailure(() => browser?.contexts().at(-1)?.pages().at(-1));

/** A title is plain text wherever it is shown. */
const TITLE = 'Hostile <img src=x onerror=alert(1)> title';

/** Everything a payload could make the browser do that the test can see from outside the page. */
async function watched(context: BrowserContext): Promise<{ page: Page; events: string[]; visited: string[] }> {
  const origin = new URL(webUrl()).origin;
  const events: string[] = [];
  const visited: string[] = [];
  // Nothing leaves the machine; images from elsewhere are allowed, and refused here.
  await context.route(
    (url) => url.origin !== origin,
    (route) => route.abort(),
  );
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin !== origin && !(request.resourceType() === 'image' && /^https?:$/.test(url.protocol))) {
      events.push(`${request.resourceType()} request to ${request.url()}`);
    }
  });
  context.on('dialog', (dialog) => {
    events.push(`${dialog.type()} dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  const page = await context.newPage();
  context.on('page', (opened) => events.push(`a window opened: ${opened.url()}`));
  page.on('pageerror', (error) => events.push(`script error: ${error.message}`));
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) visited.push(frame.url());
  });
  return { page, events, visited };
}

/** Exercises the hostile post: the post body with the link to `mark` (scripts/lib/exercise-page.mjs). */
async function exercise(page: Page, mark: string): Promise<number> {
  return (await page.evaluate(exercisePage, `.post-body:has(a[href="${mark}"])`)).elements;
}

describe('hostile posts', () => {
  it('render without running any script: in the preview, on the post page, its card on the author page and the feed', async () => {
    const context = await newContext(browser, { bypassCSP: true });
    const { page, events, visited } = await watched(context);
    const account = newAccount('Mallory');
    // This run's post, told apart from any other by its first link.
    const mark = `https://ok.example/${account.email.split('@')[0]}`;
    await signUp(page, account);
    await verifyEmail(page, account);
    /** What the payloads did in one place, read before the test leaves it. */
    const counts: number[] = [];
    const seen = async (where: string) => {
      counts.push(await exercise(page, mark));
      return { where, events: events.splice(0) };
    };

    await page.goto('/write');
    await page.getByLabel('Title').fill(TITLE);
    // A plain link first, as the sign that the post has rendered: payloads later in the list may
    // leave a <details> open around everything that follows them.
    await page.locator('.cm-content[contenteditable="true"]').fill([`[ok](${mark})`, ...XSS_PAYLOADS].join('\n\n'));
    await page.getByTestId('preview').getByRole('link', { name: 'ok' }).waitFor();
    expect(await seen('the preview')).toEqual({ where: 'the preview', events: [] });

    await page.getByRole('button', { name: 'Publish' }).click();
    await page.waitForURL(/\/posts\/hostile-img-src-x-onerror-alert-1-title-[0-9a-z]{10}$/);
    const postUrl = page.url();
    const path = new URL(postUrl).pathname;
    /** The post's card, with its title as text, not as markup. */
    const card = async () => {
      const found = page.locator(`article:has(a[href="${path}"])`);
      await found.getByText(TITLE).waitFor();
      expect(await found.locator('img, script, iframe, object, embed, svg').count()).toBe(0);
      await page.waitForTimeout(500); // not an assertion: let any payload run before reading the events
    };
    try {
      await page.locator('article .post-body').getByRole('link', { name: 'ok' }).waitFor();
      expect(await seen('the post page')).toEqual({ where: 'the post page', events: [] });
      expect(
        await page.locator('.post-body script, .post-body iframe, .post-body object, .post-body embed').count(),
      ).toBe(0);

      await page.getByRole('link', { name: 'Mallory', exact: true }).first().click();
      // The author page's own list, not the post page still on screen while the route changes.
      await page.waitForURL(/\/authors\/[0-9a-f-]{36}$/);
      await page.getByRole('heading', { name: 'Posts by Mallory' }).waitFor({ state: 'attached' });
      await card();
      expect({ where: 'the author page', events: events.splice(0) }).toEqual({ where: 'the author page', events: [] });

      await page.goto('/');
      await card();
      expect({ where: 'the feed', events: events.splice(0) }).toEqual({ where: 'the feed', events: [] });

      // The same post, whole, in the preview and on its page.
      expect(counts[0]).toBeGreaterThan(100);
      expect(counts).toEqual([counts[0], counts[0]]);
      // Every page the tab showed was the app's: no payload took it elsewhere.
      expect(visited.filter((url) => new URL(url).origin !== new URL(webUrl()).origin)).toEqual([]);
    } finally {
      // Leave the feed as we found it (the other suites read it), whatever happened above.
      await page.goto(postUrl);
      await page.getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
      await page.getByText('Post deleted.').waitFor();
    }
    await context.close();
  });

  it('(control) would see a handler that runs, and a page that leaves', async () => {
    const context = await newContext(browser, { bypassCSP: true });
    const { page, events, visited } = await watched(context);
    await page.goto('/');
    await page.getByRole('heading', { name: 'Latest posts' }).waitFor();
    await page.evaluate(() => {
      const body = document.createElement('div');
      body.className = 'post-body';
      body.innerHTML =
        '<img src="x" onerror="alert(1)"><p onfocus="setTimeout(() => confirm(2))">late</p>' +
        '<img src="https://elsewhere.example/a.png"><a href="https://ok.example/control">ok</a>';
      document.body.append(body);
    });
    await exercise(page, 'https://ok.example/control');
    expect(events).toEqual(['alert dialog: 1', 'confirm dialog: 2']);
    await page.evaluate(() => {
      location.href = 'https://elsewhere.example/';
    });
    await expect.poll(() => visited.at(-1)).toMatch(/^chrome-error:|^https:\/\/elsewhere\.example\//);
    await context.close();
  });

  it('ships a Content-Security-Policy that forbids inline script', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto('/');
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(policy).toMatch(/script-src 'self'(;|$)/);
    expect(policy).not.toContain('unsafe-inline');
    // And the app still runs under it.
    await page.getByRole('heading', { name: 'Latest posts' }).waitFor();
    const inline = await page.evaluate(
      () => [...document.scripts].filter((s) => !s.src && s.type !== 'application/json').length,
    );
    expect(inline).toBe(0);
    await context.close();
  });
});
