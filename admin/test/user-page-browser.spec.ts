/**
 * The user page and what is done from it, in Chromium at 1366x768 (a common laptop): the sign-in
 * form a password manager fills, a deep link that survives sign-in, one user whole with the
 * address as its title and every action in view, confirmations that name the account and offer
 * Cancel, the e-mail correction, and an edit whose session ended, back on its page after sign-in.
 * No sideways scrolling, no action keys, no script error on the way.
 */
import type { Page } from 'playwright-core';
import { bearer, json, login, register, verify } from '../../api/test/support/accounts.js';
import { enterCode, LAPTOP, shot, signInWithForm, useChromium, watchedPage } from './support/browser.js';
import { operator, signedIn, uniqueText, usePanelAndApi } from './support/panel.js';

const { panel, api } = usePanelAndApi();
const chromium = useChromium();
const newPage = (problems: string[]) => watchedPage(chromium.browser, problems, LAPTOP, { failedRequests: false });

const noSidewaysScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

/**
 * Whether AdminJS's header of a record's page fits: every action button inside the page, none
 * under the title.
 */
const headerFits = (page: Page) =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const title = document.querySelector('.adminjs_ActionHeader h2')?.getBoundingClientRect();
    const buttons = [...document.querySelectorAll('.adminjs_ActionHeader .adminjs_ButtonGroupItem')].map((b) =>
      b.getBoundingClientRect(),
    );
    const overlaps = (a: DOMRect, b: DOMRect) =>
      a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    return (
      buttons.length > 0 &&
      buttons.every((b) => b.right <= width && (!title || title.width === 0 || !overlaps(title, b)))
    );
  });

/** The keys AdminJS would show where a person should read words. */
const KEYS =
  /\b(sendPasswordReset|signOutEverywhere|markVerified|correctEmail|liftSuspension|password_reset_sent|sessions_revoked|email_corrected)\b/;

async function post(author: { email: string; password: string }, body: Record<string, unknown>): Promise<string> {
  const { accessToken } = await login(api.url, author);
  const response = await fetch(`${api.url}/api/v1/posts`, bearer(accessToken, json(body)));
  return ((await response.json()) as { id: string }).id;
}

