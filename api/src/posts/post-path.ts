/**
 * A post's readable path, `/posts/{slug}-{shortId}`, and reading one back. The slug is only for
 * people: the short id alone decides which post a path names, so a renamed post keeps its links,
 * and the slug is worked out when answering rather than stored.
 */
import { isUuid } from '../http/uuid-param.js';

const SLUG_MAX = 60;
const SHORT_ID = /^[0-9a-z]{10}$/;

/**
 * Latin letters that Unicode does not decompose into a base letter and a mark, spelled as
 * English-language slugs usually spell them (NFKD and dropping the marks handles é, ñ, ü, ç...).
 */
const SPELLED: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};
const UNSPELLED = new RegExp(`[${Object.keys(SPELLED).join('')}]`, 'g');

/**
 * Lower-case ASCII words of `text` joined by hyphens, cut at a word boundary to at most 60
 * characters; `post` when `text` has no such word (a title in another script, say).
 */
export function slugOf(text: string): string {
  const words =
    text
      .toLowerCase()
      .replace(UNSPELLED, (letter) => SPELLED[letter] ?? '')
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .match(/[a-z0-9]+/g) ?? [];
  let slug = '';
  for (const word of words) {
    const longer = slug ? `${slug}-${word}` : word;
    if (longer.length > SLUG_MAX) return slug || word.slice(0, SLUG_MAX);
    slug = longer;
  }
  return slug || 'post';
}

/** The web app's path of a post, from its title (or, without one, its excerpt) and short id. */
export function postPath(post: { readonly title: string | null; readonly excerpt: string; readonly shortId: string }): {
  slug: string;
  path: string;
} {
  const slug = slugOf(post.title ?? post.excerpt);
  return { slug, path: `/posts/${slug}-${post.shortId}` };
}

/** What a reference to a post names: its id (old links), or its short id (a path's last segment, or the id alone). */
export type PostRef = { readonly id: string } | { readonly shortId: string };

/**
 * Reads a post reference: a UUID, `{anything}-{shortId}` or `{shortId}`; null for anything
 * else. Whatever stands before the short id is ignored, so an old slug still finds the post.
 */
export function parsePostRef(ref: string): PostRef | null {
  if (isUuid(ref)) return { id: ref.toLowerCase() };
  const shortId = ref.slice(ref.lastIndexOf('-') + 1);
  return SHORT_ID.test(shortId) ? { shortId } : null;
}
