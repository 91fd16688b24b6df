/**
 * The panel in a real browser (Debian's Chromium through playwright-core): an operator signs in,
 * reads the dashboard, finds a user and suspends them, edits a post, re-renders posts in bulk and signs out,
 * with no script error and no Content-Security-Policy violation on the way. Screenshots go to
 * test-reports/screenshots/; `npm run screenshots -w @nuell/admin` writes the README's, in
 * docs/screenshots/. Look at them when the panel changes.
 */
import { bearer, json, login, register, verify } from '../../api/test/support/accounts.js';
import { DESKTOP, enterCode, shot, signInWithForm, useChromium, watchedPage } from './support/browser.js';
import { operator, signedIn, uniqueText, usePanelAndApi } from './support/panel.js';

// The panel's e-mail goes nowhere (nothing listens on port 1), so what it sends stays in its queue
// with the real error, for the Mail queue page to show.
const { panel, api } = usePanelAndApi({ SMTP_URL: 'smtp://127.0.0.1:1' });
const chromium = useChromium();
const newPage = (problems: string[], viewport: { width: number; height: number } = DESKTOP) =>
  watchedPage(chromium.browser, problems, viewport);

describe('an operator in the browser', () => {
  it('signs in, sees the dashboard, finds and suspends a user, edits a post, re-renders posts and signs out', async () => {
    const ops = await operator(api, { email: `${uniqueText('operator')}@example.test` });
    const tag = uniqueText('Grace');
    const user = await register(api.url, { displayName: `${tag} Hopper`, email: `${tag.toLowerCase()}@example.test` });
    await verify(api.url, user);
    const { accessToken } = await login(api.url, user);
    const created = await fetch(
      `${api.url}/api/v1/posts`,
      bearer(
        accessToken,
        json({
          title: `Moderate me ${tag}`,
          content: '# Hello\n\nA post to **moderate**, with a [link](https://example.com).',
        }),
      ),
    );
    const post = (await created.json()) as { id: string };
    // A draft of someone who has not confirmed their address yet: drafts need no confirmation.
    const newcomer = await register(api.url, { displayName: `${tag} Newcomer` });
    const draft = await fetch(
      `${api.url}/api/v1/posts`,
      bearer(
        (await login(api.url, newcomer)).accessToken,
        json({ content: `An untitled draft by ${tag}`, status: 'draft' }),
      ),
    );
    expect(draft.status).toBe(201);

    // A month of history, so the charts have something to show.
    await api.db.query(
      `INSERT INTO users (id, email, display_name, password_hash, created_at)
       SELECT gen_random_uuid(), $1 || '-' || i || '@example.test', 'History ' || i, 'x',
              now() - (i * 7 % 30) * interval '1 day'
         FROM generate_series(1, 90) i`,
      [uniqueText('history')],
    );
    await api.db.query(
      `INSERT INTO posts (id, author_id, content, content_html, excerpt, word_count, reading_time_minutes, created_at)
       SELECT gen_random_uuid(), $1, 'x', '<p>x</p>', 'x', 1, 1, now() - ((i * i) % 30) * interval '1 day'
         FROM generate_series(1, 240) i`,
      [user.id],
    );

    const problems: string[] = [];
    const page = await newPage(problems);

    await page.goto(`${panel.url}/cp/login`);
    await shot(page, 'panel-sign-in');
    await page.fill('input[name="email"]', ops.email);
    await page.fill('input[name="password"]', ops.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The second step: the code of the operator's app.
    await page.waitForURL(`${panel.url}/cp/login/code`);
    await shot(page, 'panel-sign-in-code');
    await enterCode(page, ops.totpSecret!);
    await page.waitForURL(`${panel.url}/cp`);

    // The dashboard: figures and both charts, 30 bars each.
    await page.locator('figure[data-chart="Sign-ups per day"]').waitFor();
    expect(await page.locator('figure[data-chart="Sign-ups per day"] rect').count()).toBe(30);
    expect(await page.locator('figure[data-chart="Posts per day"] rect').count()).toBe(30);
    expect(await page.locator('[data-figure="Accounts"]').textContent()).toMatch(/Accounts\d/);
    // Each figure with a list behind it opens that list; today is the UTC day the figure counts.
    expect(await page.locator('a[data-figure="Accounts"]').getAttribute('href')).toBe('/cp/resources/User');
    const today = new Date(new Date().toISOString().slice(0, 10)).toISOString();
    expect(await page.locator('a[data-figure="Posts today"]').getAttribute('href')).toBe(
      `/cp/resources/Post?filters.createdAt~~from=${encodeURIComponent(today)}`,
    );
    await page.locator('a[data-figure="New accounts today"]').click();
    await page.locator('tbody tr').first().waitFor();
    expect(await page.locator('tbody tr', { hasText: ops.email }).count()).toBe(1);
    await page.goBack();
    await page.locator('figure[data-chart="Sign-ups per day"]').waitFor();
    await shot(page, 'panel-dashboard');

    // Posts by their title (an untitled one by its excerpt), with their status, filtered by status.
    await page.goto(`${panel.url}/cp/resources/Post?filters.authorId=${user.id}&filters.status=published`);
    const titled = page.locator('tbody tr', { hasText: `Moderate me ${tag}` });
    await titled.waitFor();
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await titled.textContent()).toContain('Published');
    await page.goto(`${panel.url}/cp/resources/Post?filters.authorId=${newcomer.id}&filters.status=draft`);
    const untitled = page.locator('tbody tr', { hasText: `An untitled draft by ${tag}` });
    await untitled.waitFor();
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await untitled.textContent()).toContain('Draft');
    await shot(page, 'panel-posts');

    // Find the user by part of their address, whatever its case.
    await page.goto(`${panel.url}/cp/resources/User?filters.email=${tag.toUpperCase()}`);
    const row = page.locator('tr', { hasText: user.email });
    await row.waitFor();
    expect(await page.locator('tbody tr').count()).toBe(1);
    await shot(page, 'panel-users');
    await row.locator('td', { hasText: user.email }).click();
    await page.waitForURL(/\/records\/[^/]+\/show$/);

    // Suspend them with a reason, an end and a message: the form asks first, then the API refuses
    // their token, and tells them the message and the end when they sign in.
    await page
      .getByRole('link', { name: 'Suspend', exact: true })
      .or(page.getByRole('button', { name: 'Suspend', exact: true }))
      .first()
      .click();
    await page.getByRole('heading', { name: `Suspend ${user.email}` }).waitFor();
    expect((await fetch(`${api.url}/api/v1/users/me`, bearer(accessToken))).status).toBe(200); // asked, not done
    await page.getByLabel('Reason (operators only)').fill('Advertising in every post');
    await page.getByLabel('Ends (optional)').fill('2099-12-05T14:00');
    await page
      .getByLabel("Message to the account's owner (optional)")
      .fill('Your posts were advertising. Write to us.');
    await shot(page, 'panel-user-suspend');
    await page.getByRole('button', { name: 'Suspend', exact: true }).click();
    await page
      .getByRole('status')
      .getByText(/^Suspended .* until 5 December 2099 at \d\d:00 UTC: every session has ended\.$/)
      .waitFor();
    expect((await fetch(`${api.url}/api/v1/users/me`, bearer(accessToken))).status).toBe(401);
    const refused = await fetch(`${api.url}/api/v1/auth/login`, json({ email: user.email, password: user.password }));
    expect(await refused.json()).toMatchObject({ status: 403, message: 'Your posts were advertising. Write to us.' });
    await shot(page, 'panel-user-suspend-done');

    // Edit the post's Markdown: it is rendered again, and shown beside the Markdown.
    await api.db.query(
      `UPDATE users SET is_active = true, suspended_at = NULL, suspended_until = NULL, suspension_reason = NULL,
                        suspension_message = NULL WHERE id = $1`,
      [user.id],
    );
    await page.goto(`${panel.url}/cp/resources/Post/records/${post.id}/edit`);
    const markdown = page.locator('textarea[name="content"]');
    await markdown.waitFor();
    await markdown.fill('# Moderated\n\nThis post was **edited** by an operator.\n\n<script>alert(1)</script>');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/resources\/Post(\?|$)/);
    const stored = (await (await fetch(`${api.url}/api/v1/posts/${post.id}`)).json()) as { contentHtml: string };
    expect(stored.contentHtml).toContain('<h1>Moderated</h1>');
    expect(stored.contentHtml).not.toContain('<script');

    await page.goto(`${panel.url}/cp/resources/Post/records/${post.id}/show`);
    const rendered = page.frameLocator('iframe[title="The post as readers see it"]');
    await rendered.locator('h1', { hasText: 'Moderated' }).waitFor();
    expect(await page.locator('[data-pane="markdown"]').textContent()).toContain('# Moderated');
    await shot(page, 'panel-post');

    // Re-render posts in bulk: the page counts them off as it goes.
    await api.db.query(`UPDATE posts SET content_html = 'stale', renderer_version = 0 WHERE id = $1`, [post.id]);
    const others = await api.db.query<{ id: string }[]>('SELECT id FROM posts WHERE author_id = $1 LIMIT 44', [
      user.id,
    ]);
    const ids = [post.id, ...others.map((row) => row.id).filter((id) => id !== post.id)];
    await page.goto(`${panel.url}/cp/resources/Post/bulk/rerender?recordIds=${ids.join(',')}`);
    await page.getByRole('button', { name: 'Re-render' }).click();
    await page.getByRole('status').getByText(`Done: ${ids.length} of ${ids.length} re-rendered.`).waitFor();
    expect(await page.locator('progress').getAttribute('value')).toBe(String(ids.length));
    const [again] = await api.db.query<{ content_html: string }[]>('SELECT content_html FROM posts WHERE id = $1', [
      post.id,
    ]);
    expect(again!.content_html).toContain('<h1>Moderated</h1>');

    // Sign out from the menu in the top bar: its link asks, and the button POSTs.
    await page.goto(`${panel.url}/cp`);
    await page.locator('[data-css="logged-in"]').getByText(ops.email).click();
    await page.getByText('Sign out', { exact: true }).click();
    await page.waitForURL(`${panel.url}/cp/logout`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${panel.url}/cp/login`);
    const after = await page.request.get(`${panel.url}/cp/api/dashboard`, { maxRedirects: 0 });
    expect(after.status()).toBe(302);

    expect(problems).toEqual([]);
  }, 120_000);

  it('sends a reset e-mail that cannot go out and finds it in the mail queue, at 1366x768 without sideways scrolling', async () => {
    const ops = await operator(api, { email: `${uniqueText('operator')}@example.test` });
    const user = await register(api.url, { email: `${uniqueText('mailed')}@example.test` });
    const problems: string[] = [];
    const page = await newPage(problems, { width: 1366, height: 768 });
    const noSidewaysScroll = () =>
      page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

    await signInWithForm(page, panel.url, ops);

    const sent = await (await signedIn(panel, ops)).act('User', user.id, 'sendPasswordReset');
    expect(sent.notice.type).toBe('success');

    // Newest first, filtered to what waits for a retry: the address, the kind and the error in words.
    await page.goto(`${panel.url}/cp/resources/MailJob?filters.state=retrying`);
    const row = page.locator('tr', { hasText: user.email });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Password reset link.*ECONNREFUSED/);
    expect(await noSidewaysScroll()).toBe(true);
    await shot(page, 'panel-mail-queue');

    await row.getByText(user.email).click();
    await page.waitForURL(/\/cp\/resources\/MailJob\/records\/[0-9a-f-]+\/show$/);
    await page.getByText('ECONNREFUSED').first().waitFor();
    expect(await noSidewaysScroll()).toBe(true);

    expect(problems).toEqual([]);
  }, 60_000);
});
