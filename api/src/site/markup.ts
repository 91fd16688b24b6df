/**
 * Text into HTML and XML. Everything the site's pages and feeds print comes from people (titles,
 * names, bios, excerpts), so every value goes through `escape`: one function for element text and
 * attribute values alike, in both languages.
 */

/**
 * What XML 1.0 cannot carry at all, not even as a character reference: C0 controls other than
 * tab, newline and carriage return, and the two non-characters. Post text may hold them (the API
 * refuses only NUL there); one of them would make a whole feed unreadable to a feed reader.
 */
// eslint-disable-next-line no-control-regex -- these control characters are the point
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe as element text and as a quoted attribute value, in HTML and in XML. */
export function escape(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * `text` on one line, at most `max` characters (code points): cut at the last word boundary that
 * fits, with an ellipsis, so a title or a description never ends mid-word.
 */
export function summary(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(line);
  if (chars.length <= max) return line;
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}

/** The characters the shell's own markup encodes, decoded (its title and description). */
export function unescape(text: string): string {
  return text
    .replace(/&(lt|gt|quot|#39|apos);/g, (_m, name: string) =>
      name === 'lt' ? '<' : name === 'gt' ? '>' : name === 'quot' ? '"' : "'",
    )
    .replace(/&amp;/g, '&');
}
