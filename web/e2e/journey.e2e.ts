/**
 * A new user's first day, in a real browser against the real stack: sign up, confirm the address
 * from the e-mail, sign in, write a post with a table, code and a link while the preview follows
 * and the draft is saved to the account, find the draft from another browser and publish it from
 * there, find the post in the feed and on the author page, come Back to the same place in a long
 * feed, format by keyboard, edit, delete, and stay signed in across a reload.
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
  webUrl,
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

/** The Markdown editor (CodeMirror's editable area, named by the "Markdown" label). */
const editorOf = (p: Page) => p.locator('.cm-content[contenteditable="true"]');

let token = '';
let enginesPath = '';
/** Ada's requests straight to the API, as a script would make them. */
async function api(path: string, init: RequestInit = {}): Promise<Response> {
  if (!token) {
    const login = await fetch(`${webUrl()}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ada.email, password: ada.password }),
    });
    token = ((await login.json()) as { accessToken: string }).accessToken;
  }
  return fetch(`${webUrl()}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...init.headers },
  });
}
const apiGet = async (path: string) => (await (await api(path)).json()) as Record<string, unknown>;

async function seedPosts(n: number): Promise<void> {
  for (let i = 1; i <= n; i++) {
    const answer = await api('/api/v1/posts', {
      method: 'POST',
      body: JSON.stringify({
        title: `Seeded post ${i}`,
        content: `Number ${i}, ${'words '.repeat(30)}`,
        status: 'published',
      }),
    });
    expect(answer.status).toBe(201);
  }
}

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

    // A common password meets the length and mix rules, not "hard to guess" (the API's estimate).
    await page.getByLabel('E-mail address').fill(ada.email);
    await page.getByLabel('Display name').fill(ada.displayName);
    await page.getByLabel('Password', { exact: true }).fill('Q1w2e3r4t5y6');
    await rules.getByText('Hard to guess: not a common password, word or pattern: not yet').waitFor();
    await page.getByRole('button', { name: 'Create account' }).click();
    await page
      .locator('[data-error-summary]')
      .getByText(/^The password is too easy to guess/)
      .waitFor();

    await signUp(page, ada);
    await page.getByText('Confirm your e-mail address').first().waitFor();
    await page.goto('/write');
    // Shown once the account is known to be unconfirmed (before that the editor cannot tell).
    await page.getByText('Confirm your e-mail address to publish.').waitFor();
    expect(await page.getByRole('button', { name: 'Publish' }).isDisabled()).toBe(true);
    // Only publishing waits: the preview already works.
    await editorOf(page).fill('First **words**');
    await page.getByTestId('preview').locator('strong', { hasText: 'words' }).waitFor();
    await page.getByTestId('save-state').getByText('Draft saved').waitFor(); // drafts need no confirmation
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

  it('writes a post with a table, code and a link while the preview follows, saved to the account as a draft', async () => {
    await page.goto('/write'); // signing out took the first try off this browser; it is in the drafts
    await page.getByLabel('Title').fill('Engines compared');
    const editor = editorOf(page);
    await editor.fill(POST);
    const preview = page.getByTestId('preview');
    await preview.locator('table td', { hasText: 'Analytical' }).waitFor();
    expect(await preview.locator('pre code').textContent()).toContain('const answer = 6 * 7;');
    expect(await preview.getByRole('link', { name: 'the notes' }).getAttribute('rel')).toContain('nofollow');

    // The shortcut formats what is typed next; the preview catches up.
    await editor.press('Control+End');
    await editor.press('Enter');
    await page.keyboard.type('Thanks ');
    await editor.press('Control+b');
    await page.keyboard.type('everyone');
    await preview.locator('strong', { hasText: 'everyone' }).waitFor();
    expect(await page.getByText(/^\d[\d,.]* \/ 40[,.]?000/).count()).toBe(1);
    await page.getByTestId('save-state').getByText('Draft saved').waitFor();
  });

  it('finds the draft under "My drafts" in another browser, and publishes it from there', async () => {
    const other = await (await newContext(browser)).newPage();
    await signIn(other, ada);
    await other.getByRole('link', { name: 'My posts' }).click();
    await other.getByRole('link', { name: 'Your drafts' }).click();
    await other.getByRole('heading', { name: 'Drafts', level: 1 }).waitFor();
    await other.getByRole('link', { name: 'Engines compared' }).click();
    await other.getByRole('heading', { name: 'Edit draft' }).waitFor();
    expect(await other.getByLabel('Title').inputValue()).toBe('Engines compared');
    await other.getByTestId('preview').locator('strong', { hasText: 'everyone' }).waitFor();
    expect(await editorOf(other).textContent()).toContain('Thanks **everyone**');

    await other.getByRole('button', { name: 'Publish' }).click();
    await other.waitForURL(/\/posts\/engines-compared-[0-9a-z]{10}$/);
    await other.locator('article table td', { hasText: 'Difference' }).waitFor();
    await other.getByRole('heading', { name: 'Engines compared', level: 1 }).waitFor();
    // Published: no longer a draft. The first try (before the address was confirmed) still is.
    await other.goto('/drafts');
    await other.getByRole('link', { name: 'Untitled draft' }).waitFor();
    expect(await other.getByRole('link', { name: 'Engines compared' }).count()).toBe(0);
    await other.context().close();
  });

  it('finds the post in the feed, where the whole card opens it, and on the author page', async () => {
    await page.goto('/');
    const card = page.getByRole('article').filter({ hasText: 'Engines compared' }).first();
    await card.waitFor();
    // One link to the post (its title); the author's name links to the author, beside it.
    const path = await card.getByRole('link', { name: 'Engines compared' }).getAttribute('href');
    enginesPath = path!;
    expect(path).toMatch(/^\/posts\/engines-compared-[0-9a-z]{10}$/);
    expect(await card.locator(`a[href="${path}"]`).count()).toBe(1);
    expect(await card.locator('a a').count()).toBe(0);
    expect(await card.getByText('1 min read').count()).toBe(1);
    // A click on the excerpt opens the post too: the link's box lies over the whole card (force:
    // Playwright would otherwise refuse, seeing the link on top, which is the point).
    await card.getByText(/Read the notes for more/).click({ force: true });
    await page.waitForURL((url) => url.pathname === path);
    await page.getByRole('heading', { name: 'Engines compared', level: 1 }).waitFor();
    await page.goBack();

    await page
      .getByRole('article')
      .filter({ hasText: 'Engines compared' })
      .getByRole('link', { name: 'Ada Lovelace', exact: true })
      .click();
    await page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();
    await page.getByText(/Joined .* · 1 post/).waitFor();
    await page.getByRole('article').filter({ hasText: 'Engines compared' }).waitFor();

    // An old link (the post's id) opens the post at its readable address.
    const id = await apiGet(`/api/v1/posts/${path!.split('-').at(-1)!}`).then((post) => post.id as string);
    await page.goto(`/posts/${id}`);
    await page.waitForURL((url) => url.pathname === path);
  });

  it('comes Back from a post to the same place in a long feed: the pages it had loaded, the scroll position', async () => {
    await seedPosts(45); // three pages of 20
    await page.goto('/');
    const cards = page.getByRole('article');
    await cards.first().waitFor();
    // Scrolling down loads the next pages.
    while ((await cards.count()) < 41) {
      await page.mouse.wheel(0, 4000);
      await page.waitForTimeout(50); // not an assertion: let the scroll happen before counting again
    }
    const loaded = await cards.count();
    const target = cards.nth(30);
    // The reader stops with the 31st card a little below the top of the window.
    const top = await target.evaluate((card) => Math.round(card.getBoundingClientRect().top + window.scrollY - 150));
    await page.evaluate((y) => window.scrollTo({ top: y, behavior: 'instant' }), top);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(top);
    const scrollY = top;
    const title = (await target.getByRole('heading').textContent())!.trim();

    await target.getByRole('link', { name: title }).click();
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    await page.goBack();
    await expect.poll(() => cards.count()).toBe(loaded);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(scrollY);
    expect(await target.getByRole('heading').textContent()).toContain(title);

    // A new visit to the feed starts at the top with one page.
    await page.getByRole('link', { name: 'My posts' }).click();
    await page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Feed' }).click();
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0);
    await expect.poll(() => cards.count()).toBe(20);
  });

  it('formats by keyboard: toggles, headings, list continuation, indentation, undo, and Esc then Tab leaves', async () => {
    await page.goto('/write');
    // The draft this browser last saved was published in the other browser: a new post starts.
    await expect.poll(() => page.getByLabel('Title').inputValue()).toBe('');
    await page.getByLabel('Title').fill('Keyboard only');
    const editor = editorOf(page);
    await editor.click();
    // The document line by line (innerText doubles the break an empty line's <br> makes).
    const text = () =>
      editor.evaluate((element) =>
        Array.from(element.querySelectorAll('.cm-line'), (line) => line.textContent)
          .join('\n')
          .replace(/\u00a0/g, ' ')
          .trimEnd(),
      );

    await page.keyboard.type('plain word');
    await page.keyboard.press('Control+Shift+ArrowLeft'); // selects "word"
    await page.keyboard.press('Control+b');
    await expect.poll(text).toBe('plain **word**');
    await page.keyboard.press('Control+b'); // twice: the word again, not ****word****
    await expect.poll(text).toBe('plain word');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowRight'); // a cursor inside the word takes the word
    await page.keyboard.press('Control+i');
    await expect.poll(text).toBe('plain *word*');
    await page.keyboard.press('Control+i');
    await expect.poll(text).toBe('plain word');

    await page.getByRole('button', { name: 'Heading' }).click();
    await expect.poll(text).toBe('## plain word');
    await page.getByRole('button', { name: 'Heading' }).click(); // not ## ## plain word
    await expect.poll(text).toBe('plain word');

    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('- one');
    await page.keyboard.press('Enter'); // the list goes on
    await page.keyboard.type('two');
    await page.keyboard.press('Tab'); // nests the item, and focus stays in the editor
    await expect.poll(text).toBe('plain word\n- one\n  - two');
    expect(await editor.evaluate((element) => element === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter'); // an empty nested item goes back to its parent's level
    await page.keyboard.press('Enter'); // and an empty item there ends the list, a blank line after it
    await page.keyboard.type('after');
    await expect.poll(text).toBe('plain word\n- one\n  - two\n\nafter');
    await page.keyboard.press('Control+z');
    await expect.poll(text).not.toContain('after');

    // Esc, then Tab moves on to the next control (CodeMirror's way out for keyboard users).
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    expect(await editor.evaluate((element) => element === document.activeElement)).toBe(false);

    // The image button asks for an address and a description.
    await page.getByRole('button', { name: 'Image' }).click();
    const dialog = page.getByRole('dialog', { name: 'Insert an image' });
    await dialog.getByLabel('Image address').fill('https://example.com/engine.png');
    await dialog.getByLabel('Description').fill('The Difference Engine');
    await dialog.getByRole('button', { name: 'Insert image' }).click();
    await expect.poll(text).toContain('![The Difference Engine](https://example.com/engine.png)');
    await page.getByRole('button', { name: 'Markdown help' }).click();
    await page.getByRole('dialog', { name: /Markdown/ }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('save-state').getByText('Draft saved').waitFor();
  });

  it('keeps the text on this device when the server cannot be reached, and saves it once back', async () => {
    await page.goto('/write');
    await page.getByRole('button', { name: 'Start a new post' }).click();
    await page.getByLabel('Title').fill('Written on a train');
    await page.getByTestId('save-state').getByText('Draft saved').waitFor();
    await page.context().setOffline(true);
    await editorOf(page).fill('A draft that must survive');
    await page
      .getByTestId('save-state')
      .getByText(/no connection/)
      .waitFor();
    await page.context().setOffline(false);
    await page.getByTestId('save-state').getByText('Draft saved').waitFor();
  });

  it('stays signed in across a reload and keeps the draft', async () => {
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByText('Continuing your draft.').waitFor();
    expect(await editorOf(page).textContent()).toBe('A draft that must survive');
    expect(await page.getByLabel('Title').inputValue()).toBe('Written on a train');
  });

  it('edits the post, then deletes it after confirming', async () => {
    await page.goto(enginesPath);
    await page.getByRole('link', { name: 'Edit' }).click();
    const editor = editorOf(page);
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
    expect(await page.getByText('Engines compared').count()).toBe(0);
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
    await other.getByRole('button', { name: 'Sign in', exact: true }).click();
    await other.waitForURL((url) => url.pathname === '/settings');
    await other.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await other.context().close();
  });
});
