// @vitest-environment node
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/embedded-postgres.mjs';
import { createProxy } from '../proxy.config.mjs';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The local origin: /api and /cp through the proxy, anything else a plain 200. */
async function origin(env: Record<string, string>): Promise<string> {
  const proxy = createProxy(env);
  return listen((req, res) => {
    if (!proxy(req, res)) res.end('app');
  });
}

describe('the local origin’s proxy', () => {
  it('passes /api and /cp through with their paths and query', async () => {
    const api = await listen((req, res) => res.end(`api ${req.url}`));
    const panel = await listen((req, res) => res.end(`panel ${req.url}`));
    const base = await origin({ NUELL_API_URL: api, NUELL_ADMIN_URL: panel });
    expect(await (await fetch(`${base}/api/v1/posts?limit=2`)).text()).toBe('api /api/v1/posts?limit=2');
    expect(await (await fetch(`${base}/cp/login`)).text()).toBe('panel /cp/login');
    expect(await (await fetch(`${base}/apiary`)).text()).toBe('app');
  });

  it("sends the site's pages, feeds and sitemap to the API as they are; the app's other paths stay its own", async () => {
    const api = await listen((req, res) => res.end(`api ${req.url}`));
    const base = await origin({ NUELL_API_URL: api, NUELL_ADMIN_URL: api });
    for (const path of [
      '/',
      '/?ref=x',
      '/posts/hello-k3x9q2m7ab',
      '/authors/a1',
      '/authors/a1/rss.xml',
      '/rss.xml',
      '/sitemap.xml',
      '/.well-known/openid-configuration',
      '/.well-known/oauth-authorization-server',
    ]) {
      expect(await (await fetch(`${base}${path}`)).text()).toBe(`api ${path}`);
    }
    for (const path of [
      '/write',
      '/posts/k3x9q2m7ab/edit',
      '/posts/',
      '/authors/a1/posts',
      '/sitemap.xml.gz',
      '/index.html',
      '/.well-known/security.txt',
    ]) {
      expect(await (await fetch(`${base}${path}`)).text()).toBe('app');
    }
  });

  it('answers 502 at once, naming what is down, when nothing listens behind it', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const base = await origin({ NUELL_API_URL: closed, NUELL_ADMIN_URL: closed });
    const api = await fetch(`${base}/api/health/ready`, { signal: AbortSignal.timeout(5_000) });
    expect(api.status).toBe(502);
    expect(api.headers.get('retry-after')).toBe('2');
    expect(await api.text()).toMatch(/^The API is not reachable/);
    const panel = await fetch(`${base}/cp/login`, { signal: AbortSignal.timeout(5_000) });
    expect(panel.status).toBe(502);
    expect(await panel.text()).toMatch(/^The control panel is not reachable/);
  });
});
