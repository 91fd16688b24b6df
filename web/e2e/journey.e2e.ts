/**
 * A new user's first day, in a real browser against the real stack: sign up, confirm the address
 * from the e-mail, sign in, write a post with a table, code and a link while the preview follows,
 * publish, find it in the feed and on the author page, edit, delete, and stay signed in across a
 * reload.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newAccount,
  newContext,
  pageErrors,
  screenshotOnFailure,
  signIn,
  signUp,
  verifyEmail,
} from './support/browser';
import { launchChromium } from '../../scripts/lib/chromium.mjs';

let browser: Browser;
let page: Page;
let errors: string[];
const ada = newAccount('Ada Lovelace');

beforeAll(async () => {
  browser = await launchChromium();
  page = await (await newContext(browser)).newPage();
  errors = pageErrors(page);
});
afterAll(() => browser?.close());
screenshotOnFailure(() => page);

const POST = [
  '## Engines compared',
  '',
  '| engine | year |',
  '| --- | --- |',
  '| Difference | 1822 |',
  '| Analytical | 1837 |',
  '',
  '```js',
  'const answer = 6 * 7;',
  '```',
  '',
  'Read [the notes](https://example.com/notes) for more.',
].join('\n');

describe('a new user', () => {
  it('signs up, sees the password rules live, and is asked to confirm the address', async () => {
    await page.goto('/sign-up');
    const rules = page.getByRole('list', { name: 'Password rules' });
    await page.getByLabel('Password', { exact: true }).fill('short');
    await rules.getByText('12 to 128 characters: not yet').waitFor();
    await page.getByLabel('Password', { exact: true }).fill('Correct-Horse-Battery-9');
    await rules.getByText('12 to 128 characters: met').waitFor();

    // The server's own answer for a common password appears beside the field.
    await page.getByLabel('E-mail address').fill(ada.email);
    await page.getByLabel('Display name').fill(ada.displayName);
    await page.getByLabel('Password', { exact: true }).fill('Q1w2e3r4t5y6'); // meets every rule the page knows
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('password is one of the most common passwords; choose another').waitFor();

    await signUp(page, ada);
    await page.getByText('Confirm your e-mail address').first().waitFor();
    await page.goto('/write');
    // Shown once the account is known to be unconfirmed (before that the editor cannot tell).
    await page.getByText('Confirm your e-mail address to publish.').waitFor();
    expect(await page.getByRole('button', { name: 'Publish' }).isDisabled()).toBe(true);
  });

  it('confirms the address from the e-mail, signs out and back in', async () => {
    await verifyEmail(page, ada);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).waitFor();
    await signIn(page, ada);
    // The header names the account once it is loaded; the banner is decided by the same data.
    await page.getByRole('link', { name: `Settings for ${ada.displayName}` }).waitFor();
    expect(await page.getByText('Confirm your e-mail address').count()).toBe(0);
  });

  it('writes a post with a table, code and a link while the preview follows, and publishes it', async () => {
    await page.goto('/write');
    const editor = page.getByLabel('Markdown');
    await editor.fill(POST);
    const preview = page.getByTestId('preview');
    await preview.locator('table td', { hasText: 'Analytical' }).waitFor();
    expect(await preview.locator('pre code').textContent()).toContain('const answer = 6 * 7;');
    expect(await preview.getByRole('link', { name: 'the notes' }).getAttribute('rel')).toContain('nofollow');

    // The toolbar and its shortcut edit the text; the preview catches up.
    await editor.press('End');
    await editor.press('Enter');
    await editor.type('Thanks ');
    await editor.press('Control+b');
    await editor.type('everyone');
    await preview.locator('strong', { hasText: 'everyone' }).waitFor();
    expect(await page.getByText(/^\d[\d,.]* \/ 40[,.]?000/).count()).toBe(1);

    await editor.press('Control+Enter');
    await page.waitForURL(/\/posts\/[0-9a-f-]{36}$/);
    await page.locator('article table td', { hasText: 'Difference' }).waitFor();
  });

  it('finds the post in the feed and on the author page', async () => {
    await page.goto('/');
    const card = page.getByRole('article').filter({ hasText: 'Engines compared' }).first();
    await card.waitFor();
    expect(await card.getByRole('link', { name: 'Ada Lovelace', exact: true }).count()).toBe(1);
    expect(await card.getByText('1 min read').count()).toBe(1);
    await card.getByRole('link', { name: 'Ada Lovelace', exact: true }).click();
    await page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();
    await page.getByText(/Joined .* · 1 post/).waitFor();
    await page.getByRole('article').filter({ hasText: 'Engines compared' }).waitFor();
  });

  it('stays signed in across a reload and keeps an unsent draft', async () => {
    await page.goto('/write');
    await page.getByLabel('Markdown').fill('A draft that must survive');
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await page.getByLabel('Markdown').inputValue()).toBe('A draft that must survive');
    await page.getByText('Restored your unsaved draft.').waitFor();
  });

  it('edits the post, then deletes it after confirming', async () => {
    await page.goto('/');
    await page
      .getByRole('article')
      .filter({ hasText: 'Engines compared' })
      .first()
      .getByRole('link', { name: /Open post/ })
      .click();
    await page.getByRole('link', { name: 'Edit' }).click();
    const editor = page.getByLabel('Markdown');
    await editor.fill(POST.replace('Engines compared', 'Engines, compared again'));
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Engines, compared again' }).waitFor();
    await page.getByText('edited').first().waitFor();
    const postUrl = page.url();

    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this post?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(page.url()).toBe(postUrl); // cancelled: nothing deleted, still on the post
    await page.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByText('Post deleted.').waitFor();
    // The feed as the server has it now (either state appears only once its answer is in).
    await page.getByText('Nothing has been posted yet.').or(page.getByRole('article').first()).waitFor();
    expect(await page.getByText('Engines, compared again').count()).toBe(0);
    await page.goto(postUrl);
    await page.getByRole('heading', { name: 'Post not found' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('sends the signed-out from a private page to sign in, and back afterwards', async () => {
    const other = await (await newContext(browser)).newPage();
    await other.goto('/settings');
    await other.waitForURL(/\/sign-in\?next=(%2F|\/)settings$/);
    await other.getByLabel('E-mail address').fill(ada.email);
    await other.getByLabel('Password').fill(ada.password);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.waitForURL((url) => url.pathname === '/settings');
    await other.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await other.context().close();
  });
});
