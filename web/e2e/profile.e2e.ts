/**
 * The author page as its author shapes it: a bio and a link set in Settings, shown beside the
 * posts; a refused value is said in the form's error summary, which takes the focus.
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

describe('an author page', () => {
  it('shows the bio and the link set in Settings, the address completed as people type it', async () => {
    await signUp(page, newAccount('Grace Hopper'));
    await page.goto('/settings');
    const about = page.getByRole('region', { name: 'About you' });
    await about.getByLabel('Bio').fill('Wrote the first compiler.\nFound the moth.');

    // Not a web address at all: said in the summary, which takes the focus, and nothing is saved.
    await about.getByLabel('Link').fill('mailto:grace@example.com');
    await about.getByRole('button', { name: 'Save' }).click();
    const summary = about.locator('[data-error-summary]');
    await summary.getByText('A full address, starting with https://').waitFor();
    expect(await summary.evaluate((element) => element === document.activeElement)).toBe(true);

    // Typed as people read addresses: saved with its https://, and shown so in the field.
    await about.getByLabel('Link').fill('example.com/grace');
    await about.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Profile saved.').waitFor();
    expect(await about.getByLabel('Link').inputValue()).toBe('https://example.com/grace');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My posts' }).click();
    await page.getByRole('heading', { name: 'Grace Hopper', level: 1 }).waitFor();
    await page.getByText('Wrote the first compiler.').waitFor();
    const link = page.getByRole('link', { name: /example\.com\/grace/ });
    expect(await link.getAttribute('href')).toBe('https://example.com/grace');
    expect(await link.getAttribute('rel')).toContain('nofollow');
  });
});
