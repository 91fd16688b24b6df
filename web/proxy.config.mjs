/**
 * The one local origin's proxy for /api, /cp and the site's pages, shared by `nuxt dev` (npm
 * start) and the static server that serves the built app to the end-to-end tests and the
 * benchmarks, so both proxy the same way: paths unchanged, the Host header rewritten, cookies
 * passed through untouched (never a cookie Domain), and the client address forwarded for the
 * API's rate limits. When the API or the panel is not listening (still starting, or restarting
 * under `npm run dev`) the answer is a 502 at once: Nitro's own devProxy leaves such a request
 * hanging.
 */
import { createProxyServer } from 'httpxy';

/**
 * The public pages the API serves with their own head (the web app's page filled in for a shared
 * link: `/`, a post, an author), the feeds and the sitemap (docs/web.md), and the OAuth and
 * OpenID Connect metadata, which must sit at the origin's root. The Caddyfile routes the same
 * paths to the API; every other path of the app stays a static file.
 */
export const SITE_PATHS =
  /^\/(?:rss\.xml|sitemap\.xml|posts\/[^/]+|authors\/[^/]+(?:\/rss\.xml)?|\.well-known\/(?:openid-configuration|oauth-authorization-server))?$/;

/** Where each prefix goes; the site's paths go to the API as they are. */
export function proxyRoutes(env = process.env) {
  const api = env.NUELL_API_URL ?? `http://127.0.0.1:${env.PORT ?? 3001}`;
  const admin = env.NUELL_ADMIN_URL ?? `http://127.0.0.1:${env.ADMIN_PORT ?? 3002}`;
  return [
    { prefix: '/api', target: `${api}/api`, name: 'The API' },
    { prefix: '/cp', target: `${admin}/cp`, name: 'The control panel' },
    { paths: SITE_PATHS, target: api, name: 'The API' },
  ];
}

/** The route a request goes by, or undefined (a static file of the app). */
function routeOf(routes, url) {
  const path = url.split('?')[0];
  return routes.find(({ prefix, paths }) =>
    prefix ? url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`) : paths.test(path),
  );
}

/**
 * A Node request handler that proxies /api, /cp and the site's pages and answers true for them;
 * any other path is left alone (false).
 */
export function createProxy(env = process.env) {
  const routes = proxyRoutes(env).map((route) => ({
    ...route,
    proxy: createProxyServer({ target: route.target, changeOrigin: true, xfwd: true }),
  }));
  return (req, res) => {
    const url = req.url ?? '/';
    const route = routeOf(routes, url);
    if (!route) return false;
    // A prefix is stripped and the target (which ends in it) puts it back.
    if (route.prefix) req.url = url.slice(route.prefix.length) || '/';
    route.proxy.web(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '2' });
      res.end(`${route.name} is not reachable yet; try again in a moment.`);
    });
    return true;
  };
}
