/**
 * The read cache and conditional reads of the public reads: the feed's first pages (and an
 * author's), one post, an author's profile (cached-routes.ts; docs/api.md, "Caching";
 * docs/operations.md, "Read cache").
 *
 * Anonymous reads (no Authorization header) are answered from memory when they can be: the answer
 * as it was sent, its ETag and headers, served from Fastify's onRequest hook, before Nest's guards,
 * pipes and interceptors, the handler and the database. The hooks of the security headers, CORS
 * and the refusal of unknown methods run before it, and the onSend and onResponse hooks (request
 * id, access log, metrics) after it, as for any answer. Signed-in reads never use it, so a writer
 * always reads their own change at once.
 *
 * Never wrong for long: every change readers can see reaches every replica as a change event
 * (ChangeEventsService) within milliseconds of its commit, and drops the answers it touches: a
 * post's change drops that post, the feeds and its author's answers; an author's change (a new
 * name, a suspension) their answers and the feeds. A read that began before a drop does not keep
 * its answer (ReadCacheStore's generation). While this process is not listening for changes the
 * cache is bypassed, and once it listens again it starts empty. READ_CACHE_TTL_SECONDS bounds what
 * a lost event could cost. A write through this replica's own routes (a post, a profile) drops
 * everything before its answer leaves, so that a read here that follows it never waits for the event.
 *
 * Every 200 answer of these routes, cached or not, carries an ETag (a post's: its version; the
 * others': a digest of the answer) and `Cache-Control: public, no-cache` (a draft's or a hidden
 * post's stays `private, no-store`); If-None-Match naming the current ETag gets 304.
 */
import { hash } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { ChangeEvent } from '../events/change-event.js';
import { ChangeEventsService } from '../events/change-events.service.js';
import { ifNoneMatch } from '../http/etag.js';
import { Metrics } from '../metrics/metrics.js';
import { answerNoteOf } from './answer-note.js';
import {
  addVary,
  authorTag,
  CACHED_ROUTES,
  type CachedRoute,
  type CachedRouteName,
  FEED_PAGES,
  feedTag,
  type Lookup,
  postTag,
} from './cached-routes.js';
import { type CachedAnswer, ReadCacheStore } from './read-cache-store.js';

/** What the cache noted on a request: served from memory, or a read whose answer it may keep. */
type ReadState =
  | { readonly hit: true }
  | { readonly hit: false; readonly lookup: Lookup; readonly generation: number; readonly depth: number };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by ReadCache's onRequest hook. */
    readCache: ReadState | null;
  }
}

const HIT: ReadState = { hit: true };

/** An ETag of the answer's bytes: 160 bits of SHA-256, as the site's pages have (site/site.routes.ts). */
const digestTag = (body: string): string => `"${hash('sha256', body, 'base64url').slice(0, 27)}"`;

/** The API's own writes of what readers see (its routes; the control panel's come as events only). */
const LOCAL_WRITES = new Set([
  'POST /api/v1/posts',
  'PATCH /api/v1/posts/:id',
  'DELETE /api/v1/posts/:id',
  'PATCH /api/v1/users/me',
  'DELETE /api/v1/users/me',
]);
const PUBLIC = 'public, no-cache';

interface Counters {
  readonly hit: { inc(): void };
  readonly miss: { inc(): void };
  readonly bypass: { inc(): void };
}

