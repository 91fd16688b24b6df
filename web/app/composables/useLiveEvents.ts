/**
 * The tab's one connection to the API's change stream, `GET /api/v1/posts/stream` (Server-Sent
 * Events through the browser's EventSource), shared by whatever shows something live: the feed's
 * "new posts" notice (`useLiveFeed`, below) and an open post (PostLive). The feed imports this
 * module once its first page is shown, so the first page's own JavaScript does not wait for it.
 *
 * - Open while a subscriber is there; kept a few seconds after the last one leaves, so going from
 *   the feed to a post and back keeps it; let go after a few minutes out of sight
 *   (`document.visibilityState`), and opened again when the tab is seen.
 * - After a dropped connection the browser reconnects by itself and sends `Last-Event-ID`: the
 *   API replays what was missed. An answer that is not a stream (429, 502, a draining replica)
 *   ends an EventSource for good, so this module opens a new one after a growing pause, with
 *   `?lastEventId=` of the last event heard, as it does when a tab comes back into view.
 * - A subscriber is told to read again (`reset()`) when it starts, once the stream's position is
 *   known (what it shows was read before the stream was open: a change in between would be lost),
 *   and when the stream says it cannot replay that far.
 */
import { nextTick, onScopeDispose, shallowRef } from 'vue';
import type { ApiClient, Post } from '~/api/client';
import {
  catchUp,
  followFeed,
  LIVE_KINDS,
  mergePosts,
  parseLiveEvent,
  type FeedState,
  type LiveEvent,
} from '~/utils/live';

export interface LiveSubscriber {
  /** Each change, in commit order. */
  change(event: LiveEvent): void;
  /** Changes may have been missed: read again what is shown. */
  reset(): void;
}

const STREAM = '/api/v1/posts/stream';
/** How long the connection outlives its last subscriber. */
const LINGER_MS = 10_000;
/** How long a tab out of sight keeps its connection. */
const HIDDEN_MS = 5 * 60_000;
/** Pauses before opening again after the API refused a stream. */
const RETRY_MS = [3_000, 10_000, 30_000, 60_000];

let source: EventSource | null = null;
/** The last position heard (an event's seq, or where the stream started). */
let last: number | null = null;
const subscribers = new Set<LiveSubscriber>();
/** Subscribers to reset once the stream says where it starts. */
const unplaced = new Set<LiveSubscriber>();
let failures = 0;
let closing: ReturnType<typeof setTimeout> | undefined;
let retrying: ReturnType<typeof setTimeout> | undefined;
let hidden: ReturnType<typeof setTimeout> | undefined;

function close(): void {
  source?.close();
  source = null;
}

function open(): void {
  clearTimeout(retrying);
  if (source || subscribers.size === 0 || document.visibilityState === 'hidden') return;
  const stream = new EventSource(last === null ? STREAM : `${STREAM}?lastEventId=${last}`);
  source = stream;
  stream.onopen = () => (failures = 0);
  stream.onerror = () => {
    if (stream.readyState !== EventSource.CLOSED || source !== stream) return;
    source = null;
    retrying = setTimeout(open, RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)]);
  };
  // Where the stream starts, when it was opened without a position.
  stream.addEventListener('ready', (message) => {
    last ??= Number(message.lastEventId);
    for (const subscriber of unplaced) subscriber.reset();
    unplaced.clear();
  });
  // Too far behind to replay: everyone reads again; the stream goes on from its position.
  stream.addEventListener('reset', (message) => {
    last = Number(message.lastEventId) || last;
    unplaced.clear();
    for (const subscriber of subscribers) subscriber.reset();
  });
  for (const kind of LIVE_KINDS) {
    stream.addEventListener(kind, (message) => {
      const event = parseLiveEvent(message.data as string);
      if (!event || (last !== null && event.seq <= last)) return;
      last = event.seq;
      for (const subscriber of subscribers) subscriber.change(event);
    });
  }
}

function seen(): void {
  clearTimeout(hidden);
  if (document.visibilityState === 'hidden') hidden = setTimeout(close, HIDDEN_MS);
  else open();
}

