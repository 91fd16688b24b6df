/**
 * What a shared link shows: the `<head>` tags of each public page (title, description, canonical
 * URL, Open Graph and Twitter card), every value escaped here and nowhere else.
 */
import { escape, summary } from './markup.js';

/** A page's head, as data. URLs are absolute (PUBLIC_URL), never taken from the request. */
export interface PageHead {
  /** The tab's title, the site's name included. */
  readonly title: string;
  /** The title a link preview shows (without the site's name). */
  readonly headline: string;
  readonly description: string;
  readonly url: string;
  readonly type: 'website' | 'article' | 'profile';
  /** The RSS feed of what the page lists. */
  readonly feed?: { readonly url: string; readonly title: string };
  readonly article?: { readonly publishedTime: string; readonly modifiedTime: string; readonly authorUrl: string };
}

/** Longest description a preview card shows whole (Open Graph has no limit; cards cut near 200). */
export const DESCRIPTION_CHARS = 200;

const meta = (key: 'name' | 'property', name: string, content: string) =>
  `<meta ${key}="${name}" content="${escape(content)}">`;

export function renderHead(head: PageHead, siteName: string): string {
  const description = summary(head.description, DESCRIPTION_CHARS);
  const tags = [
    `<title>${escape(head.title)}</title>`,
    meta('name', 'description', description),
    `<link rel="canonical" href="${escape(head.url)}">`,
    meta('property', 'og:site_name', siteName),
    meta('property', 'og:type', head.type),
    meta('property', 'og:title', head.headline),
    meta('property', 'og:description', description),
    meta('property', 'og:url', head.url),
  ];
  if (head.article) {
    tags.push(
      meta('property', 'article:published_time', head.article.publishedTime),
      meta('property', 'article:modified_time', head.article.modifiedTime),
      meta('property', 'article:author', head.article.authorUrl),
    );
  }
  tags.push(
    meta('name', 'twitter:card', 'summary'),
    meta('name', 'twitter:title', head.headline),
    meta('name', 'twitter:description', description),
  );
  if (head.feed) {
    tags.push(
      `<link rel="alternate" type="application/rss+xml" title="${escape(head.feed.title)}" href="${escape(head.feed.url)}">`,
    );
  }
  return tags.join('');
}

/**
 * The head of a page that is not there (an unknown or unpublished post, an unknown or suspended
 * author): nothing about what was asked for, and kept out of search engines.
 */
export function renderNotFoundHead(siteName: string, description: string): string {
  return [
    `<title>${escape(`Page not found · ${siteName}`)}</title>`,
    meta('name', 'description', description),
    meta('name', 'robots', 'noindex'),
  ].join('');
}