@Injectable()
export class ReadCache implements OnModuleInit, OnModuleDestroy {
  private readonly store: ReadCacheStore;
  private readonly enabled: boolean;
  private readonly counters: ReadonlyMap<CachedRouteName, Counters>;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly events: ChangeEventsService,
    metrics: Metrics,
  ) {
    const { enabled, maxBytes, maxEntries, ttlSeconds } = config.readCache;
    this.enabled = enabled;
    this.store = new ReadCacheStore({ maxBytes, maxEntries, ttlMs: ttlSeconds * 1000 });
    const lookups = (route: CachedRouteName, result: keyof Counters) =>
      metrics.readCacheLookups.labels({ route, result });
    this.counters = new Map(
      (['feed', 'post', 'profile'] as const).map((route) => [
        route,
        { hit: lookups(route, 'hit'), miss: lookups(route, 'miss'), bypass: lookups(route, 'bypass') },
      ]),
    );
    const size = (value: () => number) => () => Promise.resolve([{ labels: {}, value: value() }]);
    metrics.gauge(
      'read_cache_entries',
      'Answers the read cache holds',
      [],
      size(() => this.store.size),
    );
    metrics.gauge(
      'read_cache_bytes',
      'Bytes of answers the read cache holds (bodies and bookkeeping)',
      [],
      size(() => this.store.byteSize),
    );
  }

  onModuleInit(): void {
    if (!this.enabled) return;
    this.unsubscribe.push(
      this.events.subscribe((event) => {
        this.invalidate(event);
      }),
      // Changes may have gone unheard while the listener was away: start over.
      this.events.onReset(() => {
        this.store.clear();
      }),
    );
  }

  onModuleDestroy(): void {
    for (const stop of this.unsubscribe.splice(0)) stop();
  }

  /** Drops what a change touches (see the file's comment). */
  invalidate(event: ChangeEvent): void {
    if (!event.authorId) {
      this.store.clear(); // never sent, but nothing is kept that it might have touched
      return;
    }
    const tags = [feedTag, authorTag(event.authorId)];
    if (event.postId) tags.push(postTag(event.postId));
    this.store.drop(tags);
  }

  /** How many answers it holds, and their bytes. */
  get stats(): { entries: number; bytes: number } {
    return { entries: this.store.size, bytes: this.store.byteSize };
  }

  /** Adds its hooks to the application's Fastify instance, after those of app.ts and Nest's adapter. */
  install(fastify: FastifyInstance): void {
    fastify.decorateRequest('readCache', null);
    fastify.decorateRequest('answerNote', null);
    fastify.addHook('onRequest', (request, reply, done) => {
      if (!this.serve(request, reply)) done();
    });
    fastify.addHook('onSend', (request, reply, payload, done) => {
      done(null, this.conditional(request, reply, payload));
    });
  }

  /** Answers from memory (true), or notes what the route's answer may be kept as (false). */
  private serve(request: FastifyRequest, reply: FastifyReply): boolean {
    if (request.method !== 'GET' || !this.enabled) return false;
    const route = CACHED_ROUTES.get(request.routeOptions.url ?? '');
    if (route === undefined) return false;
    const counters = this.counters.get(route.name) as Counters;
    if (request.headers.authorization !== undefined || !this.events.isLive()) {
      counters.bypass.inc();
      return false;
    }
    const lookup = route.lookup(request);
    if (lookup === undefined) {
      counters.bypass.inc();
      return false;
    }
    const answer = this.store.get(lookup.key);
    if (answer !== undefined) {
      counters.hit.inc();
      this.send(request, reply, route, answer);
      return true;
    }
    const depth = lookup.page ? (lookup.page.first ? 0 : this.store.pageDepth(lookup.key)) : 0;
    if (depth === undefined) {
      counters.bypass.inc(); // a feed page deeper than the kept ones
      return false;
    }
    counters.miss.inc();
    request.readCache = { hit: false, lookup, generation: this.store.generation, depth };
    return false;
  }

  private send(request: FastifyRequest, reply: FastifyReply, route: CachedRoute, answer: CachedAnswer): void {
    request.readCache = HIT;
    void reply.header('etag', answer.etag).header('cache-control', answer.cacheControl);
    if (route.vary !== undefined) addVary(reply, route.vary);
    if (answer.revalidates && ifNoneMatch(request.headers['if-none-match'], answer.etag)) {
      void reply.code(304).send();
      return;
    }
    void reply.header('content-type', answer.contentType).send(answer.body);
  }

  /**
   * Gives a 200 answer of a cached route its validators (ETag, Cache-Control), keeps it when the
   * onRequest hook said it may, and turns it into a 304 when If-None-Match names it.
   */
  private conditional(request: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
    if (LOCAL_WRITES.has(`${request.method} ${request.routeOptions.url}`) && reply.statusCode < 300) {
      // Committed: an anonymous read on this replica sees it at once, not once its event is heard.
      this.store.clear();
      return payload;
    }
    const state = request.readCache;
    if (state?.hit === true || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    if (request.method !== 'GET' && request.method !== 'HEAD') return payload;
    if (!CACHED_ROUTES.has(request.routeOptions.url ?? '')) return payload;

    const note = answerNoteOf(request);
    let cacheControl = reply.getHeader('cache-control');
    if (cacheControl === undefined) void reply.header('cache-control', (cacheControl = PUBLIC));
    let etag = reply.getHeader('etag');
    if (typeof etag !== 'string') void reply.header('etag', (etag = digestTag(payload)));
    // Only what anyone may read is kept or revalidated: never a draft or a hidden post (private).
    const shared = cacheControl === PUBLIC;
    const revalidates = shared && note?.revalidates !== false;

    if (state?.hit === false && shared && this.events.isLive()) {
      const { lookup, generation, depth } = state;
      const next = lookup.page && note?.nextCursor && depth + 1 < FEED_PAGES ? note.nextCursor : undefined;
      this.store.set(
        lookup.key,
        {
          body: Buffer.from(payload),
          contentType: String(reply.getHeader('content-type')),
          etag,
          cacheControl: PUBLIC,
          revalidates,
        },
        {
          tags: note?.tags ? [...lookup.tags, ...note.tags] : lookup.tags,
          next: next && lookup.page ? { key: lookup.page.nextKey(next), depth: depth + 1 } : undefined,
        },
        generation,
      );
    }

    if (revalidates && ifNoneMatch(request.headers['if-none-match'], etag)) {
      reply.removeHeader('content-type');
      void reply.code(304);
      return null;
    }
    return payload;
  }
}
