import { parseIfMatch } from '../http/etag.js';
import { validated } from '../http/validation.js';
import { UpdateMeDto } from '../users/dto/users.dto.js';
import { CONTROL_OR_FORMAT, NO_NUL, NOT_ONLY_BLANKS, trimmedLink, trimmedName, trimmedText } from './patterns.js';

/** Every code point but the surrogates, which no JSON string can hold alone. */
function* codePoints(): Generator<number> {
  for (let cp = 0; cp <= 0x10ffff; cp++) if (cp < 0xd800 || cp > 0xdfff) yield cp;
}

const accepts = async (displayName: string) =>
  validated(UpdateMeDto, { displayName }).then(
    () => true,
    () => false,
  );

describe('the patterns the OpenAPI document states', () => {
  it('list exactly the control and format characters this JavaScript engine knows', () => {
    const engine = /[\p{Cc}\p{Cf}]/u;
    const listed = (cp: number) => CONTROL_OR_FORMAT.some(([low, high]) => cp >= low && cp <= high);
    const disagreements = [...codePoints()].filter((cp) => engine.test(String.fromCodePoint(cp)) !== listed(cp));
    expect(disagreements.map((cp) => cp.toString(16))).toEqual([]);
  });

  it('accept the display names the API accepts, and no other', async () => {
    const pattern = new RegExp(trimmedName(80), 'u');
    const names = [
      '',
      ' ',
      '\t\n',
      'a',
      ' Ada ',
      '\tAda\r\n',
      '\ufeffAda\ufeff',
      'Ada\tKing',
      'Ada\u200bKing',
      'Ada\u0085',
      'Ada \u3000',
      'A'.repeat(80),
      'A'.repeat(81),
      ` ${'A'.repeat(80)}\u2028`,
      '𝒜'.repeat(80),
      'Ada\u{e0001}',
      'Ada\u{110bd}x',
      '\u00a0',
    ];
    for (let cp = 0; cp < 0x3100; cp++) names.push(`a${String.fromCodePoint(cp)}b`, String.fromCodePoint(cp));
    const disagreements: string[] = [];
    for (const name of names) {
      if (pattern.test(name) !== (await accepts(name))) disagreements.push(JSON.stringify(name));
    }
    expect(disagreements).toEqual([]);
  });

  it('accept the bios and links the API accepts, and no other', async () => {
    const accepted = (body: Record<string, string>) =>
      validated(UpdateMeDto, body).then(
        () => true,
        () => false,
      );
    const bio = new RegExp(trimmedText(280), 'u');
    const bios = ['', ' ', 'a', ' two\nlines ', 'a\r\nb', 'b'.repeat(280), ` ${'b'.repeat(280)}\n`, 'b'.repeat(281)];
    bios.push('😀'.repeat(280), '😀'.repeat(281));
    for (let cp = 0; cp < 0x3100; cp++) bios.push(`a${String.fromCodePoint(cp)}b`, String.fromCodePoint(cp));
    const link = new RegExp(trimmedLink(200), 'u');
    const links = [
      '',
      ' ',
      'https://example.com',
      ' http://a.b/c?d#e ',
      'ftp://example.com',
      'https://',
      'example.com',
    ];
    links.push(`https://${'a'.repeat(192)}`, `https://${'a'.repeat(193)}`, `http://${'a'.repeat(193)}`);
    for (let cp = 0; cp < 0x3100; cp++) links.push(`https://a${String.fromCodePoint(cp)}b.example`);
    const disagreements: string[] = [];
    for (const text of bios) {
      if (bio.test(text) !== (await accepted({ bio: text }))) disagreements.push(`bio ${JSON.stringify(text)}`);
    }
    for (const text of links) {
      // The API also asks a URL parser; the pattern is the shape, so only the shape may disagree with it.
      const api = await accepted({ link: text });
      if (link.test(text) !== api && (api || URL.canParse(text.trim())))
        disagreements.push(`link ${JSON.stringify(text)}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('refuse post content that is blank or holds NUL, as the API does', () => {
    const pattern = new RegExp(NOT_ONLY_BLANKS, 'u');
    const api = (content: string) => content.trim() !== '' && !content.includes('\0');
    const contents = ['', ' ', '\0', 'a\0', ' \n\ufeff', ' a ', 'a\u200b'];
    for (const cp of codePoints()) contents.push(` ${String.fromCodePoint(cp)}\t`);
    expect(contents.filter((content) => pattern.test(content) !== api(content)).map((c) => JSON.stringify(c))).toEqual(
      [],
    );
    expect(new RegExp(NO_NUL, 'u').test('a\0b')).toBe(false);
  });

  it('take If-Match as RFC 9110 lists entity tags: commas inside tags, empty elements', () => {
    expect(parseIfMatch('"1", , "2",')).toEqual({ versions: [1, 2] });
    expect(parseIfMatch('"a,b", W/"3", "4"')).toEqual({ versions: [4] });
    expect(parseIfMatch('*')).toEqual({ any: true });
    for (const malformed of ['', ',', '"1" "2"', '*, "1"', '"1', 'W/"1"x']) {
      expect(() => parseIfMatch(malformed)).toThrow(/If-Match must be/);
    }
  });
});
