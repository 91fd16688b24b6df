/**
 * The tab's one connection to the change stream (useLiveEvents), with a stand-in EventSource:
 * shared by its subscribers, positioned by `ready`, and resumed with `?lastEventId=` after the API
 * refused a stream or the tab was out of sight.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveEvent } from '~/utils/live';

class FakeSource extends EventTarget {
  static CLOSED = 2;
  static all: FakeSource[] = [];
  readyState = 0;
  onerror: (() => void) | null = null;
  onopen: (() => void) | null = null;
  constructor(readonly url: string) {
    super();
    FakeSource.all.push(this);
  }
  close(): void {
    this.readyState = FakeSource.CLOSED;
  }
  send(type: string, id: number, data: unknown = {}): void {
    this.dispatchEvent(new MessageEvent(type, { data: JSON.stringify(data), lastEventId: String(id) }));
  }
  change(seq: number, kind: LiveEvent['kind'] = 'post.created'): void {
    this.send(kind, seq, { seq, kind, postId: `post-${seq}`, authorId: 'a', at: '2026-12-03T10:00:00.000Z' });
  }
  refuse(): void {
    this.readyState = FakeSource.CLOSED;
    this.onerror?.();
  }
}

let visibility: DocumentVisibilityState = 'visible';
/** Each test's subscriptions end with it (earlier tests' modules still hear visibilitychange). */
let leaving: (() => void)[] = [];

beforeEach(() => {
  vi.useFakeTimers();
  vi.resetModules();
  FakeSource.all = [];
  visibility = 'visible';
  vi.stubGlobal('EventSource', FakeSource);
  vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
});
afterEach(() => {
  leaving.forEach((leave) => leave());
  leaving = [];
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function recorder() {
  const seen: (number | 'reset')[] = [];
  return { seen, change: (e: LiveEvent) => seen.push(e.seq), reset: () => seen.push('reset') };
}

async function live() {
  const module = await import('~/composables/useLiveEvents');
  const subscribeLive: typeof module.subscribeLive = (...args) => {
    const leave = module.subscribeLive(...args);
    leaving.push(leave);
    return leave;
  };
  return { ...module, subscribeLive };
}

describe('useLiveEvents', () => {
  it('opens one stream for every subscriber and tells each to read once the position is known', async () => {
    const { subscribeLive } = await live();
    const feed = recorder();
    const post = recorder();
    subscribeLive(feed);
    subscribeLive(post);
    expect(FakeSource.all.map((s) => s.url)).toEqual(['/api/v1/posts/stream']);
    const [source] = FakeSource.all;
    source!.send('ready', 41, { seq: 41 });
    source!.change(42);
    source!.change(42); // a duplicate is dropped
    source!.change(43, 'post.removed');
    expect(feed.seen).toEqual(['reset', 42, 43]);
    expect(post.seen).toEqual(['reset', 42, 43]);
  });

  it('closes a while after the last subscriber leaves, not between two pages', async () => {
    const { subscribeLive } = await live();
    const leave = subscribeLive(recorder());
    FakeSource.all[0]!.send('ready', 1);
    leave();
    vi.advanceTimersByTime(5_000);
    subscribeLive(recorder())();
    expect(FakeSource.all).toHaveLength(1);
    expect(FakeSource.all[0]!.readyState).not.toBe(FakeSource.CLOSED);
    vi.advanceTimersByTime(10_000);
    expect(FakeSource.all[0]!.readyState).toBe(FakeSource.CLOSED);
  });

  it('tells a subscriber that comes later to read again, and resumes a closed stream from the last event', async () => {
    const { subscribeLive } = await live();
    const leave = subscribeLive(recorder());
    const source = FakeSource.all[0]!;
    source.send('ready', 10);
    source.change(11);
    leave();
    vi.advanceTimersByTime(10_000); // closed
    const back = recorder();
    subscribeLive(back);
    await Promise.resolve();
    expect(back.seen).toEqual(['reset']);
    expect(FakeSource.all[1]!.url).toBe('/api/v1/posts/stream?lastEventId=11');
    FakeSource.all[1]!.change(11); // already heard
    FakeSource.all[1]!.change(12);
    expect(back.seen).toEqual(['reset', 12]);
  });

  it('tells everyone to read again on the stream’s reset, and goes on from its position', async () => {
    const { subscribeLive } = await live();
    const feed = recorder();
    subscribeLive(feed);
    const source = FakeSource.all[0]!;
    source.send('ready', 3);
    source.send('reset', 900);
    source.change(900); // the reset's position: nothing new
    source.change(901);
    expect(feed.seen).toEqual(['reset', 'reset', 901]);
  });

  it('opens again after a pause when the API refuses a stream, from the last position', async () => {
    const { subscribeLive } = await live();
    subscribeLive(recorder());
    FakeSource.all[0]!.send('ready', 7);
    FakeSource.all[0]!.refuse();
    vi.advanceTimersByTime(2_999);
    expect(FakeSource.all).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSource.all[1]!.url).toBe('/api/v1/posts/stream?lastEventId=7');
    FakeSource.all[1]!.refuse();
    vi.advanceTimersByTime(9_999);
    expect(FakeSource.all).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeSource.all).toHaveLength(3);
  });

  it('lets go after minutes out of sight and resumes when the tab is seen again', async () => {
    const { subscribeLive } = await live();
    subscribeLive(recorder());
    FakeSource.all[0]!.send('ready', 5);
    FakeSource.all[0]!.change(6);
    visibility = 'hidden';
    document.dispatchEvent(new Event('visibilitychange'));
    vi.advanceTimersByTime(60_000);
    expect(FakeSource.all[0]!.readyState).not.toBe(FakeSource.CLOSED);
    vi.advanceTimersByTime(5 * 60_000);
    expect(FakeSource.all[0]!.readyState).toBe(FakeSource.CLOSED);
    visibility = 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
    expect(FakeSource.all[1]!.url).toBe('/api/v1/posts/stream?lastEventId=6');
  });
});
