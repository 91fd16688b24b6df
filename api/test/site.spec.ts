/**
 * The site's public pages (/, /posts/:ref, /authors/:id), its RSS feeds and its sitemap, as the
 * edge sends them to the API: the web app's page with each one's own head, read back with the
 * HTML standard's parser (parse5) and a strict XML parser (saxes), as a browser, a link preview
 * and a feed reader read them. Hostile titles, names and bios come back as the same text, never
 * as markup; drafts, unknown posts and suspended authors are 404 and show nowhere.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { SaxesParser } from 'saxes';
import { OperatorAccountService } from '../src/auth/operator-account.service.js';
import { bearer, json, login, register, verify } from './support/accounts.js';
import { useTestApp, withTestApp } from './support/app.js';
import { createScratchDatabase } from './support/database.js';

/** The web app's page as `nuxt generate` writes it (its shape, with the build's names made up). */
const POLICY = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'";
const SHELL =
  '<!DOCTYPE html><html  lang="en"><head>' +
  `<meta http-equiv="Content-Security-Policy" content="${POLICY}"><meta charset="utf-8">` +
  '<meta name="viewport" content="width=device-width, initial-scale=1"><title>nuell</title>' +
  '<script src="/theme.js"></script><link rel="stylesheet" href="/_nuxt/entry.abc.css" crossorigin>' +
  '<script type="module" src="/_nuxt/app.js" crossorigin></script>' +
  '<meta name="description" content="Read and write posts on nuell."><meta name="color-scheme" content="light dark">' +
  '<link rel="icon" type="image/svg+xml" href="/favicon.svg"></head><body><div id="__nuxt"></div>' +
  '<div id="teleports"></div><script src="/_nuxt/config.abc.js"></script></body></html>';
const shellFile = join(tmpdir(), `nuell-shell-${randomBytes(6).toString('hex')}.html`);
writeFileSync(shellFile, SHELL);

const SITE = 'https://site.example';
const api = useTestApp({ env: { WEB_SHELL: shellFile, PUBLIC_URL: SITE } });

const HOSTILE_TITLE = `</title><script>alert("t")</script><meta property="og:title" content="x"> & 'it' <b>`;
const HOSTILE_NAME = `"></title><img src=x onerror=alert('n')> & <i>Ada</i>`;
const HOSTILE_BIO = `Writes about <script>alert("b")</script>\nand "quotes" & 'apostrophes' </p>`;
/** Markdown whose text (so the excerpt) is markup: escaped, it renders as the characters themselves. */
const HOSTILE_TEXT = String.raw`1 < 2 && "x" > 'y' \</description\>\<script\>alert("e")\</script\>`;

// ---- reading what the site sends -------------------------------------------------------------

type Element = DefaultTreeAdapterMap['element'];
type Node = DefaultTreeAdapterMap['node'];

function elements(node: Node): Element[] {
  const children = 'childNodes' in node ? node.childNodes : [];
  return children.flatMap((child) => ('tagName' in child ? [child, ...elements(child)] : elements(child)));
}

const attr = (element: Element, name: string) => element.attrs.find((a) => a.name === name)?.value;
const text = (element: Element) => element.childNodes.map((child) => ('value' in child ? child.value : '')).join('');