/** Hears the stream until the returned function is called; `reset()` comes first (see above). */
export function subscribeLive(subscriber: LiveSubscriber): () => void {
  document.addEventListener('visibilitychange', seen);
  clearTimeout(closing);
  subscribers.add(subscriber);
  if (last === null) unplaced.add(subscriber);
  else {
    queueMicrotask(() => {
      if (subscribers.has(subscriber)) subscriber.reset();
    });
  }
  open();
  return () => {
    subscribers.delete(subscriber);
    unplaced.delete(subscriber);
    if (subscribers.size === 0) closing = setTimeout(close, LINGER_MS);
  };
}

/** Subscribes for as long as the calling component (or effect scope) lives. */
export function useLiveEvents(subscriber: LiveSubscriber): void {
  onScopeDispose(subscribeLive(subscriber));
}

/** What the live feed needs of useFeed's list. */
export interface LiveList {
  readonly items: { value: Post[] };
  readonly done: { readonly value: boolean };
  restart(): Promise<void>;
}

/**
 * The feed following the stream (PostList, for a `live` list), by utils/live.ts's rules: others'
 * new posts wait in `pending` for `show()`; the reader's own (`me`: published in another tab) are
 * read and shown at once; removed posts and a removed author's posts leave the list; an edited
 * post and a renamed author are read again. While a read is on its way the events that arrive wait
 * for it, so a post removed while it was being read still goes. Lives as long as its effect scope.
 */
export function useLiveFeed(list: LiveList, api: ApiClient, me: () => string | null) {
  const { items, done } = list;
  const pending = shallowRef<FeedState['pending']>(new Map());
  let held: LiveEvent[] | null = null;
  let reads = 0;

  function set(state: FeedState): void {
    if (state.items !== items.value) items.value = [...state.items];
    pending.value = state.pending;
  }

  /** Runs a read; events that arrive meanwhile wait for it. */
  async function reading(task: () => Promise<unknown>): Promise<void> {
    held ??= [];
    reads++;
    try {
      await task();
    } catch {
      // Unreachable: what is shown stays, and the next event or reset reads again.
    } finally {
      if (--reads === 0) {
        const waiting = held;
        held = null;
        waiting.forEach(apply);
      }
    }
  }

  const firstPage = () => api.GET('/api/v1/posts', { params: { query: { limit: 20 } } });

  /**
   * Reads one post into the list (in its place), or takes it out when it is gone. The replica that
   * answers has heard the change too: NOTIFY reaches every listener at commit, before the event
   * can reach this tab and the read come back, and a cache that is not listening is not used.
   */
  async function readPost(id: string): Promise<void> {
    const { data, response } = await api.GET('/api/v1/posts/{id}', { params: { path: { id } } });
    if (data) items.value = mergePosts(items.value, [data], done.value);
    else if (response.status === 404) items.value = items.value.filter((post) => post.id !== id);
  }

  async function rename(authorId: string): Promise<void> {
    const { data } = await api.GET('/api/v1/users/{id}', { params: { path: { id: authorId } } });
    if (data) {
      items.value = items.value.map((post) =>
        post.author.id === authorId ? { ...post, author: { ...post.author, displayName: data.displayName } } : post,
      );
    }
  }

  function apply(event: LiveEvent): void {
    if (held) {
      held.push(event);
      return;
    }
    const step = followFeed({ items: items.value, pending: pending.value }, event, me());
    set(step);
    if (step.read) void reading(() => readPost(step.read!));
    if (step.rename) void reading(() => rename(step.rename!));
  }

  useLiveEvents({
    change: apply,
    reset: () =>
      void reading(async () => {
        const { data } = await firstPage();
        if (data) {
          set(catchUp({ items: items.value, pending: pending.value }, data.items, data.nextCursor === null, me()));
        }
      }),
  });

  /** Puts the new posts in, and the focus on the first of them. */
  async function show(): Promise<void> {
    const wanted = new Set(pending.value.keys());
    await reading(async () => {
      const { data } = await firstPage();
      if (!data) return;
      // More new posts than a page (or an older post shown again): the list starts again from the top.
      if ([...wanted].some((id) => !data.items.some((post) => post.id === id))) {
        pending.value = new Map();
        await list.restart();
      } else set({ items: mergePosts(items.value, data.items, done.value), pending: new Map() });
    });
    await nextTick();
    const first = items.value.find((post) => wanted.has(post.id)) ?? items.value[0];
    const top = first === items.value[0];
    if (top) scrollTo({ top: 0 });
    (document.querySelector<HTMLElement>(`[data-post="${first?.id}"] a`) ?? document.getElementById('main'))?.focus({
      preventScroll: top,
    });
  }

  return { pending, show };
}
