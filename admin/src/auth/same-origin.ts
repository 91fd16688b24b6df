import type { RequestHandler } from 'express';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses every state-changing request that does not come from the panel's own pages: it must
 * name one of the panel's origins in `Origin` (browsers send it with every POST), and when the
 * browser says where the request comes from (`Sec-Fetch-Site`), that must be `same-origin`. On
 * top of the SameSite=Strict cookie, so an older browser or a sibling subdomain cannot forge a
 * change either. Requests without `Origin` (scripts, curl) are refused too: the panel is for
 * browsers.
 */
export function sameOriginOnly(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (request, response, next) => {
    if (SAFE_METHODS.has(request.method)) {
      next();
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
