/**
 * Bulk suspension in a real browser (Chromium through playwright-core): an operator ticks accounts
 * in the Users list, chooses Suspend, writes one reason and message for all, and is told which
 * were suspended and which could not be, and why; at 1366x768, without sideways scrolling, with
 * no script error. (One account's Suspend is in panel-browser.spec.ts; the rules behind both are
 * in suspension.spec.ts.)
 */
import { json, register } from '../../api/test/support/accounts.js';
import { SCREENSHOTS, signInWithForm, useChromium, watchedPage } from './support/browser.js';
import { operator, signedIn, uniqueText, usePanelAndApi } from './support/panel.js';

const { panel, api } = usePanelAndApi();
const chromium = useChromium();

describe('Suspend on the selected accounts, in the browser', () => {
  it('suspends the ticked accounts on one set of terms and names the one it could not', async () => {
    const ops = await operator(api, { email: `${uniqueText('operator')}@example.test` });
    const tag = uniqueText('spammer').toLowerCase();
    const [a, b, c] = [
      await register(api.url, { email: `${tag}-a@example.test` }),
      await register(api.url, { email: `${tag}-b@example.test` }),
      await register(api.url, { email: `${tag}-c@example.test` }),
    ];
    // c is suspended already, by another operator.
    const other = await signedIn(panel, await operator(api));
    await other.act('User', c.id, 'suspend', { reason: 'Earlier' });

    const problems: string[] = [];
    const page = await watchedPage(chromium.browser, problems);
    await signInWithForm(page, panel.url, ops);

    await page.goto(`${panel.url}/cp/resources/User?filters.email=${tag}`);
    for (const account of [a, b, c]) {
      const row = page.locator('tbody tr', { hasText: account.email });
      await row.waitFor();
      await row.locator('input[type="checkbox"]').check({ force: true });
    }
    await page
      .getByRole('button', { name: 'Suspend', exact: true })
      .or(page.getByRole('link', { name: 'Suspend', exact: true }))
      .first()
      .click();
    await page.getByRole('heading', { name: 'Suspend 3 accounts' }).waitFor();
    const listed = page.getByRole('list', { name: 'Accounts' });
    for (const account of [a, b, c]) await listed.getByText(account.email).waitFor();
    await page.getByLabel('Reason (operators only)').fill('Spam wave from one network');
    await page.getByLabel("Message to the account's owner (optional)").fill('Your account sent spam.');
    await page.getByRole('button', { name: 'Suspend 3 accounts' }).click();

    await page.getByRole('status').getByText('Suspended 2 of 3 accounts; 1 could not be: see below.').waitFor();
    await page
      .getByRole('list', { name: 'Not suspended' })
      .getByText(`${c.email} is already suspended: lift the suspension first to change it.`, { exact: true })
      .waitFor();
    await page.screenshot({ path: new URL('panel-users-suspended.png', SCREENSHOTS).pathname });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    const answer = await fetch(`${api.url}/api/v1/auth/login`, json({ email: a.email, password: a.password }));
    expect(await answer.json()).toMatchObject({ status: 403, message: 'Your account sent spam.', until: null });
    const rows = await api.db.query<{ email: string; suspension_reason: string }[]>(
      'SELECT email, suspension_reason FROM users WHERE id = ANY($1) ORDER BY email',
      [[a.id, b.id, c.id]],
    );
    expect(rows.map((r) => r.suspension_reason)).toEqual([
      'Spam wave from one network',
      'Spam wave from one network',
      'Earlier',
    ]);

    await page.getByRole('link', { name: 'Back to the list' }).click();
    await page.waitForURL(/\/cp\/resources\/User(\?|$)/);
    expect(problems).toEqual([]);
  });
});
