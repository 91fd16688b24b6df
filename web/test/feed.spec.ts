import { registerEndpoint } from '@nuxt/test-utils/runtime';
import { getQuery } from 'h3';
import { beforeEach, describe, expect, it } from 'vitest';
import { placeKey, useFeed } from '~/composables/useFeed';

const post = (n: number) => ({
  id: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
  author: { id: '019a8f6e-3b1c-7d2e-9f40-5a6b7c8d9e0f', displayName: 'Ada' },
  content: `post ${n}`,
  contentHtml: `<p>post ${n}</p>`,
  excerpt: `post ${n}`,
  wordCount: 2,
  readingTimeMinutes: 1,
  createdAt: '2026-11-23T09:30:00.000Z',
  updatedAt: '2026-11-23T09:30:00.000Z',
});

/** Five posts, newest (5) first, two a page; the cursor is the last id seen. */
const ALL = [5, 4, 3, 2, 1].map(post);
let requests: Record<string, unknown>[] = [];
let failNext = false;

beforeEach(() => {
  requests = [];
  failNext = false;
  registerEndpoint('/api/v1/posts', {
    method: 'GET',
    handler: async (event) => {
      const query = getQuery(event);
      requests.push(query);
      await new Promise((r) => setTimeout(r, 10));
      if (failNext) {
        failNext = false;
        event.node.res.statusCode = 503;
        return { type: 'about:blank', title: 'Service Unavailable', status: 503 };
      }
      const start = query.cursor ? ALL.findIndex((p) => p.id === query.cursor) + 1 : 0;
      const items = ALL.slice(start, start + Number(query.limit));
      const more = start + items.length < ALL.length;
      return { items, nextCursor: more ? items.at(-1)!.id : null };
    },
  });
});

describe('useFeed', () => {
  it('pages through the cursor, newest first, and stops at the last page', async () => {
    const feed = useFeed({ pageSize: 2 });
    await feed.more();
    await feed.more();
    await feed.more();
    expect(feed.items.value.map((p) => p.content)).toEqual(['post 5', 'post 4', 'post 3', 'post 2', 'post 1']);
    expect(feed.done.value).toBe(true);
    await feed.more();
    expect(requests).toHaveLength(3);
    expect(requests[1]).toMatchObject({ cursor: ALL[1]!.id, limit: '2' });
  });

  it('fetches one page when asked twice at once (scroll sentinel and button)', async () => {
    const feed = useFeed({ pageSize: 2 });
    await Promise.all([feed.more(), feed.more()]);
    expect(requests).toHaveLength(1);
    expect(feed.items.value).toHaveLength(2);
  });

  it('keeps what it has on an error and retries the same page', async () => {
    const feed = useFeed({ pageSize: 2 });
    await feed.more();
    failNext = true;
    await feed.more();
    expect(feed.error.value?.status).toBe(503);
    expect(feed.items.value).toHaveLength(2);
    await feed.more(); // nothing while the error stands
    expect(requests).toHaveLength(2);
    await feed.retry();
    expect(feed.error.value).toBeNull();
    expect(feed.items.value.map((p) => p.content)).toEqual(['post 5', 'post 4', 'post 3', 'post 2']);
  });

  it('asks for one author only when given one', async () => {
    const feed = useFeed({ author: '019a8f6e-3b1c-7d2e-9f40-5a6b7c8d9e0f' });
    await feed.more();
    expect(requests[0]).toMatchObject({ author: '019a8f6e-3b1c-7d2e-9f40-5a6b7c8d9e0f', limit: '20' });
  });

  it('comes back as the reader left it on Back (same history entry), and afresh on a new visit', async () => {
    const place = placeKey('feed');
    const first = useFeed({ pageSize: 2, place });
    await first.more();
    await first.more();
    first.leave(); // the reader opens a post

    expect(placeKey('feed')).toBe(place); // Back: the same history entry
    const back = useFeed({ pageSize: 2, place });
    expect(back.restored).toBe(true);
    expect(back.items.value.map((p) => p.content)).toEqual(['post 5', 'post 4', 'post 3', 'post 2']);
    await back.more(); // and it goes on from where it was
    expect(back.items.value).toHaveLength(5);
    expect(requests).toHaveLength(3);

    history.pushState({}, ''); // a new visit (a link to the feed) is a new entry
    const fresh = useFeed({ pageSize: 2, place: placeKey('feed') });
    expect(fresh.restored).toBe(false);
    expect(fresh.items.value).toEqual([]);
  });
});
