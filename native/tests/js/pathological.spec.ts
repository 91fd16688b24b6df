// Hostile input must neither crash the process (a stack overflow would abort
// Node, not throw) nor produce unbounded output, on the main thread and on
// the libuv threads that run batches. Speed is measured by the benchmark.
import { describe, expect, it } from '@jest/globals';
import { renderMarkdown, renderMarkdownBatch } from '@nuell/native';

import { violations } from './inert.js';
import { PATHOLOGICAL_INPUTS } from './pathological-inputs.mjs';

const n = 100_000;
const cases = [...PATHOLOGICAL_INPUTS];

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
