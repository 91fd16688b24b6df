/**
 * The typed API client: @nuell/client (client/: openapi-fetch over the types generated from
 * api/openapi.json). Every call carries the in-memory access token; a 401
 * triggers one refresh through the httpOnly cookie and one retry.
 */
import { createBaseClient, type components } from '@nuell/client';

type Schemas = components['schemas'];
export type User = Schemas['UserDto'];
export type Post = Schemas['PostDto'];
export type Session = Schemas['SessionDto'];
export type AccessToken = Schemas['AccessTokenDto'];
export type Rendered = Schemas['RenderedContentDto'];
export type Passkey = Schemas['PasskeyDto'];
export type MfaStatus = Schemas['MfaStatusDto'];

interface TokenSource {
  readonly accessToken: string | null;
  /** Gets a new access token through the refresh cookie; null when the session is over. */
  refresh(): Promise<string | null>;
}

/** Paths that answer 401 as part of their job (a wrong password), never because a token expired. */
const NO_RETRY = /\/auth\/(login|login\/mfa|passkey|passkey\/options|refresh|logout|register|token)$/;

/**
 * The fetch the client uses. openapi-fetch hands over a Request; we send its path and init
 * instead, so the body can be replayed after a refresh (and test endpoints can intercept it).
 */
function authorisedFetch(tokens: TokenSource) {
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url, location.href);
    const path = `${url.pathname}${url.search}`;
    const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
    const body = text === '' ? undefined : text;
    const send = (token: string | null) => {
      const headers = new Headers(request.headers);
      // No body, no content type: the API refuses a JSON content type with nothing in it.
      if (body === undefined) headers.delete('content-type');
      if (token) headers.set('authorization', `Bearer ${token}`);
      return fetch(path, { method: request.method, headers, body, credentials: 'same-origin', signal: request.signal });
    };
    const sentWith = tokens.accessToken;
    const response = await send(sentWith);
    if (response.status !== 401 || !sentWith || NO_RETRY.test(url.pathname)) return response;
    // Another request may have refreshed meanwhile: use its token rather than rotate again.
    const token = tokens.accessToken !== sentWith ? tokens.accessToken : await tokens.refresh();
    if (token) return send(token);
    // The session is over. A public read that looks at its caller (one post: its author also sees
    // drafts) refuses a stale token with 401 rather than ignore it, so read it as anyone.
    return request.method === 'GET' ? send(null) : response;
  };
}

export function createApiClient(tokens: TokenSource) {
  // The documented paths already start with /api/v1; the app and the API share one origin.
  return createBaseClient({ baseUrl: location.origin, fetch: authorisedFetch(tokens) });
}

export type ApiClient = ReturnType<typeof createApiClient>;
