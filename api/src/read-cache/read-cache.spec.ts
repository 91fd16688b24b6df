/**
 * ReadCache's hooks on a bare Fastify with the feed's route, and a stand-in for the change events
 * whose liveness and events the test decides: what is served from memory, what is refused while
 * not listening, after a reset, or when a change lands during a read. The real thing, over HTTP
 * with two replicas, is test/read-cache.spec.ts.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import type { ChangeEvent } from '../events/change-event.js';
import type { ChangeEventsService } from '../events/change-events.service.js';
import { Metrics } from '../metrics/metrics.js';
import { ReadCache } from './read-cache.service.js';

class Events {
  live = true;
  readonly listeners = new Set<(event: ChangeEvent) => void>();
  readonly resets = new Set<() => void>();
  subscribe(listener: (event: ChangeEvent) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  onReset(listener: () => void) {
    this.resets.add(listener);
    return () => this.resets.delete(listener);
  }
  isLive() {
    return this.live;
  }
  emit(kind: ChangeEvent['kind'], authorId: string, postId: string | null = null) {
    for (const listener of this.listeners)
      listener({ seq: 1, kind, postId, authorId, at: new Date().toISOString(), public: true });
  }
}

const AUTHOR = '019a8f6e-3b1c-7d2e-9f40-5a6b7c8d9e0f';

async function setUp(enabled = true) {
  const events = new Events();
  const config = { readCache: { enabled, maxBytes: 1024 * 1024, maxEntries: 100, ttlSeconds: 30 } } as AppConfig;
  const cache = new ReadCache(config, events as unknown as ChangeEventsService, new Metrics({} as DataSource));
  cache.onModuleInit();
  const fastify: FastifyInstance = Fastify();
  cache.install(fastify);
  // The route counts its reads; what it answers changes only with `version`.
  const reads = { count: 0, version: 1, during: undefined as (() => void) | undefined };
  fastify.get('/api/v1/posts', (_request, reply) => {
    reads.count++;
    reads.during?.();
    void reply.send({ items: [{ version: reads.version }], nextCursor: null });
  });
  await fastify.ready();
  const get = (headers: Record<string, string> = {}) => fastify.inject({ url: '/api/v1/posts', headers });
  return { events, cache, fastify, reads, get };
}

describe('ReadCache', () => {
  it('answers again from memory, with the validators, and 304 for If-None-Match', async () => {
    const { reads, get, fastify } = await setUp();
    const first = await get();
    const second = await get();
    expect(reads.count).toBe(1);
    expect(second.body).toBe(first.body);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers['cache-control']).toBe('public, no-cache');
    const revalidated = await get({ 'if-none-match': String(first.headers.etag) });
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.body).toBe('');
    expect(reads.count).toBe(1);
    // Signed in: read every time, but 304 all the same.
    expect((await get({ authorization: 'Bearer x', 'if-none-match': String(first.headers.etag) })).statusCode).toBe(
      304,
    );
    expect(reads.count).toBe(2);
    await fastify.close();
  });

  it('is bypassed while the change events are not heard, and starts empty when they are again', async () => {
    const { events, reads, get, fastify } = await setUp();
    await get();
    events.live = false;
    await get();
    await get();
    expect(reads.count).toBe(3);
    events.live = true;
    for (const reset of events.resets) reset();
    await get();
    await get();
    expect(reads.count).toBe(4);
    await fastify.close();
  });

  it('drops the feed on a change, and never keeps a read that a change overtook', async () => {
    const { events, reads, get, fastify } = await setUp();
    await get();
    events.emit('post.created', AUTHOR, '019a9b01-7c2d-7e3f-8a41-6b7c8d9e0f12');
    await get();
    expect(reads.count).toBe(2);
    await get();
    expect(reads.count).toBe(2);

    events.emit('author.updated', AUTHOR);
    // Lands while the read is under way.
    reads.during = () => {
      events.emit('author.updated', AUTHOR);
    };
    await get();
    reads.during = undefined;
    await get();
    expect(reads.count).toBe(4);
    await get();
    expect(reads.count).toBe(4);
    await fastify.close();
  });

  it('keeps nothing when turned off, and still answers 304', async () => {
    const { reads, get, fastify } = await setUp(false);
    const first = await get();
    expect((await get({ 'if-none-match': String(first.headers.etag) })).statusCode).toBe(304);
    expect(reads.count).toBe(2);
    await fastify.close();
  });
});