/** A page as a browser builds it: its title, its head's metadata, its links, its scripts. */
function readPage(html: string) {
  const all = elements(parse(html));
  const head = all.find((e) => e.tagName === 'head')!;
  const inHead = elements(head);
  const meta = (key: string) =>
    inHead
      .filter((e) => e.tagName === 'meta' && (attr(e, 'property') === key || attr(e, 'name') === key))
      .map((e) => attr(e, 'content'));
  return {
    titles: inHead.filter((e) => e.tagName === 'title').map(text),
    meta,
    /** The one value of a meta tag (fails when there are none or several). */
    one(key: string) {
      const values = meta(key);
      expect({ key, count: values.length }).toEqual({ key, count: 1 });
      return values[0];
    },
    link: (rel: string) => inHead.filter((e) => e.tagName === 'link' && attr(e, 'rel') === rel),
    scripts: all.filter((e) => e.tagName === 'script').map((e) => attr(e, 'src')),
    tags: all.map((e) => e.tagName),
  };
}

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** A strict XML 1.0 parse (namespaces included): throws on anything a feed reader would refuse. */
function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    const attributes = Object.fromEntries(Object.values(tag.attributes).map((a) => [a.name, a.value]));
    const element: XmlElement = { name: tag.name, attributes, children: [], text: '' };
    stack.at(-1)?.children.push(element);
    root ??= element;
    stack.push(element);
  });
  parser.on('text', (value) => {
    const current = stack.at(-1);
    if (current) current.text += value;
  });
  parser.on('cdata', (value) => {
    const current = stack.at(-1);
    if (current) current.text += value;
  });
  parser.on('closetag', () => stack.pop());
  parser.write(xml).close();
  if (!root) throw new Error('no root element');
  return root;
}

const child = (element: XmlElement, name: string) => element.children.find((c) => c.name === name);
const childText = (element: XmlElement, name: string) => child(element, name)?.text;

/** A GET with exactly these headers, Host included (fetch() may not send a forged Host). */
function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | undefined>; body: string }>(
    (resolve, reject) => {
      const req = httpRequest(`${api.url}${path}`, { headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, body });
        });
      });
      req.on('error', reject);
      req.end();
    },
  );
}

// ---- arranging, through the API as its users do ------------------------------------------------

interface Author {
  id: string;
  token: string;
}

async function author(displayName: string): Promise<Author> {
  const account = await register(api.url, { displayName });
  await verify(api.url, account);
  return { id: account.id, token: (await login(api.url, account)).accessToken };
}

async function write(who: Author, body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await fetch(`${api.url}/api/v1/posts`, bearer(who.token, json(body)));
  if (res.status !== 201) throw new Error(`POST /posts answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Record<string, any>;
}

async function change(who: Author, id: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${api.url}/api/v1/posts/${id}`, bearer(who.token, { ...json(body), method: 'PATCH' }));
  if (res.status !== 200) throw new Error(`PATCH /posts answered ${res.status}: ${await res.text()}`);
}

let ada: Author;
let hostile: Record<string, any>;
let draft: Record<string, any>;
let withdrawn: Record<string, any>;

beforeAll(async () => {
  ada = await author(HOSTILE_NAME);
  const res = await fetch(
    `${api.url}/api/v1/users/me`,
    bearer(ada.token, { ...json({ bio: HOSTILE_BIO }), method: 'PATCH' }),
  );
  expect(res.status).toBe(200);
  hostile = await write(ada, { title: HOSTILE_TITLE, content: `# A heading\n\n${HOSTILE_TEXT}` });
  expect(hostile.excerpt).toBe(`A heading 1 < 2 && "x" > 'y' </description><script>alert("e")</script>`);
  draft = await write(ada, { title: 'The secret draft title', content: 'Secret draft words', status: 'draft' });
  withdrawn = await write(ada, { title: 'Published, then withdrawn', content: 'Soon a draft again' });
  await change(ada, withdrawn.id as string, { status: 'draft' });
});

// ---- the pages ----------------------------------------------------------------------------------

