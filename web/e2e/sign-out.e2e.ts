/**
 * Signing out on a shared computer: writing the server has not received yet (the autosave failed,
 * or has not run) lives only in this browser's storage, so signing out deletes it, after saying
 * so; cancelling keeps both the session and the draft.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../scripts/lib/chromium.mjs';
import { newAccount, newContext, screenshotOnFailure, signUp } from './support/browser';

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchChromium();
  page = await (await newContext(browser)).newPage();
});
afterAll(() => browser?.close());
screenshotOnFailure(() => page);

/** The Markdown editor (CodeMirror's editable area). */
const editor = () => page.locator('.cm-content[contenteditable="true"]');
const drafts = () =>
  page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('nuell:draft:')).length);

describe('signing out with unpublished writing', () => {
  it('asks first, keeps everything when the user stays, and deletes the drafts from this browser on confirm', async () => {
    await signUp(page, newAccount('Shared Computer'));
    // Every save of a post fails, so the draft stays this browser's alone (without
    // this the autosave would hand it to the account a second later and there is nothing to ask).
    await page.route(
      (url) => url.pathname.startsWith('/api/v1/posts') && !url.pathname.endsWith('/preview'),
      (route) => (['POST', 'PATCH'].includes(route.request().method()) ? route.abort() : route.fallback()),
    );
    await page.goto('/write');
    await editor().fill('Something private, half written');
    await expect.poll(drafts).toBe(1);

    await page.getByRole('button', { name: 'Sign out' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign out and delete your unpublished writing?' });
    await dialog.getByText(/One draft is kept only in this browser/).waitFor();
    await dialog.getByRole('button', { name: 'Stay signed in' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await editor().textContent()).toBe('Something private, half written');
    expect(await drafts()).toBe(1);

    // By keyboard this time: the dialog takes focus (on the safe choice), Tab reaches the confirming button.
    await page.getByRole('button', { name: 'Sign out' }).focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Stay signed in');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).waitFor();
    await page.getByText('Signed out. Your unpublished writing was deleted from this browser.').waitFor();
    expect(await drafts()).toBe(0);
  });

  it('signs out at once when there is nothing unpublished', async () => {
    const other = await (await newContext(browser)).newPage();
    await signUp(other, newAccount('Nothing Pending'));
    await other.getByRole('button', { name: 'Sign out' }).click();
    await other.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).waitFor();
    expect(await other.getByRole('dialog').count()).toBe(0);
    await other.context().close();
  });
});
