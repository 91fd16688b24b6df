import type { RequestHandler } from 'express';

/**
 * The only methods the panel's pages and its JSON API use. AdminJS's actions tell "show" from
 * "do" by the method (its delete and edit hold back for exactly `get`), and Express routes HEAD
 * to GET handlers, so a HEAD reaching an action would run it. Every other method is refused
 * before AdminJS sees it; static bundles are served earlier and keep HEAD.
 */
const ACCEPTED_METHODS = 'GET, POST';

/**
 * Refuses what a browser on the panel's own pages would never send:
 *
 * - any method but GET and POST (405);
 * - a POST that does not come from the panel's own pages (403): it must name one of the panel's
 *   origins in `Origin` (browsers send it with every POST), and when the browser says where the
 *   request comes from (`Sec-Fetch-Site`), that must be `same-origin`. This is on top of the
 *   SameSite=Strict cookie, so an older browser or a sibling subdomain cannot forge a change
 *   either. POSTs without `Origin` (scripts, curl) are refused too: the panel is for browsers.
 */
export function sameOriginOnly(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (request, response, next) => {
    if (request.method === 'GET') {
      next();
      return;
    }
    if (request.method !== 'POST') {
      response
        .status(405)
        .set('Allow', ACCEPTED_METHODS)
        .type('text/plain')
        .send(`The control panel accepts ${ACCEPTED_METHODS} only.`);
      return;
    }
    const origin = request.headers.origin;
    const site = request.headers['sec-fetch-site'];
    if (origin !== undefined && allowed.has(origin) && (site === undefined || site === 'same-origin')) {
      next();
      return;
    }
    response
      .status(403)
      .type('text/plain')
      .send('Cross-site request refused: changes are only accepted from the control panel itself.');
  };
}