describe('the public pages', () => {
  it("/ is the web app's page with the site's own head, sent as the edge sends a page", async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toBe(`${POLICY}; frame-ancestors 'none'`);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    const page = readPage(res.body);
    expect(page.titles).toEqual(['nuell']);
    expect(page.one('description')).toBe('Read and write posts on nuell.');
    expect(page.link('canonical').map((l) => attr(l, 'href'))).toEqual([`${SITE}/`]);
    expect(page.one('og:url')).toBe(`${SITE}/`);
    expect(page.one('og:type')).toBe('website');
    expect(page.one('og:site_name')).toBe('nuell');
    expect(page.one('twitter:card')).toBe('summary');
    const [feed] = page.link('alternate');
    expect(feed && [attr(feed, 'type'), attr(feed, 'href')]).toEqual(['application/rss+xml', `${SITE}/rss.xml`]);
    // The app itself is untouched: it loads and boots as from the static file.
    expect(page.scripts).toEqual(['/theme.js', '/_nuxt/app.js', '/_nuxt/config.abc.js']);
    expect(res.body).toContain('<div id="__nuxt"></div>');
    expect(res.body).toContain(`content="${POLICY}"`);
    expect(page.meta('color-scheme')).toEqual(['light dark']);
  });

  it("a post's page carries its title, description, canonical URL and card, hostile text as text", async () => {
    const res = await get(hostile.path as string);
    expect(res.status).toBe(200);
    const page = readPage(res.body);
    expect(page.titles).toEqual([`${HOSTILE_TITLE} · nuell`]);
    expect(page.one('og:title')).toBe(HOSTILE_TITLE);
    expect(page.one('twitter:title')).toBe(HOSTILE_TITLE);
    expect(page.one('og:type')).toBe('article');
    expect(page.one('description')).toBe(hostile.excerpt);
    expect(page.one('og:description')).toBe(hostile.excerpt);
    expect(page.one('og:url')).toBe(`${SITE}${hostile.path}`);
    expect(page.link('canonical').map((l) => attr(l, 'href'))).toEqual([`${SITE}${hostile.path}`]);
    expect(page.one('article:published_time')).toBe(hostile.publishedAt);
    expect(page.one('article:author')).toBe(`${SITE}/authors/${ada.id}`);
    const [feed] = page.link('alternate');
    expect(feed && attr(feed, 'title')).toBe(`${HOSTILE_NAME} on nuell`);
    expect(feed && attr(feed, 'href')).toBe(`${SITE}/authors/${ada.id}/rss.xml`);
    // Nothing the text holds became an element: the same scripts, no image, no bold.
    expect(page.scripts).toEqual(['/theme.js', '/_nuxt/app.js', '/_nuxt/config.abc.js']);
    expect(page.tags).not.toContain('img');
    expect(page.tags).not.toContain('b');
    expect(page.meta('og:title')).toHaveLength(1);
  });

  it('answers the same page for every link a post has had: its id, its short id, an old slug', async () => {
    for (const ref of [hostile.id, hostile.shortId, `an-old-title-${hostile.shortId}`]) {
      const res = await get(`/posts/${ref as string}`);
      expect(res.status).toBe(200);
      expect(
        readPage(res.body)
          .link('canonical')
          .map((l) => attr(l, 'href')),
      ).toEqual([`${SITE}${hostile.path}`]);
    }
  });

  it("an author's page carries their name and bio, as text", async () => {
    const res = await get(`/authors/${ada.id}`);
    expect(res.status).toBe(200);
    const page = readPage(res.body);
    expect(page.titles).toEqual([`${HOSTILE_NAME} · nuell`]);
    expect(page.one('og:title')).toBe(HOSTILE_NAME);
    expect(page.one('og:type')).toBe('profile');
    // One line in a card: the bio's newline is a space.
    expect(page.one('description')).toBe(HOSTILE_BIO.replace('\n', ' '));
    expect(page.one('og:url')).toBe(`${SITE}/authors/${ada.id}`);
    expect(page.tags).not.toContain('img');
    expect(page.tags).not.toContain('i');
    expect(page.scripts).toHaveLength(3);
  });

  it('builds every URL from PUBLIC_URL, whatever Host the request names', async () => {
    const res = await get(hostile.path as string, { host: 'evil.example' });
    expect(res.status).toBe(200);
    expect(res.body).not.toContain('evil.example');
    expect(readPage(res.body).one('og:url')).toBe(`${SITE}${hostile.path}`);
  });

  it('a revalidation costs nothing when the page is unchanged: 304 for its ETag', async () => {
    const first = await get('/');
    expect(first.headers.etag).toMatch(/^"[\w-]+"$/);
    const again = await get('/', { 'if-none-match': first.headers.etag! });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    const other = await get('/', { 'if-none-match': '"something-else"' });
    expect(other.status).toBe(200);
  });
});

