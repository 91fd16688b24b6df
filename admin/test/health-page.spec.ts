/**
 * The health page (/cp/pages/health) over HTTP against the real panel and API of one deployment:
 * what it shows follows what happens in the API (failed sign-ins, a 429, a 500, a failed e-mail),
 * summed from the operations samples of every process, and lists the processes seen. Operators
 * only.
 */
import type { HealthPageData } from '../src/ops-props.js';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/chromium.mjs';
import { failedEmail, samplerOf } from '../../api/test/support/ops.js';
import { enterCode } from './support/browser.js';
import { operator, type Operator, PanelClient, signedIn } from './support/panel.js';
import { failSignIn, hitSignUpLimit, serverError, useOneDeployment } from './support/ops.js';

const deployment = useOneDeployment();
// One operator for the file: sign-ups from this host are limited to one an hour here.
let ops: Operator;
beforeAll(async () => {
  ops = await operator(deployment.api);
});

describe('the health page', () => {
  it('is for signed-in operators only', async () => {
    const stranger = new PanelClient(deployment.panel);
    const page = await stranger.get('/cp/pages/health');
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toMatch(/\/cp\/login/);
    const data = await stranger.get('/cp/api/pages/health');
    expect(data.status).not.toBe(200);
    expect(await data.text()).not.toMatch(/roundTripMs/);

    const client = await signedIn(deployment.panel, ops);
    expect((await client.get('/cp/pages/health')).status).toBe(200);
  });

  it('shows the database, the e-mail queue, failures, refusals and errors over the hour and the day', async () => {
    const client = await signedIn(deployment.panel, ops);
    await deployment.sample();
    const before = await client.json<HealthPageData>('/cp/api/pages/health');
    expect(before.database).toEqual({ up: true, roundTripMs: expect.any(Number), error: null });
    expect(before.sampleIntervalSeconds).toBe(3600);

    const { api } = deployment;
    await failSignIn(api);
    await failSignIn(api);
    await hitSignUpLimit(api);
    await serverError(api);
    await failedEmail(api.app);
    // A failed sign-in to the panel counts too: the panel writes samples of its own.
    const wrong = await new PanelClient(deployment.panel).signIn('nobody@example.test', 'Wrong-Password-1');
    expect(wrong.status).toBe(401);
    await deployment.sample();

    const after = await client.json<HealthPageData>('/cp/api/pages/health');
    for (const window of ['lastHour', 'lastDay'] as const) {
      const [b, a] = [before[window]!, after[window]!];
      expect(a.signInFailures - b.signInFailures).toBe(3);
      expect(a.rateLimitRejections - b.rateLimitRejections).toBe(1);
      expect(a.mailFailures - b.mailFailures).toBe(1);
      expect(a.serverErrors - b.serverErrors).toBe(1);
      expect(a.requests - b.requests).toBe(5);
      expect(a.errorRate).toBeCloseTo(a.serverErrors / a.requests, 6);
    }
    expect(after.mail!.failed - before.mail!.failed).toBe(1);
    expect(after.mail).toMatchObject({ queued: expect.any(Number), retrying: expect.any(Number) });

    // The lists behind the figures answer, filtered as said.
    const failedList = await client.json<{ records: { params: { state: string } }[]; meta: { total: number } }>(
      `/cp/api/resources/MailJob/actions/list?${new URL(after.links.mailFailed, 'http://x').searchParams.toString()}`,
    );
    expect(failedList.meta.total).toBe(after.mail!.failed);
    expect(failedList.records.every((r) => r.params.state === 'failed')).toBe(true);
  });

  it('lists the API replicas and the panel seen lately, with host, process id and last seen', async () => {
    const client = await signedIn(deployment.panel, ops);
    await deployment.sample();
    const { replicas } = await client.json<HealthPageData>('/cp/api/pages/health');
    const apiReplica = samplerOf(deployment.api.app).replica;
    expect(replicas!.map((r) => r.kind).sort()).toEqual(['api', 'panel']);
    const seen = replicas!.find((r) => r.replica === apiReplica)!;
    expect(seen).toMatchObject({ kind: 'api', pid: process.pid, host: expect.any(String) });
    expect(Date.now() - Date.parse(seen.lastSeenAt)).toBeLessThan(10_000);
    expect(Date.parse(seen.startedAt)).toBeLessThanOrEqual(Date.parse(seen.lastSeenAt));
  });

  it('names the page in words in the navigation', async () => {
    const client = await signedIn(deployment.panel, ops);
    const html = await (await client.get('/cp/pages/health')).text();
    // AdminJS hands the page list and the translations to the browser in the page itself.
    expect(html).toMatch(/"pages":\[\{"name":"health"/);
    expect(html).toMatch(/"health":"Health"/);
  });
});

describe('the health page and the dashboard in Chromium at 1366x768', () => {
  // UPDATE_SCREENSHOTS=true writes them where the docs show them, as panel-browser.spec.ts does.
  const screenshots = new URL(
    process.env.UPDATE_SCREENSHOTS === 'true' ? '../../docs/screenshots/' : '../../test-reports/screenshots/',
    import.meta.url,
  );
  let browser: Browser | undefined;
  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** A signed-in page that records script errors, failed requests and CSP violations. */
  async function operatorPage(problems: string[]): Promise<Page> {
    const page = await browser!.newPage({ viewport: { width: 1366, height: 768 } });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400 && !response.url().endsWith('/favicon.ico'))
        problems.push(`${String(response.status())} ${response.request().method()} ${response.url()}`);
    });
    page.on('console', (message) => {
      if (message.type() === 'error' && !/fonts\.googleapis\.com|^Failed to load resource/.test(message.text()))
        problems.push(message.text());
    });
    await page.goto(`${deployment.panel.url}/cp/login`);
    await page.fill('input[name="email"]', ops.email);
    await page.fill('input[name="password"]', ops.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${deployment.panel.url}/cp/login/code`);
    await enterCode(page, ops.totpSecret!);
    await page.waitForURL(`${deployment.panel.url}/cp`);
    return page;
  }
  const noSidewaysScroll = (page: Page) =>
    page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: new URL(`${name}.png`, screenshots).pathname, fullPage: true });

  it('shows the dashboard cards linking to their lists, and the health page from the navigation', async () => {
    await failSignIn(deployment.api);
    await serverError(deployment.api);
    await failedEmail(deployment.api.app);
    await deployment.sample();
    const problems: string[] = [];
    const page = await operatorPage(problems);

    // The dashboard's operations cards, each a link to the list behind it.
    const failedMail = page.locator('a[data-card="Failed e-mails in the queue"]');
    await failedMail.waitFor();
    expect(await failedMail.textContent()).toMatch(/Failed e-mails in the queue[1-9]/);
    expect(await failedMail.getAttribute('href')).toBe('/cp/resources/MailJob?filters.state=failed');
    expect(await page.locator('a[data-card="Failed sign-ins, last 24 hours"]').getAttribute('href')).toBe(
      '/cp/pages/health',
    );
    expect(await page.locator('a[data-card="Error rate, last hour"]').textContent()).toMatch(/\d+(\.\d+)? %/);
    expect(await noSidewaysScroll(page)).toBe(true);
    await shot(page, 'panel-dashboard-operations-1366');

    await failedMail.click();
    await page.waitForURL(/\/cp\/resources\/MailJob\?filters\.state=failed/);
    await page.locator('tbody tr').first().waitFor();

    // The health page, reached from the navigation by its name.
    await page.getByRole('link', { name: 'Health' }).first().click();
    await page.waitForURL(`${deployment.panel.url}/cp/pages/health`);
    await page.locator('[data-section="database"]').getByText('Up', { exact: true }).waitFor();
    expect(await page.locator('[data-section="mail"] [data-figure="Failed"]').textContent()).toMatch(/Failed[1-9]/);
    const row = page.locator('tr[data-row="Server errors (5xx)"]');
    expect(await row.textContent()).toMatch(/Server errors \(5xx\)[1-9]\d*[1-9]/);
    expect(await page.locator('table[data-table="replicas"] tbody tr').count()).toBe(2);
    expect(await page.locator('table[data-table="replicas"]').textContent()).toMatch(
      /API.*Control panel|Control panel.*API/,
    );
    expect(await noSidewaysScroll(page)).toBe(true);
    await shot(page, 'panel-health-1366');

    await page.getByRole('button', { name: 'Check again' }).click();
    await page.getByRole('button', { name: 'Check again' }).waitFor();
    expect(problems).toEqual([]);
  }, 60_000);
});
