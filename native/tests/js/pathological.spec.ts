// Hostile input must neither crash the process (a stack overflow would abort
// Node, not throw) nor produce unbounded output, on the main thread and on
// the libuv threads that run batches. Speed is measured by the benchmark.
import { describe, expect, it } from '@jest/globals';
import { renderMarkdown, renderMarkdownBatch } from '@nuell/native';

import { violations } from './inert.js';

const n = 100_000;
const cases: Array<[string, string]> = [
  ['100,000 nested blockquotes', '>'.repeat(n) + ' deep'],
  ['100,000 nested brackets', '['.repeat(n) + 'x'],
  ['100,000 unclosed links', '[a]('.repeat(n)],
  ['long star runs', '*'.repeat(n) + 'x' + '*'.repeat(n)],
  ['mixed delimiter runs', '***_~~'.repeat(n / 2)],
  ['a backtick run', '`'.repeat(n) + 'x'],
  ['a backtick ladder', Array.from({ length: 999 }, (_, i) => '`'.repeat(i + 1) + 'a').join('')],
  ['1 MB in one line', 'word '.repeat(200_000)],
  ['1 MB in one word', 'a'.repeat(1_000_000)],
  ['100,000 nested list markers', '- '.repeat(n) + 'x'],
  ['1,000 indented nested lists', Array.from({ length: 1000 }, (_, i) => ' '.repeat(2 * i) + '- x\n').join('')],
  ['100,000 raw <div> opened', '<div>'.repeat(n)],
  ['100,000 raw <b> opened', '<b>'.repeat(n)],
  ['100,000 raw <b> in paragraphs', 'x <b>a\n\n'.repeat(n)],
  [
    '20,000 distinct raw <b x=N> then paragraphs',
    Array.from({ length: 20_000 }, (_, i) => `<b x=${i}>`).join('') + 'a\n\n'.repeat(20_000),
  ],
  ['raw nested svg', '<svg><g>'.repeat(n / 2)],
  ['an unterminated comment', '<!--' + '<div>'.repeat(n)],
  ['almost-autolinks', '(http://a.b_'.repeat(n)],
  ['1 MB of `& ` in a paragraph', '& '.repeat(500_000)],
  ['1 MB of `&x;` in a code block', '```\n' + '&x;'.repeat(333_333) + '\n```'],
];

describe('pathological input', () => {
  it.each(cases)('%s renders on the main thread', (_name, input) => {
    const rendered = renderMarkdown(input);
    expect(rendered.html.length).toBeLessThanOrEqual(16 * input.length + 1024);
    expect([...rendered.excerpt].length).toBeLessThanOrEqual(200);
    expect(violations(rendered.html)).toEqual([]);
  });

  it('all render on libuv threads in one batch, matching the main thread', async () => {
    const inputs = cases.map(([, input]) => input);
    const batch = await renderMarkdownBatch(inputs);
    expect(batch.length).toBe(inputs.length);
    batch.forEach((rendered, i) => expect(rendered.html).toBe(renderMarkdown(inputs[i] ?? '').html));
  });

  it('flattens deep nesting instead of dropping content', () => {
    const { html, excerpt } = renderMarkdown('>'.repeat(n) + ' deep');
    expect(html.match(/<blockquote>/g)?.length).toBe(32);
    expect(excerpt).toBe('deep');
  });
});
