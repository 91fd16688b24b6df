/**
 * @nuell/client: the nuell API's paths and schemas as TypeScript types (generated from
 * api/openapi.json into ./schema.ts by `npm run generate -w @nuell/client`), and a thin client over
 * openapi-fetch that adds the bearer token and hands every failed answer back as an RFC 9457
 * problem. Nothing runs on import, so a bundler keeps only what an app calls.
 */
import createFetchClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type { components, operations, paths } from './schema.js';

type Schemas = components['schemas'];
/** A schema of the API by name: `Schema<'PostDto'>`. */
export type Schema<Name extends keyof Schemas> = Schemas[Name];

/**
 * An error as the API answers it (RFC 9457 problem details, `application/problem+json`). Some
 * carry more members (`errors` for a 400's fields, `until` for a suspended account); the
 * generated types say which for each route.
 */
export type Problem = Schemas['ProblemDetailsDto'];

/** A token, or where to get the current one (called before every request; null: send none). */
export type TokenSource = string | (() => string | null | undefined | Promise<string | null | undefined>);

export interface ClientOptions {
  /**
   * The API's origin, e.g. `https://nuell.example` (the documented paths already start with
   * `/api/v1`). Empty: the page's own origin, for an app served beside the API.
   */
  baseUrl?: string | undefined;
  /** A personal access token, an OAuth access token, or a function that returns the current one. */
  token?: TokenSource | undefined;
  /** A fetch to call instead of the global one (a test double, a retry, a proxy agent). */
  fetch?: ((request: Request) => Promise<Response>) | undefined;
  /** Headers sent with every request. */
  headers?: Record<string, string> | undefined;
}

/** The client: `GET`, `POST`, `PATCH`, `DELETE`… over the documented paths (openapi-fetch's). */
export type NuellClient = Client<paths>;

/** Adds `Authorization: Bearer <token>` to each request that has none of its own. */
function bearer(token: TokenSource): Middleware {
  return {
    async onRequest({ request }) {
      const value = typeof token === 'string' ? token : await token();
      if (value && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${value}`);
      return request;
    },
  };
}

/**
 * Any failed answer that is not JSON (a proxy's HTML 502, an empty 401) becomes problem details
 * with its status and status text, so that `error` is always a Problem.
 */
const problems: Middleware = {
  onResponse({ response }) {
    if (response.ok || /json/i.test(response.headers.get('content-type') ?? '')) return response;
    const problem = {
      type: 'about:blank',
      title: response.statusText || `HTTP ${response.status}`,
      status: response.status,
    };
    const headers = new Headers(response.headers);
    headers.set('content-type', 'application/problem+json');
    headers.delete('content-length');
    return new Response(JSON.stringify(problem), { status: response.status, statusText: response.statusText, headers });
  },
};

/**
 * A client for the nuell API.
 *
 * ```ts
 * const api = createClient({ baseUrl: 'https://nuell.example', token: process.env.NUELL_TOKEN });
 * const { data, error } = await api.GET('/api/v1/users/me');
 * if (error) console.error(error.status, error.detail); // a Problem
 * else console.log(data.displayName);
 * ```
 */
export function createClient(options: ClientOptions = {}): NuellClient {
  const client = createBaseClient(options);
  if (options.token !== undefined) client.use(bearer(options.token));
  client.use(problems);
  return client;
}

/**
 * The typed openapi-fetch client with nothing added: for an app that brings its own
 * authentication and error handling (the nuell web app sends its refresh cookie and retries after
 * a refresh). A bundle that uses only this leaves out the rest of the package.
 */
export function createBaseClient(options: Pick<ClientOptions, 'baseUrl' | 'fetch' | 'headers'> = {}): NuellClient {
  return createFetchClient<paths>({
    baseUrl: options.baseUrl ?? '',
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  });
}

/** Whether a value is problem details (what `error` holds after a failed call). */
export function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && typeof (value as { status?: unknown }).status === 'number';
}
