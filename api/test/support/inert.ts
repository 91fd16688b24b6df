import { readFileSync } from 'node:fs';
/**
 * Independent check that rendered HTML cannot run script or load active content: the elements,
 * attributes and URL schemes a browser would act on. Used on what the API answers, so it does
 * not trust the renderer's own tests.
 */
const DANGEROUS_TAGS =
  /<\s*(script|iframe|frame|frameset|object|embed|applet|form|input(?![^>]*type="checkbox")|button|textarea|select|base|meta|link|style|svg|math|template|noscript|xmp|plaintext)\b/i;

function decode(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replaceAll('&colon;', ':')
    .replaceAll('&tab;', '\t')
    .replaceAll('&newline;', '\n')
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&');
}

/** Every reason `html` is not inert; empty when it is. */
export function dangers(html: string): string[] {
  const found: string[] = [];
  const tag = DANGEROUS_TAGS.exec(html);
  if (tag) found.push(`element <${tag[1]}>`);
  for (const match of html.matchAll(/<[a-z][^>]*>/gi)) {
    const element = match[0];
    for (const attr of element.matchAll(/\s([^\s="'>/]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/g)) {
      const name = (attr[1] ?? '').toLowerCase();
      const value = decode((attr[2] ?? '').replace(/^["']|["']$/g, ''));
      if (name.startsWith('on')) found.push(`handler ${name}`);
      if (['style', 'srcdoc', 'formaction', 'action', 'xlink:href', 'background', 'dynsrc', 'lowsrc'].includes(name)) {
        found.push(`attribute ${name}`);
      }
      if (['href', 'src', 'cite', 'poster', 'data'].includes(name)) {
        // Browsers ignore control characters and spaces inside a URL's scheme.
        // eslint-disable-next-line no-control-regex
        const scheme = /^([^:/?#]*):/.exec(value.replace(/[\u0000-\u0020]/g, ''))?.[1]?.toLowerCase();
        if (!scheme || !['http', 'https', 'mailto'].includes(scheme))
          found.push(`${name} with scheme ${scheme ?? '(relative)'}`);
      }
    }
  }
  return found;
}

/**
 * The XSS payloads of the whole project, one list for every test that needs them: the content
 * engine's tests (Rust, jest, the browser), these API tests and the web app's end-to-end tests.
 * Payloads with a NUL character are left out here: the API refuses NUL before anything renders
 * (400, tested in request-bodies.spec.ts).
 */
const FIXTURE = JSON.parse(
  readFileSync(new URL('../../../native/tests/fixtures/xss-payloads.json', import.meta.url), 'utf8'),
) as { name: string; markdown: string }[];
export const XSS_PAYLOADS: readonly string[] = FIXTURE.map((p) => p.markdown).filter((p) => !p.includes('\0'));
