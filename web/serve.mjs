#!/usr/bin/env node
/**
 * Serves the generated app (.output/public) the way production does: static files with the SPA
 * fallback, precompressed assets, long-lived caching of hashed files, the security headers, and
 * /api, /cp and the site's pages (`/`, posts, authors, the feeds and the sitemap, which the API
 * fills in from this same build's page) proxied exactly as `nuxt dev` proxies them
 * (proxy.config.mjs). The end-to-end tests and `npm run bench` run the built app behind it.
 *
 *   node web/serve.mjs [--port 3000]     (API at PORT or NUELL_API_URL, default 127.0.0.1:3001)
 */
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';
import { CONTENT_SECURITY_POLICY } from './csp.mjs';
import { createProxy } from './proxy.config.mjs';

export const PUBLIC_DIR = fileURLToPath(new URL('.output/public', import.meta.url));

const SECURITY_HEADERS = {
  'content-security-policy': `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
};

/** Starts the server; resolves with its URL and a close function. */
export async function serveBuiltApp({ port = 0, host = '127.0.0.1', env = process.env, dir = PUBLIC_DIR } = {}) {
  const proxy = createProxy(env);
  const files = sirv(dir, {
    single: '200.html',
    gzip: true,
    brotli: true,
    etag: true,
    setHeaders(res, pathname) {
      res.setHeader(
        'cache-control',
        pathname.startsWith('/_nuxt/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  const server = createServer((req, res) => {
    if (proxy(req, res)) return;
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    files(req, res, () => {
      res.writeHead(404).end();
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  return {
    url: `http://localhost:${address.port}`,
    port: address.port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : 3000;
  const { url } = await serveBuiltApp({ port, dir: join(PUBLIC_DIR) });
  console.log(`the built web app: ${url}`);
}
