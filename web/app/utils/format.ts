/** Dates and numbers as people read them, in the browser's language. */
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "3 minutes ago", "yesterday", "just now". */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

/** "25 November 2026, 13:05" */
export function fullDate(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeStyle: 'short' }).format(new Date(iso));
}

/** "November 2026" */
export function monthYear(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' }).format(new Date(iso));
}

export function count(n: number, one: string, many = `${one}s`): string {
  return `${new Intl.NumberFormat().format(n)} ${n === 1 ? one : many}`;
}

/** Characters as the server counts them (Unicode code points). */
export function characterCount(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

const HEADING_MAX = 80;

/**
 * What a post is called where a title is shown (a card, the tab, the post's heading) and the text
 * that follows it. Posts from before titles existed have none: their heading is the start of their
 * excerpt, cut at a word, and the rest of the excerpt follows it.
 */
export function headingOf(post: { title: string | null; excerpt: string }): { heading: string; rest: string } {
  if (post.title) return { heading: post.title, rest: post.excerpt };
  const text = post.excerpt.trim();
  if (text === '') return { heading: 'Untitled post', rest: '' };
  const chars = Array.from(text);
  if (chars.length <= HEADING_MAX) return { heading: text, rest: '' };
  const start = chars.slice(0, HEADING_MAX).join('');
  const cut = start.lastIndexOf(' ') > HEADING_MAX / 2 ? start.lastIndexOf(' ') : start.length;
  return { heading: `${start.slice(0, cut).trimEnd()}…`, rest: `…${text.slice(cut).trimStart()}` };
}

/** When a post went public: its first publication (older posts: when they were written). */
export function publishedOf(post: { publishedAt: string | null; createdAt: string }): string {
  return post.publishedAt ?? post.createdAt;
}

/**
 * Changed after it went public. Publishing a draft stamps both times in the same moment, give or
 * take the clock's tick, so a second's difference is not an edit.
 */
export function wasEdited(post: { publishedAt: string | null; createdAt: string; updatedAt: string }): boolean {
  return Date.parse(post.updatedAt) - Date.parse(publishedOf(post)) > 1000;
}