describe('the user page at 1366x768', () => {
  it('signs in from a deep link, shows one user whole, asks with names and Cancel, and corrects the address', async () => {
    const ops = await operator(api, { email: `${uniqueText('operator')}@example.test` });
    const tag = uniqueText('Ada');
    const user = await register(api.url, {
      displayName: `${tag} Lovelace`,
      email: `${tag.toLowerCase()}@example.test`,
    });
    await verify(api.url, user);
    await post(user, { title: 'Notes on the engine', content: 'The *engine* weaves patterns.' });
    await post(user, { title: 'Bernoulli numbers', content: 'A table of them.' });
    await post(user, { content: 'An unfinished thought', status: 'draft' });
    await (await signedIn(panel, ops)).act('User', user.id, 'sendPasswordReset');

    const problems: string[] = [];
    const page = await newPage(problems);
    const userPage = `${panel.url}/cp/resources/User/records/${user.id}/show`;

    // A deep link: the sign-in page says it leads back, and a password manager can fill it.
    await page.goto(userPage);
    await page.waitForURL(/\/cp\/login\?next=/);
    await page.getByText('Sign in to go on to the page you were on.').waitFor();
    const email = page.locator('input[name="email"]');
    const password = page.locator('input[name="password"]');
    expect(await email.getAttribute('autocomplete')).toBe('username');
    expect(await email.getAttribute('type')).toBe('email');
    expect(await password.getAttribute('autocomplete')).toBe('current-password');
    expect(await page.locator('form[method="POST"] input').count()).toBe(2);
    expect(await page.locator('label[for="login-email"]').count()).toBe(1);

    // A wrong password: the address stays, the password is to type again.
    await email.fill(ops.email);
    await password.fill('Wrong-Horse-Battery-9');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Wrong e-mail or password').waitFor();
    expect(await email.inputValue()).toBe(ops.email);
    expect(await password.inputValue()).toBe('');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('password');
    await shot(page, 'panel-sign-in-kept');
    await password.fill(ops.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/cp\/login\/code$/);
    await enterCode(page, ops.totpSecret!);
    await page.waitForURL(userPage);

    // One user, whole: the address is the title.
    await page.locator('h1[data-title]', { hasText: user.email }).waitFor();
    expect(await page.getByRole('heading', { name: 'Show', exact: true }).count()).toBe(0);
    expect(await page.locator('nav[aria-label="Breadcrumb"]').innerText()).toBe(`Dashboard / Users / ${user.email}`);
    await page.locator('[data-figure="Posts"]', { hasText: '2 published' }).waitFor();
    expect(await page.locator('[data-figure="Posts"]').textContent()).toContain('1 draft');
    expect(await page.locator('[data-figure="Account"]').textContent()).toContain('Active');
    expect(await page.locator('[data-figure="E-mail"]').textContent()).toContain('Verified');
    await page.locator('[data-user-history] tr[data-action="password_reset_sent"]', { hasText: ops.email }).waitFor();
    expect(await page.locator('[data-user-history]').textContent()).toContain('Sent a password reset e-mail');
    expect(await page.locator('[data-user-sessions] tbody tr').count()).toBe(3);
    expect(await page.locator('body').innerText()).not.toMatch(KEYS);
    // Every action in view, none cut off, and the page fits.
    const buttons = page.locator('[data-user-actions] a');
    const labels = await buttons.allInnerTexts();
    expect(labels).toEqual(
      expect.arrayContaining([
        'Suspend',
        'Sign out everywhere',
        'Send password reset',
        'Correct e-mail',
        'Delete',
        'Edit',
      ]),
    );
    for (const box of await Promise.all((await buttons.all()).map((b) => b.boundingBox()))) {
      expect(box!.x + box!.width).toBeLessThanOrEqual(LAPTOP.width);
    }
    expect(await noSidewaysScroll(page)).toBe(true);
    await shot(page, 'panel-user');

    // The lists it links to are filtered to the account.
    await page.getByRole('link', { name: 'all posts' }).click();
    await page.waitForURL(new RegExp(`/cp/resources/Post\\?filters.authorId=${user.id}`));
    await page.locator('tbody tr', { hasText: 'Bernoulli numbers' }).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(3);
    await page.goBack();

    // Delete names the account and what goes with it, and Cancel changes nothing.
    await page.locator('[data-user-actions] a', { hasText: 'Delete' }).click();
    await page.getByRole('heading', { name: `Delete ${user.email} and its 3 posts?` }).waitFor();
    await page.getByText('Its 2 published posts and 1 draft are deleted with it.', { exact: false }).waitFor();
    expect(await noSidewaysScroll(page)).toBe(true);
    expect(await headerFits(page)).toBe(true);
    await shot(page, 'panel-user-delete');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL(userPage);
    const [still] = await api.db.query('SELECT count(*)::int AS n FROM users WHERE id = $1', [user.id]);
    expect(still.n).toBe(1);

    // Correct the address: a form, then the answer.
    await page.locator('[data-user-actions] a', { hasText: 'Correct e-mail' }).click();
    await page.getByRole('heading', { name: `Correct the e-mail address of ${user.email}` }).waitFor();
    const fixed = `${uniqueText('fixed')}@example.test`;
    await page.getByLabel('New e-mail address').fill('not an address');
    await page.getByRole('button', { name: 'Correct the address' }).click();
    await page.getByRole('status').getByText('The new address must be an e-mail address.').waitFor();
    await page.getByLabel('New e-mail address').fill(fixed);
    await page.getByRole('button', { name: 'Correct the address' }).click();
    await page.getByRole('status').getByText(`The address is now ${fixed}.`, { exact: false }).waitFor();
    await page.getByRole('heading', { name: `${user.email} now signs in as ${fixed}` }).waitFor();
    expect(await noSidewaysScroll(page)).toBe(true);
    await page.getByRole('link', { name: 'Back to the account' }).click();
    await page.locator('h1[data-title]', { hasText: fixed }).waitFor();
    expect(await page.locator('[data-figure="E-mail"]').textContent()).toContain('Not verified');
    await page.locator('[data-user-history]', { hasText: 'Corrected the e-mail address' }).waitFor();

    // The built-in edit page of the account: its header's seven actions wrap under the title.
    await page.locator('[data-user-actions] a', { hasText: 'Edit' }).click();
    await page.locator('input[name="displayName"]').waitFor();
    expect(await headerFits(page)).toBe(true);
    expect(await noSidewaysScroll(page)).toBe(true);
    await shot(page, 'panel-user-edit');
    await page.goBack();
    await page.locator('h1[data-title]', { hasText: fixed }).waitFor();

    // The mark-verified page at this size: the question names the address, Cancel goes back.
    await page.locator('[data-user-actions] a', { hasText: 'Mark e-mail verified' }).click();
    await page.getByRole('heading', { name: `Mark ${fixed} as verified?` }).waitFor();
    expect(await noSidewaysScroll(page)).toBe(true);
    expect(await headerFits(page)).toBe(true);
    await shot(page, 'panel-mark-verified');
    await page.getByRole('button', { name: 'Mark e-mail verified' }).click();
    await page.getByRole('status').getByText('The address is now verified.').waitFor();
    expect(await page.locator('body').innerText()).not.toMatch(KEYS);

    expect(problems).toEqual([]);
  }, 120_000);

  it('shows a suspension with its reason, and the audit log in words', async () => {
    const ops = await operator(api, { email: `${uniqueText('operator')}@example.test` });
    const user = await register(api.url, { email: `${uniqueText('suspended')}@example.test` });
    const client = await signedIn(panel, ops);
    const answer = await client.act('User', user.id, 'suspend', {
      reason: 'Sold fake tickets in three posts',
      message: 'Write to support@example.test to talk about it.',
      until: '',
    });
    expect(answer.notice.type).toBe('success');

    const problems: string[] = [];
    const page = await newPage(problems);
    await signInWithForm(page, panel.url, ops);

    await page.goto(`${panel.url}/cp/resources/User/records/${user.id}/show`);
    const note = page.locator('[data-suspension]');
    await note.waitFor();
    expect(await note.textContent()).toContain('Sold fake tickets in three posts');
    expect(await note.textContent()).toContain('Write to support@example.test to talk about it.');
    expect(await note.textContent()).toContain('until an operator lifts it');
    expect(await page.locator('[data-figure="Account"]').textContent()).toContain('Suspended');
    expect(await noSidewaysScroll(page)).toBe(true);
    await shot(page, 'panel-user-suspended');

    // The audit log says what happened in words.
    await page.goto(`${panel.url}/cp/resources/AuditLog?filters.targetId=${user.id}`);
    await page.locator('tbody tr', { hasText: 'Suspended the account' }).waitFor();
    expect(await page.locator('tbody').innerText()).not.toMatch(/user_suspended|registered\b/);
    expect(problems).toEqual([]);
  }, 60_000);

  it('leads an edit whose session ended back to its page after sign-in', async () => {
    const ops = await operator(api, { email: `${uniqueText('operator')}@example.test` });
    const author = await register(api.url);
    await verify(api.url, author);
    const id = await post(author, { content: 'Before the edit' });
    const editPage = `${panel.url}/cp/resources/Post/records/${id}/edit`;

    const problems: string[] = [];
    const page = await newPage(problems);
    await signInWithForm(page, panel.url, ops);
    await page.goto(editPage);
    const markdown = page.locator('textarea[name="content"]');
    await markdown.waitFor();

    // The session ends while the operator writes (idle too long, or signed out elsewhere).
    const [cookie] = (await page.context().cookies()).filter((c) => c.name === 'nuell_panel');
    const sid = decodeURIComponent(cookie!.value).slice(2).split('.')[0];
    await panel.db.query('DELETE FROM panel_sessions WHERE sid = $1', [sid]);

    const said: string[] = [];
    page.on('dialog', (dialog) => {
      said.push(dialog.message());
      void dialog.accept();
    });
    await markdown.fill('After the edit');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/cp\/login/);
    expect(said.join(' ')).toMatch(/session expired/i);
    await page.getByText('Sign in to go on to the page you were on.').waitFor();
    await page.fill('input[name="email"]', ops.email);
    await page.fill('input[name="password"]', ops.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/cp\/login\/code$/);
    await enterCode(page, ops.totpSecret!);
    await page.waitForURL(editPage);
    await markdown.waitFor();
    const [row] = await api.db.query('SELECT content FROM posts WHERE id = $1', [id]);
    expect(row.content).toBe('Before the edit');
    expect(problems).toEqual([]);
  }, 60_000);
});
