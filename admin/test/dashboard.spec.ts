/**
 * The dashboard's figures follow what happens in the service, and the panel's first page stays
 * light in production mode (prebuilt, minified bundles served by the panel itself).
 */
import { bearer, json, login, register, verify } from '../../api/test/support/accounts.js';
import type { DashboardData } from '../src/component-props.js';
import { operator, signedIn, usePanelAndApi } from './support/panel.js';

const { panel, api } = usePanelAndApi();

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
