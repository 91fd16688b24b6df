/**
 * The dashboard's figures follow what happens in the service, and the panel's first page stays
 * light in production mode (prebuilt, minified bundles served by the panel itself).
 */
import { bearer, json, login, register, verify } from '../../api/test/support/accounts.js';
import type { DashboardData } from '../src/component-props.js';
import type { HealthPageData } from '../src/ops-props.js';
import { failedEmail } from '../../api/test/support/ops.js';
import { operator, PanelClient, signedIn, usePanelAndApi } from './support/panel.js';
import { failSignIn, hitSignUpLimit, serverError, useOneDeployment } from './support/ops.js';

const { panel, api } = usePanelAndApi();
// The operations cards read this deployment's queue and samples: the API and the panel share it.
const deployment = useOneDeployment();

describe('the dashboard', () => {
  it('counts accounts, active accounts and posts, today and per day', async () => {
    const client = await signedIn(panel, await operator(api));
    const before = await client.json<DashboardData>('/cp/api/dashboard');
    expect(before.signUpsPerDay).toHaveLength(30);
    expect(before.postsPerDay).toHaveLength(30);
    const today = new Date().toISOString().slice(0, 10);
    expect(before.signUpsPerDay.at(-1)?.day).toBe(today);

    const author = await register(api.url);
    await verify(api.url, author);
    const { accessToken } = await login(api.url, author);
    for (const content of ['one', 'two']) {
      expect((await fetch(`${api.url}/api/v1/posts`, bearer(accessToken, json({ content })))).status).toBe(201);
    }

    const after = await client.json<DashboardData>('/cp/api/dashboard');
    // Other test files share the database, so compare at least what this test added.
    expect(after.users.total.count - before.users.total.count).toBeGreaterThanOrEqual(1);
    expect(after.users.newToday - before.users.newToday).toBeGreaterThanOrEqual(1);
    expect(after.users.activeLast7Days - before.users.activeLast7Days).toBeGreaterThanOrEqual(1);
    expect(after.posts.total.count - before.posts.total.count).toBeGreaterThanOrEqual(2);
    expect(after.posts.today - before.posts.today).toBeGreaterThanOrEqual(2);
    expect(after.postsPerDay.at(-1)!.count - before.postsPerDay.at(-1)!.count).toBeGreaterThanOrEqual(2);
    expect(after.signUpsPerDay.at(-1)!.count).toBe(after.users.newToday);
    expect(after.users.total.exact).toBe(true); // a small table is counted, not estimated
  });

  it('counts a post written yesterday on yesterday', async () => {
    const client = await signedIn(panel, await operator(api));
    const author = await register(api.url);
    const yesterday = new Date(Date.now() - 86_400_000);
    await api.db.query(
      `INSERT INTO posts (id, author_id, content, content_html, excerpt, word_count, reading_time_minutes, created_at)
       VALUES (gen_random_uuid(), $1, 'x', '<p>x</p>', 'x', 1, 1, $2)`,
      [author.id, yesterday],
    );
    const data = await client.json<DashboardData>('/cp/api/dashboard');
    const day = data.postsPerDay.find((d) => d.day === yesterday.toISOString().slice(0, 10));
    expect(day?.count).toBeGreaterThanOrEqual(1);
  });
});

describe("the dashboard's operations cards", () => {
  interface ListJson {
    records: { params: Record<string, unknown> }[];
    meta: { total: number };
  }
  /** The JSON list behind a card's link (/cp/resources/X?filters… → /cp/api/resources/X/actions/list?filters…). */
  const listBehind = (client: Awaited<ReturnType<typeof signedIn>>, link: string) => {
    const url = new URL(link, 'http://panel');
    const resource = /^\/cp\/resources\/(\w+)$/.exec(url.pathname)?.[1];
    if (!resource) throw new Error(`${link} is not a list`);
    return client.json<ListJson>(`/cp/api/resources/${resource}/actions/list?perPage=1&${url.searchParams.toString()}`);
  };

  it('count failed sign-ins, 429s, failed e-mail and the error rate, each linking to the list behind it', async () => {
    const client = await signedIn(deployment.panel, await operator(deployment.api));
    await deployment.sample();
    const before = (await client.json<DashboardData>('/cp/api/dashboard')).operations;

    await failSignIn(deployment.api);
    await failSignIn(deployment.api);
    // And one to the panel: the card counts both kinds.
    expect((await new PanelClient(deployment.panel).signIn('nobody@example.test', 'Wrong-Password-1')).status).toBe(
      401,
    );
    await hitSignUpLimit(deployment.api);
    await serverError(deployment.api);
    await failedEmail(deployment.api.app);
    await deployment.sample();
    const after = (await client.json<DashboardData>('/cp/api/dashboard')).operations;

    expect(after.failedSignIns.count! - before.failedSignIns.count!).toBe(3);
    expect(after.rateLimitRejections.count! - before.rateLimitRejections.count!).toBe(1);
    expect(after.failedMail.count! - before.failedMail.count!).toBe(1);
    expect(after.errorRate.serverErrors - before.errorRate.serverErrors).toBe(1);
    expect(after.errorRate.rate).toBeCloseTo(after.errorRate.serverErrors / after.errorRate.requests, 6);

    // The sign-in, 429 and error figures are the health page's (same samples, same sums), which
    // links each to its lists; the failed mail is the mail queue's list.
    const health = await client.json<HealthPageData>('/cp/api/pages/health');
    expect(after.failedSignIns.count).toBe(health.lastDay!.signInFailures);
    expect(after.failedSignIns.link).toBe('/cp/pages/health');
    for (const [link, action] of [
      [health.links.failedSignInsLastDay, 'login_failed'],
      [health.links.failedPanelSignInsLastDay, 'panel_login_failed'],
    ] as const) {
      const since = Date.parse(new URL(link, 'http://panel').searchParams.get('filters.createdAt~~from')!);
      expect(Math.abs(Date.now() - 86_400_000 - since)).toBeLessThan(60_000);
      const audit = await listBehind(client, link);
      expect(audit.meta.total).toBeGreaterThanOrEqual(1);
      expect(audit.records[0]?.params.action).toBe(action);
    }

    expect(after.failedMail.link).toBe('/cp/resources/MailJob?filters.state=failed');
    expect((await listBehind(client, after.failedMail.link)).meta.total).toBe(after.failedMail.count);
    expect(after.rateLimitRejections.link).toBe('/cp/pages/health');
    expect(after.errorRate.link).toBe('/cp/pages/health');
  });
});

describe('the first page in production mode', () => {
  it('loads prebuilt, minified bundles from /cp/assets, under 4 MB in all', async () => {
    const client = await signedIn(panel, await operator(api));
    const html = await (await client.get('/cp')).text();
    const scripts = [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThanOrEqual(4);
    let bytes = 0;
    for (const src of scripts) {
      const url = new URL(src, panel.url);
      expect(url.pathname).toMatch(/^\/cp\/assets\/.+\.js$/);
      const response = await fetch(url);
      expect(response.status).toBe(200);
      bytes += (await response.arrayBuffer()).byteLength;
    }
    expect(bytes).toBeLessThan(4 * 1024 * 1024); // development bundles weigh about 26 MB
  });
});
