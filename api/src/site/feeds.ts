/**
 * The site's XML: RSS 2.0 feeds and the sitemap. Every URL in them is absolute, built from
 * PUBLIC_URL by the caller; every text is escaped here.
 */
import { escape } from './markup.js';

export interface FeedChannel {
  readonly title: string;
  /** The page the feed follows. */
  readonly link: string;
  /** The feed's own URL (atom:link rel="self", which feed validators ask for). */
  readonly self: string;
  readonly description: string;
}

export interface FeedItem {
  readonly title: string;
  readonly link: string;
  /** A URL that names the post for good (its short id's path, which outlives a renamed title). */
  readonly guid: string;
  readonly publishedAt: string;
  readonly author: string;
  readonly description: string;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
/** RSS dates are RFC 822; toUTCString writes exactly that form ("Tue, 02 Dec 2025 09:07:00 GMT"). */
const rfc822 = (iso: string) => new Date(iso).toUTCString();

export function renderRss(channel: FeedChannel, items: readonly FeedItem[]): string {
  const newest = items[0];
  const parts = [
    XML_DECLARATION,
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<channel>',
    `<title>${escape(channel.title)}</title>`,
    `<link>${escape(channel.link)}</link>`,
    `<description>${escape(channel.description)}</description>`,
    `<atom:link href="${escape(channel.self)}" rel="self" type="application/rss+xml"/>`,
    '<language>en</language>',
  ];
  if (newest) parts.push(`<lastBuildDate>${rfc822(newest.publishedAt)}</lastBuildDate>`);
  for (const item of items) {
    parts.push(
      '<item>',
      `<title>${escape(item.title)}</title>`,
      `<link>${escape(item.link)}</link>`,
      `<guid isPermaLink="true">${escape(item.guid)}</guid>`,
      `<pubDate>${rfc822(item.publishedAt)}</pubDate>`,
      `<dc:creator>${escape(item.author)}</dc:creator>`,
      `<description>${escape(item.description)}</description>`,
      '</item>',
    );
  }
  parts.push('</channel>', '</rss>\n');
  return parts.join('\n');
}

export interface SitemapEntry {
  readonly loc: string;
  readonly lastmod?: string;
}

/** The sitemap protocol's limit for one file. */
export const SITEMAP_MAX_URLS = 50_000;

export function renderSitemap(entries: Iterable<SitemapEntry>): string {
  const parts = [XML_DECLARATION, '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'];
  for (const entry of entries) {
    const lastmod = entry.lastmod ? `<lastmod>${escape(entry.lastmod)}</lastmod>` : '';
    parts.push(`<url><loc>${escape(entry.loc)}</loc>${lastmod}</url>`);
  }
  parts.push('</urlset>\n');
  return parts.join('\n');
}