describe('what is not there', () => {
  async function expectNotFound(path: string) {
    const res = await get(path);
    expect({ path, status: res.status }).toEqual({ path, status: 404 });
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const page = readPage(res.body);
    // The app's page, which boots and shows its not-found card; kept out of search engines.
    expect(page.scripts).toHaveLength(3);
    expect(page.titles).toEqual(['Page not found · nuell']);
    expect(page.one('robots')).toBe('noindex');
    expect(page.meta('og:title')).toEqual([]);
    return res.body;
  }

  it('an unknown post, in any form of link, is a 404 with the app page', async () => {
    for (const ref of [randomUUID(), '0000000000', 'no-such-post-0000000000', 'not%20a%20ref', 'x'.repeat(90)]) {
      await expectNotFound(`/posts/${ref}`);
    }
  });

  it('a hostile link is a 404 (or another 4xx), never a failure, and never echoed in the page', async () => {
    const refs = [
      '%00',
      'abc%00-0000000000',
      '%E2%80%AE-0000000000',
      `${'%F0%9F%92%A5'.repeat(20)}-0000000000`,
      '..%2F..%2Fetc%2Fpasswd',
      '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
      `x-${'0'.repeat(9)}%00`,
    ];
    for (const ref of refs) {
      for (const path of [`/posts/${ref}`, `/authors/${ref}`]) {
        expect(await expectNotFound(path)).not.toMatch(/alert|passwd/);
      }
      expect((await get(`/authors/${ref}/rss.xml`)).status).toBe(404);
    }
    // What no link can be: too long to be a post's, or not percent-encoding at all.
    for (const path of [
      `/posts/${'x'.repeat(5000)}`,
      '/posts/%E0%A4%A',
      '/posts/%ZZ',
      `/authors/${'a'.repeat(5000)}`,
    ]) {
      const { status } = await get(path);
      expect({ path: path.slice(0, 40), status, client: status >= 400 && status < 500 }).toEqual({
        path: path.slice(0, 40),
        status,
        client: true,
      });
    }
  });

  it('a draft is a 404 for its every link, and its title and words appear nowhere', async () => {
    for (const post of [draft, withdrawn]) {
      for (const ref of [post.path, `/posts/${post.id as string}`, `/posts/${post.shortId as string}`]) {
        const body = await expectNotFound(ref as string);
        expect(body).not.toMatch(/secret draft|withdrawn|Soon a draft/i);
      }
    }
    for (const path of ['/rss.xml', `/authors/${ada.id}/rss.xml`, '/sitemap.xml']) {
      const { body } = await get(path);
      expect(body).not.toMatch(/secret draft|withdrawn|Soon a draft/i);
      expect(body).not.toContain(draft.shortId);
      expect(body).not.toContain(withdrawn.shortId);
    }
  });

  it('an unknown or suspended author is a 404, their posts and feed with them', async () => {
    await expectNotFound(`/authors/${randomUUID()}`);
    await expectNotFound('/authors/not-a-uuid');
    const suspended = await author('Soon Suspended');
    const post = await write(suspended, { title: 'Before the suspension', content: 'Written before the suspension' });
    expect((await get(`/authors/${suspended.id}`)).status).toBe(200);
    expect((await get(post.path as string)).status).toBe(200);

    await api.app.get(OperatorAccountService).suspend(null, suspended.id, { reason: 'Spam' });
    await expectNotFound(`/authors/${suspended.id}`);
    await expectNotFound(post.path as string);
    const feed = await get(`/authors/${suspended.id}/rss.xml`);
    expect(feed.status).toBe(404);
    for (const path of ['/rss.xml', '/sitemap.xml']) expect((await get(path)).body).not.toContain(suspended.id);
    expect((await get('/rss.xml')).body).not.toContain('Before the suspension');
  });
});

