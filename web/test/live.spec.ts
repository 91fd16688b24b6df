import { describe, expect, it } from 'vitest';
import type { Post } from '~/api/client';
import { catchUp, followFeed, mergePosts, parseLiveEvent, type FeedState, type LiveEvent } from '~/utils/live';

const ADA = '019a8f6e-3b1c-7d2e-9f40-5a6b7c8d9e0f';
const BOB = '019a8f6e-3b1c-7d2e-9f40-5a6b7c8d9e10';

/** Post n, published n minutes after 09:00; higher n is newer. */
const post = (n: number, author = ADA): Post =>
  ({
    id: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    author: { id: author, displayName: author === ADA ? 'Ada' : 'Bob' },
    title: `Post ${n}`,
    publishedAt: new Date(Date.UTC(2026, 11, 3, 9, n)).toISOString(),
    createdAt: new Date(Date.UTC(2026, 11, 3, 9, n)).toISOString(),
    updatedAt: new Date(Date.UTC(2026, 11, 3, 9, n)).toISOString(),
  }) as Post;
const ids = (posts: readonly Post[]) => posts.map((p) => Number(p.id.slice(-12)));
const event = (kind: LiveEvent['kind'], n: number | null, author: string | null = ADA, seq = 1): LiveEvent => ({
  seq,
  kind,
  postId: n === null ? null : post(n).id,
  authorId: author,
});
const state = (items: number[], pending: number[] = []): FeedState => ({
  items: items.map((n) => post(n)),
  pending: new Map(pending.map((n) => [post(n).id, ADA])),
});

describe('parseLiveEvent', () => {
  it('reads the stream’s event data and refuses anything else', () => {
    const data = { seq: 7, kind: 'post.created', postId: post(1).id, authorId: ADA, at: '2026-12-03T10:00:00.000Z' };
    expect(parseLiveEvent(JSON.stringify(data))).toEqual(data);
    expect(parseLiveEvent(JSON.stringify({ ...data, kind: 'post.exploded' }))).toBeUndefined();
    expect(parseLiveEvent(JSON.stringify({ ...data, seq: '7' }))).toBeUndefined();
    expect(parseLiveEvent('{not json')).toBeUndefined();
  });
});

describe('mergePosts', () => {
  it('puts new posts in the feed’s order and replaces listed ones where they are', () => {
    const edited = { ...post(3), title: 'Edited' };
    const merged = mergePosts(state([5, 3, 1]).items, [post(6), edited, post(4)], false);
    expect(ids(merged)).toEqual([6, 5, 4, 3, 1]);
    expect(merged[3]!.title).toBe('Edited');
  });

  it('leaves a post older than the last loaded one to the next page, unless the list is complete', () => {
    expect(ids(mergePosts(state([5, 3]).items, [post(1)], false))).toEqual([5, 3]);
    expect(ids(mergePosts(state([5, 3]).items, [post(1)], true))).toEqual([5, 3, 1]);
  });

  it('orders posts published in the same instant by id, newest first', () => {
    const twin = { ...post(9), publishedAt: post(5).publishedAt };
    expect(ids(mergePosts([post(5)], [twin], true))).toEqual([9, 5]);
  });
});

describe('followFeed', () => {
  it('counts others’ new posts once each, without touching the list', () => {
    let feed: FeedState = state([2, 1]);
    feed = followFeed(feed, event('post.created', 3, BOB), ADA);
    feed = followFeed(feed, event('post.created', 4, BOB), ADA);
    feed = followFeed(feed, event('post.created', 4, BOB), ADA);
    expect(feed.pending.size).toBe(2);
    expect(ids(feed.items)).toEqual([2, 1]);
    // Signed out, every new post is someone else's.
    expect(followFeed(state([1]), event('post.created', 2, ADA), null).pending.size).toBe(1);
  });

  it('asks for the reader’s own new post to be read and shown at once', () => {
    const step = followFeed(state([1]), event('post.created', 2, ADA), ADA);
    expect(step.read).toBe(post(2).id);
    expect(step.pending.size).toBe(0);
  });

  it('ignores a post already listed', () => {
    const feed = state([2, 1]);
    expect(followFeed(feed, event('post.created', 2, BOB), ADA)).toBe(feed);
  });

  it('reads an edited post again only when it is listed', () => {
    expect(followFeed(state([2, 1]), event('post.updated', 1), null).read).toBe(post(1).id);
    expect(followFeed(state([2, 1]), event('post.updated', 7), null).read).toBeUndefined();
  });

  it('takes a removed post out of the list and out of the notice', () => {
    expect(ids(followFeed(state([3, 2, 1]), event('post.removed', 2), null).items)).toEqual([3, 1]);
    const offered = followFeed(state([1], [4, 5]), event('post.removed', 5), null);
    expect([...offered.pending.keys()]).toEqual([post(4).id]);
    const unrelated = state([1]);
    expect(followFeed(unrelated, event('post.removed', 9), null)).toBe(unrelated);
  });

  it('takes every post of a removed author out of the list and the notice', () => {
    const feed: FeedState = {
      items: [post(4, BOB), post(3), post(2, BOB), post(1)],
      pending: new Map([
        [post(6).id, BOB],
        [post(5).id, ADA],
      ]),
    };
    const step = followFeed(feed, event('author.removed', null, BOB), null);
    expect(ids(step.items)).toEqual([3, 1]);
    expect([...step.pending.keys()]).toEqual([post(5).id]);
  });

  it('asks for a listed author’s new name, and lets a restored author wait for the next read', () => {
    expect(followFeed(state([1]), event('author.updated', null, ADA), null).rename).toBe(ADA);
    expect(followFeed(state([1]), event('author.updated', null, BOB), null).rename).toBeUndefined();
    const feed = state([1]);
    expect(followFeed(feed, event('author.restored', null, BOB), null)).toBe(feed);
  });
});

describe('catchUp', () => {
  it('offers what is newer than the top, drops what the page covers but lost, replaces the rest', () => {
    const page = [post(6, BOB), post(5), { ...post(4), title: 'Edited' }, post(2)];
    const after = catchUp(state([4, 3, 2, 1]), page, false, null);
    expect([...after.pending.keys()]).toEqual([post(6).id, post(5).id]);
    // 3 is gone (the page reaches below it); 1 is older than the page, so it stays.
    expect(ids(after.items)).toEqual([4, 2, 1]);
    expect(after.items[0]!.title).toBe('Edited');
  });

  it('shows the reader’s own new posts at once', () => {
    const after = catchUp(state([1]), [post(3, BOB), post(2, ADA), post(1)], true, ADA);
    expect([...after.pending.keys()]).toEqual([post(3).id]);
    expect(ids(after.items)).toEqual([2, 1]);
  });

  it('keeps offered posts the page still has, forgets those it does not', () => {
    const after = catchUp(state([1], [3, 2]), [post(3), post(1)], true, null);
    expect([...after.pending.keys()]).toEqual([post(3).id]);
  });

  it('keeps everything offered when more posts are new than a page holds', () => {
    const after = catchUp(state([1], [2]), [post(9), post(8)], false, null);
    expect(new Set(after.pending.keys())).toEqual(new Set([post(2).id, post(9).id, post(8).id]));
    expect(ids(after.items)).toEqual([1]);
  });

  it('offers every post of a feed that was empty', () => {
    const after = catchUp(state([]), [post(2), post(1)], true, null);
    expect(after.pending.size).toBe(2);
    expect(after.items).toEqual([]);
  });

  it('empties a list whose posts are all gone', () => {
    expect(catchUp(state([2, 1]), [], true, null).items).toEqual([]);
  });
});
