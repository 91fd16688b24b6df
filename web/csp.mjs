/**
 * The built app's Content-Security-Policy, and the build step that makes it possible: a Nuxt SPA
 * page carries one inline script (its runtime config), which a policy without 'unsafe-inline'
 * would block. At generate time that script moves into a file of its own, and the policy goes
 * into every page as a meta tag (the edge server may send the same policy as a header).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  // Posts may show images from anywhere on the web (the content engine allows http and https only).
  "img-src 'self' https: http: data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-src 'none'",
  "manifest-src 'self'",
].join('; ');

const INLINE_SCRIPT = /<script>(window\.__NUXT__[\s\S]*?)<\/script>/;

/** Rewrites one generated HTML page; writes the extracted script into the public directory. */
export function externaliseInlineScripts(html, publicDir, assetsDir = '/_nuxt/') {
  let page = html;
  const match = INLINE_SCRIPT.exec(page);
  if (match) {
    const code = `${match[1]};\n`;
    const name = `config.${createHash('sha256').update(code).digest('base64url').slice(0, 10)}.js`;
    mkdirSync(join(publicDir, assetsDir), { recursive: true });
    writeFileSync(join(publicDir, assetsDir, name), code);
    page = page.replace(match[0], `<script src="${assetsDir}${name}"></script>`);
  }
  if (/<script>(?!<\/script>)/.test(page)) throw new Error('an inline script is left in a generated page');
  const meta = `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`;
  return page.replace(/<head>/, `<head>${meta}`);
}
