/**
 * Where the one local origin sends /api and /cp. Shared by `nuxt dev` (npm start) and the static
 * server that serves the built app to the end-to-end tests and the benchmarks, so both proxy the
 * same way: paths unchanged, the Host header rewritten, cookies passed through untouched (never a
 * cookie Domain), and the client address forwarded for the API's rate limits.
 */
export function apiProxy(env = process.env) {
  const api = env.NUELL_API_URL ?? `http://127.0.0.1:${env.PORT ?? 3001}`;
  const admin = env.NUELL_ADMIN_URL ?? `http://127.0.0.1:${env.ADMIN_PORT ?? 3002}`;
  return {
    '/api': { target: `${api}/api`, changeOrigin: true, xfwd: true },
    '/cp': { target: `${admin}/cp`, changeOrigin: true, xfwd: true },
  };
}
