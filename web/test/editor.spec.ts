import { registerEndpoint } from '@nuxt/test-utils/runtime';
import { readBody } from 'h3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick, ref } from 'vue';
import { readDraft, useDraft } from '~/composables/useDraft';
import { usePreview } from '~/composables/usePreview';

beforeEach(() => localStorage.clear());

describe('drafts', () => {
  it('are saved on every change and come back in a new editor (a reload)', async () => {
    const first = useDraft('new', () => ({ title: '', content: '', base: null }));
    first.content.value = '# Half';
    await nextTick();
    first.content.value = '# Half a thought';
    await nextTick();
    expect(readDraft('new')?.content).toBe('# Half a thought');

    const second = useDraft('new', () => ({ title: '', content: '', base: null }));
    expect(second.content.value).toBe('# Half a thought');
    expect(second.restored.value).toBe(true);
  });

  it('of an edit are kept apart from new posts, and cleared once published', async () => {
    const edit = useDraft('post:1', () => ({
      title: 'Published',
      content: 'as published',
      base: '2026-11-23T09:30:00.000Z',
    }));
    expect(edit.content.value).toBe('as published');
    expect(edit.restored.value).toBe(false);
    edit.content.value = 'changed';
    await nextTick();
    expect(readDraft('post:1')).toMatchObject({ content: 'changed', base: '2026-11-23T09:30:00.000Z' });
    expect(readDraft('new')).toBeNull();
    edit.clear();
    expect(readDraft('post:1')).toBeNull();
  });
});

describe('the live preview', () => {
  let calls: string[] = [];
  /** Answers the test holds back until it releases them, by the text they render. */
  let held = new Map<string, Promise<void>>();
  beforeEach(() => {
    calls = [];
    held = new Map();
    registerEndpoint('/api/v1/posts/preview', {
      method: 'POST',
      handler: async (event) => {
        const body = await readBody<{ content: string } | string>(event);
        const { content } = typeof body === 'string' ? (JSON.parse(body) as { content: string }) : body;
        calls.push(content);
        if (content === 'too many') {
          event.node.res.statusCode = 429;
          event.node.res.setHeader('retry-after', '30');
          return { type: 'about:blank', title: 'Too Many Requests', status: 429 };
        }
        await held.get(content);
        return { contentHtml: `<p>${content}</p>`, excerpt: content, wordCount: 1, readingTimeMinutes: 1 };
      },
    });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Holds the answer for `text` until the returned function is called. */
  function hold(text: string): () => void {
    let release!: () => void;
    held.set(text, new Promise((resolve) => (release = resolve)));
    return release;
  }

  it('waits for a pause in typing and sends only the latest text', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const content = ref('');
    const preview = usePreview(content, { delayMs: 30 });
    for (const text of ['a', 'ab', 'abc']) {
      content.value = text;
      await nextTick();
      vi.advanceTimersByTime(20); // typing on, before the pause the preview waits for
    }
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(10); // 30 ms since the last key
    vi.useRealTimers();
    await vi.waitFor(() => expect(preview.rendered.value?.contentHtml).toBe('<p>abc</p>'));
    expect(calls).toEqual(['abc']);
  });

  it('drops an answer that arrives after a newer one was asked for', async () => {
    const content = ref('first');
    const preview = usePreview(content, { delayMs: 0, enabled: ref(false) });
    const releaseFirst = hold('first');
    const first = preview.renderNow();
    await vi.waitFor(() => expect(calls).toEqual(['first']));
    content.value = 'second';
    await preview.renderNow(); // asked for later, answered first
    expect(preview.rendered.value?.contentHtml).toBe('<p>second</p>');

    releaseFirst();
    await first; // the late answer has arrived and been handled
    expect(calls).toEqual(['first', 'second']);
    expect(preview.rendered.value?.contentHtml).toBe('<p>second</p>');
  });

  it('reports a 429 with its wait instead of an error', async () => {
    const content = ref('too many');
    const preview = usePreview(content, { delayMs: 0 });
    await vi.waitFor(() => expect(preview.problem.value?.status).toBe(429));
    expect(preview.problem.value?.retryAfter).toBe(30);
    expect(preview.pending.value).toBe(false);
  });
});

// The toolbar's commands and the editor's keys: markdown-commands.spec.ts.
