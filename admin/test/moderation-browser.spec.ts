/**
 * Moderation in a real browser (Debian's Chromium through playwright-core): an operator opens a
 * post, hides it with a reason (the page asks for one, and the post leaves the API's public reads),
 * restores it, and edits it while its author saves a newer version: the save is refused, the
 * author's text shows beside the operator's, and nothing is overwritten. No script error and no
 * Content-Security-Policy violation on the way. Screenshots go to test-reports/screenshots/.
 */
import { bearer, json, login, register, verify } from '../../api/test/support/accounts.js';
import { shot, signInWithForm, useChromium, watchedPage } from './support/browser.js';
import { operator, uniqueText, usePanelAndApi } from './support/panel.js';

const { panel, api } = usePanelAndApi({ SMTP_URL: 'smtp://127.0.0.1:1' });
const chromium = useChromium();
const newPage = (problems: string[]) => watchedPage(chromium.browser, problems);

describe('an operator moderating in the browser', () => {
  it('hides a post with a reason, restores it, and sees the author’s newer text instead of overwriting it', async () => {
    const ops = await operator(api, { email: `${uniqueText('operator')}@example.test` });
    const user = await register(api.url, { displayName: 'Hidden Author' });
    await verify(api.url, user);
    const { accessToken } = await login(api.url, user);
    const title = uniqueText('A post to hide');
    const created = await fetch(
      `${api.url}/api/v1/posts`,
      bearer(accessToken, json({ title, content: 'Something that *should not* be public.' })),
    );
    const post = (await created.json()) as { id: string };
    const publicStatus = async () => (await fetch(`${api.url}/api/v1/posts/${post.id}`)).status;

    const problems: string[] = [];
    const page = await newPage(problems);
    await signInWithForm(page, panel.url, ops);

    // Hide: the page names the post, says what follows, and wants a reason.
    await page.goto(`${panel.url}/cp/resources/Post/records/${post.id}/show`);
    await page.getByText('Hide', { exact: true }).first().click();
    await page.getByRole('heading', { name: `Hide “${title}”?` }).waitFor();
    await page.getByText('Nothing is deleted').waitFor();
    await page.getByRole('button', { name: 'Hide' }).click();
    await page.getByRole('status').getByText('Say why: the author reads the reason.').waitFor();
    expect(await publicStatus()).toBe(200);
    await page.getByLabel('Reason (the author reads it)').fill('It shares a stranger’s phone number.');
    await shot(page, 'panel-post-hide');
    await page.getByRole('button', { name: 'Hide' }).click();
    await page
      .getByRole('status')
      .getByText('Hidden: readers no longer see it, and the author has been e-mailed the reason.')
      .waitFor();
    expect(await publicStatus()).toBe(404);

    // The post's page says so, with the reason; Restore is offered instead of Hide.
    await page.getByRole('link', { name: `Back to “${title}”` }).click();
    await page.waitForURL(/\/records\/[^/]+\/show$/);
    await page.getByText('It shares a stranger’s phone number.').waitFor();
    await shot(page, 'panel-post-hidden');
    await page.getByText('Restore', { exact: true }).first().click();
    await page.getByRole('heading', { name: `Restore “${title}”?` }).waitFor();
    await page.getByLabel('Message to the author (optional)').fill('The number was the author’s own.');
    await page.getByRole('button', { name: 'Restore' }).click();
    await page
      .getByRole('status')
      .getByText('Restored: readers see it again, and the author has been e-mailed.')
      .waitFor();
    expect(await publicStatus()).toBe(200);

    // Edit while the author saves: refused, their text beside ours, nothing overwritten.
    await page.goto(`${panel.url}/cp/resources/Post/records/${post.id}/edit`);
    const markdown = page.locator('textarea[name="content"]');
    await markdown.waitFor();
    await markdown.fill('The operator’s rewrite.');
    const patched = await fetch(
      `${api.url}/api/v1/posts/${post.id}`,
      bearer(accessToken, { ...json({ content: 'The author’s own rewrite.' }), method: 'PATCH' }),
    );
    expect(patched.status).toBe(200);
    await page.getByRole('button', { name: 'Save' }).click();
    await page
      .getByRole('alert')
      .getByText(/Not saved: the author saved a newer version/)
      .waitFor();
    expect(await page.locator('[data-pane="newer"] pre').textContent()).toBe('The author’s own rewrite.');
    expect(await markdown.inputValue()).toBe('The operator’s rewrite.');
    expect(((await (await fetch(`${api.url}/api/v1/posts/${post.id}`)).json()) as { content: string }).content).toBe(
      'The author’s own rewrite.',
    );
    await shot(page, 'panel-post-edit-conflict');

    // Starting from their version and saving goes through.
    await page.getByRole('button', { name: 'Start from their version' }).click();
    await markdown.fill('The author’s own rewrite, lightly edited.');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/resources\/Post(\?|$)/);
    expect(((await (await fetch(`${api.url}/api/v1/posts/${post.id}`)).json()) as { content: string }).content).toBe(
      'The author’s own rewrite, lightly edited.',
    );

    expect(problems).toEqual([]);
  }, 120_000);

  it('hides the selected posts from the list with one reason', async () => {
    const ops = await operator(api, { email: `${uniqueText('operator')}@example.test` });
    const user = await register(api.url, { displayName: 'Bulk Author' });
    await verify(api.url, user);
    const { accessToken } = await login(api.url, user);
    const ids: string[] = [];
    for (const n of [1, 2]) {
      const res = await fetch(
        `${api.url}/api/v1/posts`,
        bearer(accessToken, json({ title: `Bulk ${n} ${uniqueText('x')}`, content: 'Spam, spam, spam.' })),
      );
      ids.push(((await res.json()) as { id: string }).id);
    }

    const problems: string[] = [];
    const page = await newPage(problems);
    await signInWithForm(page, panel.url, ops);

    await page.goto(`${panel.url}/cp/resources/Post/bulk/bulkHide?recordIds=${ids.join(',')}`);
    await page.getByRole('heading', { name: 'Hide these 2 posts?' }).waitFor();
    await page.getByLabel('Reason (the author reads it)').fill('Repeated advertising.');
    await page.getByRole('button', { name: 'Hide' }).click();
    await page.getByRole('status').getByText('Hid 2 posts; their authors have been e-mailed the reason.').waitFor();
    for (const id of ids) expect((await fetch(`${api.url}/api/v1/posts/${id}`)).status).toBe(404);

    // The list says which are hidden, and still fits 1366 px without sideways scrolling.
    await page.goto(`${panel.url}/cp/resources/Post?filters.authorId=${user.id}`);
    await page.locator('tbody tr').first().waitFor();
    expect(await page.locator('thead').textContent()).toContain('Readers');
    expect(await page.locator('tbody tr').count()).toBe(2);
    for (const row of await page.locator('tbody tr').all())
      expect(await row.textContent()).toContain('Not shown: hidden');
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
    ).toBe(true);
    await shot(page, 'panel-posts-hidden');

    expect(problems).toEqual([]);
  }, 60_000);
});
