import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';
import { renderMarkdown, renderMarkdownBatch } from '@nuell/native';

import { LINK_REL, startTags, violations } from './inert.js';

interface Payload {
  name: string;
  markdown: string;
}

const payloads: Payload[] = JSON.parse(readFileSync(new URL('../fixtures/xss-payloads.json', import.meta.url), 'utf8'));

describe('the inertness checker', () => {
  // A checker that passes everything would make every test below worthless.
  it.each([
    '<script>alert(1)</script>',
    '<img src="x" onerror="alert(1)">',
    `<a href="javascript:alert(1)" rel="${LINK_REL}">x</a>`,
    `<a href="\tjava\tscript:alert(1)" rel="${LINK_REL}">x</a>`,
    '<img src="data:text/html,x">',
    `<a href="/relative" rel="${LINK_REL}">x</a>`,
    '<p style="color:red">x</p>',
    '<a href="https://example.com">no rel</a>',
    '<iframe srcdoc="x"></iframe>',
    '<p><img src=x onerror=alert(1)></p>',
  ])('flags %s', (html) => {
    expect(violations(html)).not.toEqual([]);
  });

  it('accepts clean output', () => {
    expect(violations(`<p><a href="https://x.example/?a=1&amp;b" rel="${LINK_REL}">x</a></p>`)).toEqual([]);
  });
});

describe('XSS payloads render inert', () => {
  it('has at least 300 payloads', () => {
    expect(payloads.length).toBeGreaterThanOrEqual(300);
  });

  it.each(payloads.map((p) => [p.name, p.markdown] as const))('%s', async (_name, markdown) => {
    const { html } = renderMarkdown(markdown);
    expect(violations(html)).toEqual([]);
    // Text escapes `<`, so any of these would be a real element.
    expect(html).not.toMatch(/<(script|style|iframe|object|embed|form|base|meta|link|svg|math)\b/i);
    // Tags only, attribute values blanked: text inside a value is not an attribute.
    const tags = (html.replace(/="[^"]*"/g, '=""').match(/<[a-zA-Z][^>]*>/g) ?? []).join(' ');
    expect(tags).not.toMatch(/\s(on[a-z]*|style|srcdoc|formaction|action)=/i);
    const urls = startTags(html).flatMap((t) => t.attrs.filter(([n]) => n === 'href' || n === 'src').map(([, v]) => v));
    for (const url of urls) expect(url).toMatch(/^(https?:\/\/|mailto:)/i);
    // The batch path (libuv threads) produces the same bytes.
    const [batched] = await renderMarkdownBatch([markdown]);
    expect(batched?.html).toBe(html);
  });
});

describe('specific outcomes', () => {
  it.each([
    '[click](javascript:alert(1))',
    '[click](JaVaScRiPt:alert(1))',
    '[click](java&#9;script:alert(1))',
    '[click][x]\n\n[x]: javascript:alert(1)',
    '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  ])('%j keeps its text but loses its target', (markdown) => {
    expect(renderMarkdown(markdown).html).toBe(`<p><a rel="${LINK_REL}">click</a></p>\n`);
  });

  it('removes script and style content rather than showing it', () => {
    const { html, excerpt } = renderMarkdown("before <script>alert('x')</script> <style>p{}</style> after");
    expect(html).not.toMatch(/alert|p\{\}/);
    expect(html).toMatch(/before/);
    expect(excerpt).toBe('before after');
  });

  it('turns any raw input into a checkbox without handlers', () => {
    expect(renderMarkdown('<input type=text autofocus onfocus=alert(1) value=x>').html).toBe(
      '<input type="checkbox" disabled="" aria-label="Open task">',
    );
  });
});
