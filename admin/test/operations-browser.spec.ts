/**
 * Running the service from the panel in a real browser (Debian's Chromium), at 1366x768 and
 * 1440x900: a failed e-mail found and retried until it arrives, the audit log exported as CSV
 * from its filter, and every post a filter matches re-rendered from the list. No sideways
 * scrolling, no script error. Screenshots go to test-reports/screenshots/ (docs/screenshots/
 * with UPDATE_SCREENSHOTS=true).
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { bearer, json, login, register, verify } from '../../api/test/support/accounts.js';
import { waitForEmail } from '../../api/test/support/mail.js';
import { DESKTOP, LAPTOP, SCREENSHOTS, signInWithForm, useChromium, watchedPage } from './support/browser.js';
import { operator, signedIn, uniqueText, usePanelAndApi } from './support/panel.js';
import { useSmtpFront } from './support/smtp-front.js';

const SIZES = [LAPTOP, DESKTOP];

const front = useSmtpFront();
const { panel, api } = usePanelAndApi(front.env);
const chromium = useChromium();

interface Watched {
  readonly page: Page;
  /** The signed-in operator's account. */
  readonly operatorId: string;
  readonly problems: string[];
  /** Whether the page scrolls sideways (it must not). */
  readonly sideways: () => Promise<boolean>;
  readonly shot: (name: string) => Promise<void>;
}

