import { describe, expect, it } from '@jest/globals';
import { RENDERER_VERSION, renderMarkdown, renderMarkdownBatch, type Rendered } from '@nuell/native';

import { LINK_REL, violations } from './inert.js';

const post = [
  '# Release notes',
  '',
  'We shipped **v2** today, see www.example.com/blog.',
  '',
  '| Feature | Status |',
  '|---|:-:|',
  '| Search | done |',
  '',
  '```js',
  "console.log('<hi>')",
  '```',
  '',
  '- [x] tables',
  '- [ ] ~~nothing~~',
].join('\n');

describe('where posts are shown', () => {
  const site = { siteUrl: 'https://example.com', mediaPath: '/media/' };
  const markdown = [
    '![out](https://example.com/cp/logout) ![media](https://example.com/media/a.webp)',
    '<img src="http://EXAMPLE.com/api/v1/auth/logout"> ![elsewhere](https://images.example.org/a.png)',
    '[a link to the panel](https://example.com/cp)',
  ].join('\n\n');

  it("keeps images from the site's own host only under its media path, and every link", async () => {
    for (const rendered of [renderMarkdown(markdown, site), (await renderMarkdownBatch([markdown], site))[0]!]) {
      const sources = [...rendered.html.matchAll(/<img src="([^"]*)"/g)].map((m) => m[1]);
      expect(sources).toEqual(['https://example.com/media/a.webp', 'https://images.example.org/a.png']);
      expect(rendered.html).toContain('<img alt="out">');
      expect(rendered.html).toContain('<a href="https://example.com/cp"');
    }
    // Without a site, a post is judged as if shown anywhere.
    expect(renderMarkdown(markdown).html).toContain('src="https://example.com/cp/logout"');
  });

  it('refuses options that name no site', async () => {
    expect(() => renderMarkdown('x', { siteUrl: 'not a url', mediaPath: '/media/' })).toThrow(/siteUrl/);
    await expect(renderMarkdownBatch(['x'], { siteUrl: 'https://example.com', mediaPath: 'media' })).rejects.toThrow(
      /mediaPath/,
    );
  });
});

describe('renderMarkdown', () => {
  it('returns what the API stores: html, excerpt, wordCount and readingTimeMinutes', () => {
    const rendered: Rendered = renderMarkdown(post);
    expect(Object.keys(rendered).sort()).toEqual(['excerpt', 'html', 'readingTimeMinutes', 'wordCount']);
    expect(rendered.html).toContain('<h1>Release notes</h1>');
    expect(rendered.html).toContain(`<a href="http://www.example.com/blog" rel="${LINK_REL}">www.example.com/blog</a>`);
    expect(rendered.html).toContain('<th align="center">Status</th>');
    expect(rendered.html).toContain(
      '<pre tabindex="0" role="group" aria-label="Code"><code class="language-js">console.log(\'&lt;hi&gt;\')',
    );
    expect(rendered.html).toContain('<input disabled="" type="checkbox" checked="" aria-label="Completed task">');
    expect(rendered.html).toContain('<del>nothing</del>');
    expect(violations(rendered.html)).toEqual([]);
    expect(rendered.excerpt).toBe(
      "Release notes We shipped v2 today, see www.example.com/blog. Feature Status Search done console.log('<hi>') tables nothing",
    );
    expect(rendered.wordCount).toBe(15);
    expect(rendered.readingTimeMinutes).toBe(1);
  });

  it('handles empty input with a one-minute reading time', () => {
    expect(renderMarkdown('')).toEqual({ html: '', excerpt: '', wordCount: 0, readingTimeMinutes: 1 });
  });

  it('rounds reading time up at 200 words per minute', () => {
    expect(renderMarkdown('word '.repeat(200)).readingTimeMinutes).toBe(1);
    expect(renderMarkdown('word '.repeat(201)).readingTimeMinutes).toBe(2);
  });

  it('cuts the excerpt at a word boundary within 200 characters, counting characters not bytes', () => {
    const { excerpt } = renderMarkdown(`# Ünïcödé 😀\n\n${'naïve café '.repeat(100)}`);
    expect([...excerpt].length).toBeLessThanOrEqual(200);
    expect(excerpt.startsWith('Ünïcödé 😀 naïve café')).toBe(true);
    expect(excerpt).toMatch(/(naïve|café)…$/);
  });

  it('keeps a short text whole, on one line, without an ellipsis', () => {
    expect(renderMarkdown('a\n\nb   c').excerpt).toBe('a b c');
  });

  it('drops relative URLs', () => {
    expect(renderMarkdown('[x](/posts/1) ![y](img.png)').html).toBe(
      `<p><a rel="${LINK_REL}">x</a> <img alt="y"></p>\n`,
    );
  });

  it('is deterministic', () => {
    expect(renderMarkdown(post)).toEqual(renderMarkdown(post));
  });

  it('rejects non-string input with an error, not a crash', () => {
    expect(() => renderMarkdown(42 as unknown as string)).toThrow();
  });
});

describe('RENDERER_VERSION', () => {
  it('is a positive integer', () => {
    expect(Number.isInteger(RENDERER_VERSION) && RENDERER_VERSION > 0).toBe(true);
  });
});

describe('renderMarkdownBatch', () => {
  it('resolves to the same results as renderMarkdown, in input order', async () => {
    const sources = Array.from({ length: 300 }, (_, i) => `# Post ${i}\n\n${'text '.repeat(i % 50)}*${i}*`);
    sources.push(post, '', 'x'.repeat(300_000), 'y');
    const batch = await renderMarkdownBatch(sources);
    expect(batch).toEqual(sources.map((s) => renderMarkdown(s)));
  });

  it('resolves an empty batch to an empty array', async () => {
    await expect(renderMarkdownBatch([])).resolves.toEqual([]);
  });

  it('rejects bad input instead of throwing synchronously', async () => {
    await expect(renderMarkdownBatch('nope' as unknown as string[])).rejects.toThrow(TypeError);
    await expect(renderMarkdownBatch(['ok', 7 as unknown as string])).rejects.toThrow();
  });
});
