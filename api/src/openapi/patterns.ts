/**
 * JSON Schema patterns for the rules the API enforces on text, so that the OpenAPI document
 * refuses exactly what the API refuses. JSON Schema patterns are ECMA-262 regular expressions, but
 * clients and testers check them with other engines (Python's, Rust's), whose `\s` differs from
 * JavaScript's: the blanks are therefore spelled out. Each pattern can be matched in linear time by
 * a backtracking engine, since a post may be long.
 */

/** What `String.prototype.trim()` removes: ECMA-262's WhiteSpace and LineTerminator characters. */
const BLANK = '\\t\\n\\u000b\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';

/** No NUL character (U+0000), which the API refuses in every body, query and path string. */
export const NO_NUL = '^[^\\u0000]*$';

/** Not only blanks, and no NUL. */
export const NOT_ONLY_BLANKS = `^[${BLANK}]*[^\\u0000${BLANK}][^\\u0000]*$`;

/**
 * Unicode's control (Cc) and format (Cf) characters, the `\\p{Cc}\\p{Cf}` that display names may
 * not contain, as ranges: testers' regular expression engines (Python's) know no `\\p{Cf}`.
 * patterns.spec.ts checks them against the JavaScript engine's own, which is what the API uses.
 */
export const CONTROL_OR_FORMAT: readonly (readonly [number, number])[] = [
  [0x0, 0x1f],
  [0x7f, 0x9f],
  [0xad, 0xad],
  [0x600, 0x605],
  [0x61c, 0x61c],
  [0x6dd, 0x6dd],
  [0x70f, 0x70f],
  [0x890, 0x891],
  [0x8e2, 0x8e2],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x2064],
  [0x2066, 0x206f],
  [0xfeff, 0xfeff],
  [0xfff9, 0xfffb],
  [0x110bd, 0x110bd],
  [0x110cd, 0x110cd],
  [0x13430, 0x1343f],
  [0x1bca0, 0x1bca3],
  [0x1d173, 0x1d17a],
  [0xe0001, 0xe0001],
  [0xe0020, 0xe007f],
];

/**
 * Code points for a character class: `\\uXXXX` in the BMP, and the character itself beyond it,
 * since ECMA-262, Python and Rust share no escape for those.
 */
function classChars(ranges: readonly (readonly [number, number])[]): string {
  const char = (cp: number) => (cp > 0xffff ? String.fromCodePoint(cp) : `\\u${cp.toString(16).padStart(4, '0')}`);
  return ranges.map(([low, high]) => (low === high ? char(low) : `${char(low)}-${char(high)}`)).join('');
}

/**
 * A name that, once trimmed, is 1 to `max` (at least 2) characters with no control or format
 * character. Blanks around it are trimmed away, so they are allowed, and the pattern, not
 * maxLength, bounds the length.
 */
export function trimmedName(max: number): string {
  const hidden = classChars(CONTROL_OR_FORMAT);
  const inner = `[^${hidden}]`;
  const edge = `[^${hidden}${BLANK}]`;
  return `^[${BLANK}]*${edge}(?:${inner}{0,${max - 2}}${edge})?[${BLANK}]*$`;
}

/**
 * Plain text that, once trimmed, is at most `max` (at least 2) characters with no control or
 * format character but line feeds, or nothing at all (blanks only: the text is removed).
 */
export function trimmedText(max: number): string {
  const hidden = classChars(CONTROL_OR_FORMAT);
  const hiddenButNewline = classChars(
    CONTROL_OR_FORMAT.flatMap(([low, high]): (readonly [number, number])[] =>
      low <= 0x0a && high >= 0x0a
        ? [...(low < 0x0a ? [[low, 0x09] as const] : []), ...(high > 0x0a ? [[0x0b, high] as const] : [])]
        : [[low, high]],
    ),
  );
  const inner = `[^${hiddenButNewline}]`;
  const edge = `[^${hidden}${BLANK}]`;
  return `^[${BLANK}]*(?:${edge}(?:${inner}{0,${max - 2}}${edge})?)?[${BLANK}]*$`;
}

/**
 * An absolute http:// or https:// address of at most `max` characters once trimmed, with no
 * blank, control or format character; or nothing at all (blanks only: the address is removed).
 */
export function trimmedLink(max: number): string {
  const char = `[^${classChars(CONTROL_OR_FORMAT)}${BLANK}]`;
  return `^[${BLANK}]*(?:http://${char}{1,${max - 7}}|https://${char}{1,${max - 8}})?[${BLANK}]*$`;
}
