// Checks that sanitiser output cannot run script or leave the allowlist.
// Mirrors tests/common/mod.rs so both suites judge output the same way.

import { readFileSync } from 'node:fs';

export const LINK_REL = 'nofollow noopener noreferrer ugc';

/** The elements the sanitiser may let through; the benchmark configures its baseline from it too. */
export const ALLOWED_TAGS = new Set<string>(
  JSON.parse(readFileSync(new URL('../fixtures/allowed-tags.json', import.meta.url), 'utf8')) as string[],
);

const FORBIDDEN_ATTRIBUTES = new Set(['style', 'srcdoc', 'formaction', 'action', 'id', 'name', 'target', 'xlink:href']);
const URL_ATTRIBUTES = new Set(['href', 'src', 'cite', 'data', 'poster']);

interface StartTag {
  name: string;
  attrs: Array<[string, string]>;
}

// html5ever serialises attribute values in double quotes and escapes `<` in
// text, so every `<` followed by a letter starts a tag.
export function startTags(html: string): StartTag[] {
  const tags: StartTag[] = [];
  const tagPattern = /<([a-zA-Z][^\s/>]*)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*\/?>/g;
  const attrPattern = /([^\s=>]+)(?:="([^"]*)")?/g;
  for (const match of html.matchAll(tagPattern)) {
    const attrs: Array<[string, string]> = [];
    for (const attr of (match[2] ?? '').matchAll(attrPattern)) {
      attrs.push([(attr[1] ?? '').toLowerCase(), decodeEntities(attr[2] ?? '')]);
    }
    tags.push({ name: (match[1] ?? '').toLowerCase(), attrs });
  }
  return tags;
}

function decodeEntities(value: string): string {
  return value
    .replaceAll('&quot;', '"')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&nbsp;', '\u00a0')
    .replaceAll('&amp;', '&');
}

// What a browser takes as the scheme: leading whitespace and control
// characters are ignored, tabs and newlines anywhere are dropped.
function urlScheme(url: string): string {
  const cleaned = url.replace(/^[\u0000-\u0020]+/, '').replace(/[\t\n\r]/g, '');
  const match = /^([^:/?#]*):/.exec(cleaned);
  return (match?.[1] ?? '').toLowerCase();
}

/** Every way `html` could run script or leave the allowlist; empty if inert. */
export function violations(html: string): string[] {
  const found: string[] = [];
  const tags = startTags(html);
  const rawTagCount = (html.match(/<[a-zA-Z]/g) ?? []).length;
  if (tags.length !== rawTagCount) found.push(`unparsed tag syntax (${rawTagCount} tags, ${tags.length} parsed)`);
  for (const tag of tags) {
    if (!ALLOWED_TAGS.has(tag.name)) found.push(`element <${tag.name}>`);
    for (const [name, value] of tag.attrs) {
      if (name.startsWith('on') || FORBIDDEN_ATTRIBUTES.has(name)) found.push(`attribute ${name} on <${tag.name}>`);
      if (URL_ATTRIBUTES.has(name) && !['http', 'https', 'mailto'].includes(urlScheme(value))) {
        found.push(`${name}=${JSON.stringify(value)} on <${tag.name}>`);
      }
    }
    if (tag.name === 'a' && !tag.attrs.some(([n, v]) => n === 'rel' && v === LINK_REL)) {
      found.push('<a> without the required rel');
    }
  }
  return found;
}