// ---- the feeds and the sitemap -----------------------------------------------------------------

describe('RSS and the sitemap', () => {
  it('/rss.xml is the newest published posts, valid RSS 2.0 with absolute links', async () => {
    const res = await get('/rss.xml', { host: 'evil.example' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).not.toContain('evil.example');
    const rss = parseXml(res.body);
    expect([rss.name, rss.attributes.version]).toEqual(['rss', '2.0']);
    const channel = child(rss, 'channel')!;
    expect(childText(channel, 'title')).toBe('nuell');
    expect(childText(channel, 'link')).toBe(`${SITE}/`);
    expect(child(channel, 'atom:link')?.attributes).toEqual({
      href: `${SITE}/rss.xml`,
      rel: 'self',
      type: 'application/rss+xml',
    });
    const items = channel.children.filter((c) => c.name === 'item');
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThanOrEqual(20);
    const item = items.find((i) => childText(i, 'link') === `${SITE}${hostile.path}`)!;
    expect(childText(item, 'title')).toBe(HOSTILE_TITLE);
    expect(childText(item, 'dc:creator')).toBe(HOSTILE_NAME);
    expect(childText(item, 'description')).toBe(hostile.excerpt);
    expect(childText(item, 'guid')).toBe(`${SITE}/posts/${hostile.shortId}`);
    expect(new Date(childText(item, 'pubDate')!).toISOString()).toBe(
      new Date(Math.floor(Date.parse(hostile.publishedAt as string) / 1000) * 1000).toISOString(),
    );
    for (const i of items) expect(childText(i, 'link')).toMatch(new RegExp(`^${SITE}/posts/`));
  });

  it("an author's feed lists their posts only, named after them", async () => {
    const other = await author('Grace Other');
    await write(other, { title: 'Not by Ada', content: 'Someone else' });
    const res = await get(`/authors/${ada.id}/rss.xml`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    const channel = child(parseXml(res.body), 'channel')!;
    expect(childText(channel, 'title')).toBe(`${HOSTILE_NAME} on nuell`);
    expect(childText(channel, 'description')).toBe(HOSTILE_BIO);
    expect(childText(channel, 'link')).toBe(`${SITE}/authors/${ada.id}`);
    const titles = channel.children.filter((c) => c.name === 'item').map((i) => childText(i, 'title'));
    expect(titles).toEqual([HOSTILE_TITLE]);
    expect((await get(`/authors/${randomUUID()}/rss.xml`)).status).toBe(404);
  });

  it('a feed stays well-formed whatever characters a post holds', async () => {
    const writer = await author('Bell Ringer');
    // Control characters XML cannot carry at all, which Markdown passes through.
    const post = await write(writer, { title: 'Bells', content: 'ring \u0007 the \u001b bell \uFFFE twice' });
    expect(post.excerpt).toBe('ring \u0007 the \u001b bell \uFFFE twice');
    const res = await get(`/authors/${writer.id}/rss.xml`);
    const item = child(parseXml(res.body), 'channel')!.children.find((c) => c.name === 'item')!;
    expect(childText(item, 'description')).toBe('ring  the  bell  twice');
  });

  it('/sitemap.xml lists the feed, every published post and every author with one, absolutely', async () => {
    const res = await get('/sitemap.xml', { host: 'evil.example' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    const urlset = parseXml(res.body);
    expect(urlset.name).toBe('urlset');
    expect(urlset.attributes.xmlns).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    const urls = urlset.children.map((u) => ({ loc: childText(u, 'loc'), lastmod: childText(u, 'lastmod') }));
    expect(urls[0]).toEqual({ loc: `${SITE}/`, lastmod: undefined });
    expect(urls).toContainEqual({ loc: `${SITE}${hostile.path}`, lastmod: expect.any(String) });
    const lastmod = urls.find((u) => u.loc === `${SITE}${hostile.path}`)!.lastmod!;
    expect(new Date(lastmod).toISOString()).toBe(lastmod);
    expect(urls).toContainEqual({ loc: `${SITE}/authors/${ada.id}`, lastmod: undefined });
    for (const { loc } of urls) expect(loc).toMatch(new RegExp(`^${SITE}/`));
    expect(new Set(urls.map((u) => u.loc)).size).toBe(urls.length);
  });
});

describe('when the database is away', () => {
  it("a page is still the app's page (which says so), 503 with Retry-After; a feed a plain 503", async () => {
    const scratch = await createScratchDatabase('site_outage', { migrated: true });
    try {
      const env = {
        DATABASE_URL: scratch.url,
        DATABASE_POOL_TIMEOUT_MS: '1000',
        WEB_SHELL: shellFile,
        PUBLIC_URL: SITE,
      };
      await withTestApp({ env }, async (away) => {
        await scratch.setReachable(false);
        const page = await fetch(`${away.url}/posts/a-post-0000000000`);
        expect(page.status).toBe(503);
        expect(page.headers.get('retry-after')).toBe('5');
        expect(page.headers.get('cache-control')).toBe('no-store');
        expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
        const read = readPage(await page.text());
        expect(read.scripts).toEqual(['/theme.js', '/_nuxt/app.js', '/_nuxt/config.abc.js']);
        expect(read.titles).toEqual(['nuell']);
        const feed = await fetch(`${away.url}/rss.xml`);
        expect(feed.status).toBe(503);
        expect(feed.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      });
    } finally {
      await scratch.drop();
    }
  });
});

describe("from nuxt dev's page (npm start)", () => {
  it('fetches the page for every request, so it follows the source, and sends no policy it lacks', async () => {
    // nuxt dev's page runs inline scripts and carries no policy: sending one would stop the app.
    let description = 'First words.';
    const dev = createServer((_req, res) =>
      res.end(SHELL.replace(/<meta http-equiv[^>]*>/, '').replace('Read and write posts on nuell.', description)),
    );
    await new Promise<void>((resolve) => dev.listen(0, '127.0.0.1', resolve));
    const { port } = dev.address() as AddressInfo;
    try {
      await withTestApp({ env: { WEB_SHELL: `http://127.0.0.1:${port}/200.html` } }, async (local) => {
        const first = await fetch(`${local.url}/`);
        expect(first.status).toBe(200);
        expect(first.headers.get('content-security-policy')).toBeNull();
        expect(readPage(await first.text()).one('description')).toBe('First words.');
        description = 'Edited words.';
        expect(readPage(await (await fetch(`${local.url}/`)).text()).one('description')).toBe('Edited words.');
        await new Promise((resolve) => dev.close(resolve));
        const away = await fetch(`${local.url}/`);
        expect(away.status).toBe(503);
        expect(await away.text()).toMatch(/web app's page is not available/);
      });
    } finally {
      dev.closeAllConnections();
      if (dev.listening) await new Promise((resolve) => dev.close(resolve));
    }
  });
});

describe('without the web app', () => {
  it("the pages answer 503 and say why; the API and the feeds' data are unaffected", async () => {
    await withTestApp({ env: { WEB_SHELL: join(tmpdir(), 'no-such-web-app', 'index.html') } }, async (bare) => {
      const page = await fetch(`${bare.url}/`);
      expect(page.status).toBe(503);
      expect(await page.text()).toMatch(/web app's page is not available/);
      expect((await fetch(`${bare.url}/api/v1/posts`)).status).toBe(200);
    });
  });
});