/** An operator's page at this size, signed in, recording script errors and failed requests. */
async function operatorPage(viewport: { width: number; height: number }): Promise<Watched> {
  const ops = await operator(api, { email: `${uniqueText('operator')}@example.test` });
  const problems: string[] = [];
  const page = await watchedPage(chromium.browser, problems, viewport, { acceptDownloads: true });
  await signInWithForm(page, panel.url, ops);
  return {
    page,
    operatorId: ops.id,
    problems,
    sideways: () => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth),
    shot: async (name) => {
      await page.screenshot({ path: new URL(`${name}-${viewport.width}.png`, SCREENSHOTS).pathname });
    },
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(SIZES)('an operator at $width x $height', (viewport) => {
  it('finds a failed e-mail, retries it and it arrives; then exports the audit log of that retry as CSV', async () => {
    // A reset e-mail the SMTP server refuses, allowed no more attempts: it fails for real.
    front.mode = 'refuse';
    const user = await register(api.url, { email: `${uniqueText('mailed')}@example.test` });
    const client = await signedIn(panel, await operator(api));
    expect((await client.act('User', user.id, 'sendPasswordReset')).notice.type).toBe('success');
    const jobId = await until('the e-mail to be refused once', async () => {
      const { records } = await client.json<{ records: { id: string; params: { to: string } }[] }>(
        '/cp/api/resources/MailJob/actions/list?filters.state=retrying&perPage=50',
      );
      return records.find((record) => record.params.to === user.email)?.id;
    });
    await panel.db.query('UPDATE pgboss.job SET retry_limit = retry_count + 1 WHERE id = $1', [jobId]);
    await until(
      'the e-mail to fail',
      async () => {
        const { records } = await client.json<{ records: { id: string }[] }>(
          '/cp/api/resources/MailJob/actions/list?filters.state=failed&perPage=50',
        );
        return records.some((record) => record.id === jobId) ? true : undefined;
      },
      60_000,
    );

    const { page, operatorId, problems, sideways, shot } = await operatorPage(viewport);
    await page.goto(`${panel.url}/cp/resources/MailJob?filters.state=failed`);
    const row = page.locator('tbody tr', { hasText: user.email });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Password reset link.*554 5\.3\.2/);
    expect(await sideways()).toBe(false);
    await shot('panel-mail-failed');

    await row.getByText(user.email).click();
    await page.waitForURL(/\/cp\/resources\/MailJob\/records\/[0-9a-f-]+\/show$/);
    await page
      .getByRole('link', { name: 'Retry' })
      .or(page.getByRole('button', { name: 'Retry' }))
      .first()
      .click();
    await page.waitForURL(/\/retry$/);
    front.mode = 'forward';
    await page.getByRole('button', { name: 'Retry', exact: true }).last().click();
    await page.getByText('Back in the queue: it is sent within seconds.').waitFor();
    expect(await sideways()).toBe(false);
    await shot('panel-mail-retried');
    await waitForEmail(user.email, /Reset your password/, 1, 20_000);

    // The audit log, filtered to that retry, exported from its list as the operator sees it.
    await page.goto(`${panel.url}/cp/resources/AuditLog?filters.action=mail_retried&filters.targetId=${jobId}`);
    await page.locator('tbody tr').first().waitFor();
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page
      .getByRole('link', { name: 'Export CSV' })
      .or(page.getByRole('button', { name: 'Export CSV' }))
      .first()
      .click();
    const downloading = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download CSV' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^audit-log-[\d-]+\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\r\n');
    expect(csv[0]).toBe('"createdAt","action","actorId","targetType","targetId","ip","userAgent","data"');
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain(`"mail_retried","${operatorId}","mail_job","${jobId}"`);
    expect(csv[1]).toContain(user.email);
    await shot('panel-audit-export');

    // The whole audit log, with an action whose words are long, fits without scrolling sideways.
    await api.db.query(
      `INSERT INTO audit_log (id, action, actor_id, target_type, target_id, data)
       VALUES (gen_random_uuid(), 'refresh_token_reuse', $1, 'session', gen_random_uuid(), '{}')`,
      [user.id],
    );
    await page.goto(`${panel.url}/cp/resources/AuditLog`);
    await page.locator('tbody tr').first().waitFor();
    const table = page.locator('table').first();
    const [tableWidth, boxWidth] = await table.evaluate((element) => [
      element.scrollWidth,
      (element.parentElement as HTMLElement).clientWidth,
    ]);
    expect(tableWidth).toBeLessThanOrEqual(boxWidth);
    expect(await sideways()).toBe(false);

    expect(problems).toEqual([]);
  }, 90_000);

  it('reaches every list from the navigation by keyboard alone', async () => {
    const { page, problems, shot } = await operatorPage(viewport);
    const reached: string[] = [];
    for (let i = 0; i < 40 && !reached.includes('Mail queue'); i++) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate(() => document.activeElement?.textContent.trim() ?? ''));
    }
    for (const list of ['Users', 'Sessions', 'Audit log', 'Posts', 'Mail queue']) expect(reached).toContain(list);
    await shot('panel-navigation-keyboard');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${panel.url}/cp/resources/MailJob`);
    expect(await page.locator('nav[aria-label="Navigation"] a[aria-current="page"]').textContent()).toBe('Mail queue');
    expect(problems).toEqual([]);
  }, 60_000);

  it('re-renders every post a words filter matches, on every page, from the list', async () => {
    const author = await register(api.url, { displayName: 'Render Author' });
    await verify(api.url, author);
    const { accessToken } = await login(api.url, author);
    const tag = uniqueText('matchme').replace('-', '');
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      const res = await fetch(`${api.url}/api/v1/posts`, bearer(accessToken, json({ content: `Post *${i}* ${tag}` })));
      ids.push(((await res.json()) as { id: string }).id);
    }
    await api.db.query(`UPDATE posts SET content_html = 'stale', renderer_version = 0 WHERE id = ANY($1::uuid[])`, [
      ids,
    ]);

    const { page, problems, sideways, shot } = await operatorPage(viewport);
    await page.goto(`${panel.url}/cp/resources/Post?filters.content=${tag}`);
    await page.locator('tbody tr').first().waitFor();
    await page
      .getByRole('link', { name: 'Re-render all matching' })
      .or(page.getByRole('button', { name: 'Re-render all matching' }))
      .first()
      .click();
    await page.getByText("All 25 posts matching the list's filter, on every page.").waitFor();
    await page.getByRole('button', { name: 'Re-render all', exact: true }).click();
    await page.getByRole('status').getByText('Done: 25 posts re-rendered.').waitFor();
    expect(await sideways()).toBe(false);
    await shot('panel-rerender-matching');
    await page.getByRole('link', { name: 'Back to the list' }).click();
    await page.waitForURL(
      (url) => url.pathname === '/cp/resources/Post' && url.searchParams.get('filters.content') === tag,
    );

    // A post's own page does not offer it: there is no filter there to act on.
    await page.goto(`${panel.url}/cp/resources/Post/records/${ids[0]}/show`);
    await page.getByRole('heading').first().waitFor();
    await page.locator('[data-css="Post-show-action-header"], .adminjs_ActionHeader').first().waitFor();
    expect(await page.getByText('Re-render all matching').count()).toBe(0);

    const stale = await api.db.query(`SELECT id FROM posts WHERE id = ANY($1::uuid[]) AND content_html = 'stale'`, [
      ids,
    ]);
    expect(stale).toEqual([]);
    expect(problems).toEqual([]);
  }, 90_000);
});
