/**
 * A post made of XSS payloads, rendered by the app with alert, confirm and prompt hooked: nothing
 * fires. The page's Content-Security-Policy is bypassed for this test, so that it proves the HTML
 * the app inserts is inert by itself; the policy is checked separately.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XSS_PAYLOADS } from '../../api/test/support/inert';
import { screenshotOnFailure, newAccount, newContext, signUp, verifyEmail, webUrl } from './support/browser';
import { launchChromium } from '../../scripts/lib/chromium.mjs';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());
screenshotOnFailure(() => browser?.contexts().at(-1)?.pages().at(-1));

describe('hostile posts', () => {
  it('render without running any script, in the feed, on the post page and in the preview', async () => {
    const context = await newContext(browser, { bypassCSP: true });
    await context.addInitScript(() => {
      const fired: string[] = [];
      Object.assign(window, { __fired: fired });
      for (const name of ['alert', 'confirm', 'prompt'] as const) {
        Object.defineProperty(window, name, {
          value: (...args: unknown[]) => void fired.push(`${name}(${args.join()})`),
        });
      }
    });
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const account = newAccount('Mallory');
    await signUp(page, account);
    await verifyEmail(page, account);

    await page.goto('/write');
    // A plain link first, as the sign that the post has rendered: payloads later in the list may
    // leave a <details> open around everything that follows them.
    await page.getByLabel('Markdown').fill(['[ok](https://ok.example)', ...XSS_PAYLOADS].join('\n\n'));
    await page.getByTestId('preview').getByRole('link', { name: 'ok' }).waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.waitForURL(/\/posts\/[0-9a-f-]{36}$/);
    const postUrl = page.url();
    const post = page.locator('article .post-body');
    await post.getByRole('link', { name: 'ok' }).waitFor();

    // Give handlers every chance: hover and click what is there, focus what can be focused.
    for (const link of await post.locator('a, div, img, details').all()) {
      await link.hover({ timeout: 1000 }).catch(() => {});
    }
    await post
      .locator('div', { hasText: 'click' })
      .first()
      .click({ timeout: 1000 })
      .catch(() => {});
    await page.goto('/');
    await page.getByRole('article').first().waitFor();
    await page.waitForLoadState('networkidle');

    expect(await page.evaluate(() => (window as unknown as { __fired: string[] }).__fired)).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(new URL(page.url()).origin).toBe(webUrl());
    expect(
      await page.locator('.post-body script, .post-body iframe, .post-body object, .post-body embed').count(),
    ).toBe(0);

    // Leave the feed as we found it (the other suites read it).
    await page.goto(postUrl);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Post deleted.').waitFor();
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
