import tailwindcss from '@tailwindcss/vite';
import { externaliseInlineScripts } from './csp.mjs';
import { fromNodeMiddleware } from 'h3';
import { createProxy } from './proxy.config.mjs';

/** /api and /cp to their processes in `nuxt dev`, through the same proxy as web/serve.mjs. */
function devProxy() {
  const proxy = createProxy(process.env);
  return fromNodeMiddleware((req, res, next) => {
    if (!proxy(req, res)) next();
  });
}

/**
 * The web app: a single-page app (no server rendering) generated into static files that Caddy
 * serves in production. In development `nuxt dev` serves it on the one local origin and proxies
 * /api (and /cp) to their processes, so the refresh cookie stays first-party.
 */
export default defineNuxtConfig({
  compatibilityDate: '2026-11-01',
  ssr: false,
  devtools: { enabled: false },
  telemetry: false,
  modules: ['@pinia/nuxt'],
  css: ['~/assets/css/main.css'],
  vite: { plugins: [tailwindcss()] },
  typescript: { strict: true, typeCheck: false },
  runtimeConfig: {
    public: {
      // The API's POST_MAX_CHARS, for the editor's counter; the API stays the judge.
      postMaxChars: Number(process.env.POST_MAX_CHARS ?? 40_000),
    },
  },
  app: {
    head: {
      htmlAttrs: { lang: 'en' },
      title: 'nuell',
      meta: [
        { name: 'viewport', content: 'width=device-width, initial-scale=1' },
        { name: 'description', content: 'Read and write posts on nuell.' },
        { name: 'color-scheme', content: 'light dark' },
      ],
      link: [{ rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }],
      // Applies the remembered colour scheme before the first paint.
      script: [{ src: '/theme.js' }],
    },
  },
  experimental: {
    // An import map would be one more inline script.
    entryImportMap: false,
    // Links fetch their page's code when pointed at or focused, not as soon as they scroll into
    // view: the first page then loads only what it shows (the sign-up form's rules and Zod wait).
    defaults: { nuxtLink: { prefetchOn: { visibility: false, interaction: true } } },
  },
  nitro: {
    // Not Nitro's devProxy: it leaves a request hanging when the API or the panel is not listening.
    devHandlers: [{ route: '/', handler: devProxy() }],
    compressPublicAssets: true,
    hooks: {
      'prerender:generate'(route, nitro) {
        if (route.contents && route.fileName?.endsWith('.html')) {
          route.contents = externaliseInlineScripts(route.contents, nitro.options.output.publicDir);
        }
      },
    },
  },
});
