/**
 * Sessions across tabs and devices: the API ends a whole session when one refresh token is
 * presented twice, so tabs of one browser must take turns; sign-out in one tab signs out all;
 * a session ended from another device is signed out here.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshotOnFailure, newAccount, newContext, signIn, signUp } from './support/browser';
import { launchChromium } from '../../scripts/lib/chromium.mjs';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());
screenshotOnFailure(() => browser?.contexts().at(-1)?.pages().at(-1));

describe('sessions', () => {
  it('keeps two tabs signed in when both refresh at the same moment, again and again', async () => {
    const context = await newContext(browser);
    const first = await context.newPage();
    await signUp(first, newAccount('Two Tabs'));
    const second = await context.newPage();
    await second.goto('/settings');
    await second.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();

    for (let round = 0; round < 3; round++) {
      // Each load starts by exchanging the shared refresh cookie.
      await Promise.all([first.reload(), second.reload()]);
      for (const page of [first, second]) {
        await page.getByRole('button', { name: 'Sign out' }).waitFor();
      }
    }
    await second.getByRole('list', { name: 'Signed-in sessions' }).getByText('This device').waitFor();
    expect(await second.getByRole('link', { name: 'Sign in' }).count()).toBe(0);
    await context.close();
  });

  it('signs out every tab when one signs out', async () => {
    const context = await newContext(browser);
    const first = await context.newPage();
    await signUp(first, newAccount('Many Tabs'));
    const second = await context.newPage();
    await second.goto('/settings');
    await second.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();

    await first.getByRole('button', { name: 'Sign out' }).click();
    // The other tab leaves the private page without being touched.
    await second.waitForURL(/\/sign-in\?next=(%2F|\/)settings$/);
    await context.close();
  });

  it('signs out a device whose session was ended from another one', async () => {
    const account = newAccount('Two Devices');
    const laptop = await (await newContext(browser)).newPage();
    await signUp(laptop, account);
    const phone = await (
      await newContext(browser, {
        viewport: { width: 390, height: 844 },
        userAgent: 'Mozilla/5.0 (Linux; Android 15) AppleWebKit/537.36 Chrome/140.0 Mobile Safari/537.36',
      })
    ).newPage();
    await signIn(phone, account);

    await laptop.goto('/settings');
    const sessions = laptop.getByRole('list', { name: 'Signed-in sessions' });
    await sessions.getByText('Chrome on Android').waitFor();
    await laptop.getByRole('button', { name: /^Sign out Chrome on Android/ }).click();
    await laptop.getByText('Signed out Chrome on Android.').waitFor();
    await sessions.getByText('Chrome on Android').waitFor({ state: 'detached' });

    // The phone, still open on the feed, finds out at its next request and its private page closes.
    await phone.getByRole('link', { name: /^Settings for/ }).click();
    await phone.waitForURL(/\/sign-in/);
    await phone.getByText('Your session has ended. Please sign in again.').first().waitFor();
    await laptop.context().close();
    await phone.context().close();
  });
});
