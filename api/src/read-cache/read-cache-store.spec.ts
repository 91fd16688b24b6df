import { type CachedAnswer, ReadCacheStore } from './read-cache-store.js';

const answer = (body = 'x'): CachedAnswer => ({
  body: Buffer.from(body),
  contentType: 'application/json; charset=utf-8',
  etag: '"e"',
  cacheControl: 'public, no-cache',
  revalidates: true,
});

function store(limits: Partial<{ maxEntries: number; maxBytes: number; ttlMs: number }> = {}, clock = { now: 0 }) {
  return new ReadCacheStore({ maxEntries: 100, maxBytes: 1024 * 1024, ttlMs: 30_000, ...limits }, () => clock.now);
}

describe('ReadCacheStore', () => {
  it('keeps an answer and drops it with any of its tags, and only those', () => {
    const cache = store();
    cache.set('post 1', answer('one'), { tags: ['post:1', 'author:a'] }, cache.generation);
    cache.set('feed', answer('feed'), { tags: ['feed'] }, cache.generation);
    cache.set('profile b', answer('b'), { tags: ['author:b'] }, cache.generation);
    expect(cache.get('post 1')?.body.toString()).toBe('one');

    cache.drop(['feed', 'author:a']);
    expect(cache.get('post 1')).toBeUndefined();
    expect(cache.get('feed')).toBeUndefined();
    expect(cache.get('profile b')?.body.toString()).toBe('b');
    expect(cache.size).toBe(1);
  });

  it('refuses an answer read before one of its tags was dropped, not one whose tags were untouched', () => {
    const cache = store();
    const began = cache.generation;
    cache.drop(['author:a', 'feed']);
    expect(cache.set('post 1', answer(), { tags: ['post:1', 'author:a'] }, began)).toBe(false);
    expect(cache.set('profile b', answer(), { tags: ['author:b'] }, began)).toBe(true);
    // A read that began after the drop is kept.
    expect(cache.set('post 1', answer(), { tags: ['post:1', 'author:a'] }, cache.generation)).toBe(true);
  });

  it('refuses every answer read before a clear', () => {
    const cache = store();
    cache.set('a', answer(), { tags: ['t'] }, cache.generation);
    const began = cache.generation;
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.byteSize).toBe(0);
    expect(cache.set('b', answer(), { tags: ['u'] }, began)).toBe(false);
    expect(cache.set('b', answer(), { tags: ['u'] }, cache.generation)).toBe(true);
  });

  it('refuses a read older than the drops it no longer remembers', () => {
    const cache = store();
    const began = cache.generation;
    for (let i = 0; i < 10_001; i++) cache.drop([`post:${i}`]);
    expect(cache.set('profile', answer(), { tags: ['author:z'] }, began)).toBe(false);
    expect(cache.set('profile', answer(), { tags: ['author:z'] }, cache.generation)).toBe(true);
  });

  it('lets the least recently read go first, by entries and by bytes', () => {
    const cache = store({ maxEntries: 2 });
    cache.set('a', answer(), { tags: [] }, cache.generation);
    cache.set('b', answer(), { tags: [] }, cache.generation);
    cache.get('a');
    cache.set('c', answer(), { tags: [] }, cache.generation);
    expect([cache.get('a'), cache.get('b'), cache.get('c')].map(Boolean)).toEqual([true, false, true]);

    // About 1,000 bytes each (600 of body, the key, the bookkeeping): eight fit in 8 KiB.
    const small = store({ maxBytes: 8 * 1024 });
    for (const key of 'abcdefgh') small.set(key, answer('y'.repeat(600)), { tags: [] }, small.generation);
    expect(small.size).toBe(8);
    small.set('i', answer('y'.repeat(600)), { tags: [] }, small.generation);
    expect(small.size).toBe(8);
    expect(small.byteSize).toBeLessThanOrEqual(8 * 1024);
    expect(small.get('a')).toBeUndefined();
    // An answer too large for its share is not kept at all.
    expect(small.set('huge', answer('z'.repeat(2000)), { tags: [] }, small.generation)).toBe(false);
  });

  it('forgets an answer after its time to live', () => {
    const clock = { now: 0 };
    const cache = store({ ttlMs: 1_000 }, clock);
    cache.set('a', answer(), { tags: ['t'] }, cache.generation);
    clock.now = 999;
    expect(cache.get('a')).toBeDefined();
    clock.now = 1_000;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps a later feed page worth keeping only while the page before it is kept', () => {
    const cache = store();
    cache.set('page 0', answer(), { tags: ['feed'], next: { key: 'page 1', depth: 1 } }, cache.generation);
    expect(cache.pageDepth('page 1')).toBe(1);
    cache.drop(['feed']);
    expect(cache.pageDepth('page 1')).toBeUndefined();
  });
});
