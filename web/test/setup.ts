/**
 * In the Nuxt test environment, happy-dom's Request ignores headers handed over as a Headers
 * instance (openapi-fetch builds them so), which a browser's Request never does. Hand them over
 * as plain entries, so the tests see the headers the app sends (If-Match, Content-Type).
 */
if (typeof window !== 'undefined') {
  const BaseRequest = globalThis.Request;
  globalThis.Request = class extends BaseRequest {
    constructor(input: RequestInfo | URL, init?: RequestInit) {
      const headers = init?.headers instanceof Headers ? [...init.headers.entries()] : init?.headers;
      super(input, init && { ...init, ...(headers ? { headers } : {}) });
    }
  } as typeof Request;
}
