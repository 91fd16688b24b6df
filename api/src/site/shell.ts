/**
 * The web app's page (its "shell": the HTML `nuxt generate` writes, which loads the single-page
 * app) cut once into the part before its title and the part after it, so that filling it for a
 * request is two string concatenations. Its own title and description name the site, and its
 * Content-Security-Policy meta tag is the policy the pages are sent with.
 */
import { unescape } from './markup.js';

const TITLE = /<title>([^<]*)<\/title>/i;
const DESCRIPTION = /<meta\s+name="description"\s+content="([^"]*)"\s*\/?>/i;
const POLICY = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/i;

export class Shell {
  /** The site's name: the shell's own title. */
  readonly siteName: string;
  /** The shell's own description, the site's. */
  readonly description: string;
  /**
   * The policy to send as a header: the shell's meta tag plus `frame-ancestors 'none'`, which
   * only a header can say (as Caddy and web/serve.mjs send it for the static files); null when
   * the shell has none (nuxt dev's).
   */
  readonly contentSecurityPolicy: string | null;
  private readonly before: string;
  private readonly after: string;

  constructor(html: string) {
    const head = html.search(/<\/head>/i);
    if (head === -1) throw new Error('the web app page has no </head>');
    const title = TITLE.exec(html);
    this.siteName = unescape(title?.[1]?.trim() ?? '') || 'nuell';
    this.description = unescape(DESCRIPTION.exec(html)?.[1] ?? '');
    const policy = POLICY.exec(html)?.[1];
    this.contentSecurityPolicy = policy ? `${unescape(policy)}; frame-ancestors 'none'` : null;
    // The page's head goes where the title was (or at the end of the head); the shell's own
    // description goes, so that there is one.
    const at = title ? title.index : head;
    const rest = title ? at + title[0].length : head;
    this.before = html.slice(0, at).replace(DESCRIPTION, '');
    this.after = html.slice(rest).replace(DESCRIPTION, '');
  }

  /** The page with `head` (markup, already escaped) in place of the shell's title and description. */
  fill(head: string): string {
    return this.before + head + this.after;
  }
}
