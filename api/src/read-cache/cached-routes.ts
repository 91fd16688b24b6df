/**
 * The reads the read cache answers, by Fastify route, and how a request of each becomes a key. A
 * request is a cache's only if it is one the route answers in exactly one way: the parameters in
 * their plain form (a lowercase id, a limit written as digits), nothing the route would refuse; any
 * other request goes the whole way through the route, which answers it (a 400 included) as always.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_PAGE } from '../posts/posts.service.js';
import { parsePostRef } from '../posts/post-path.js';

/** How many pages of a feed are kept, the first included: a reader scrolls a few, a crawler all. */
export const FEED_PAGES = 3;

export type CachedRouteName = 'feed' | 'post' | 'profile';

/** A request the cache may answer: its key and what the answer shows, as far as the request says. */
export interface Lookup {
  readonly key: string;
  readonly tags: readonly string[];
  /**
   * For a feed page: whether it is the first, and the key of the page after it. A later page is
   * kept only while the page before it is, down to FEED_PAGES (ReadCacheStore.pageDepth).
   */
  readonly page?: { readonly first: boolean; readonly nextKey: (cursor: string) => string } | undefined;
}

export interface CachedRoute {
  readonly name: CachedRouteName;
  /** Added to Vary on every answer, as the route does. */
  readonly vary?: string;
  lookup(request: FastifyRequest): Lookup | undefined;
}

export const feedTag = 'feed';
export const authorTag = (id: string): string => `author:${id}`;
export const postTag = (id: string): string => `post:${id}`;

const LOWER_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LIMIT = /^(?:[1-9]\d?|100)$/;
const FEED_QUERY = new Set(['limit', 'cursor', 'author']);

const param = (request: FastifyRequest, name: string): string | undefined =>
  (request.params as Record<string, string | undefined> | null)?.[name];

/** GET /posts: the feed, or one author's, a page at a time. */
function feedLookup(request: FastifyRequest): Lookup | undefined {
  const query = request.query as Record<string, unknown>;
  for (const name in query) if (!FEED_QUERY.has(name) || typeof query[name] !== 'string') return undefined;
  const { limit = String(DEFAULT_PAGE), author, cursor } = query as Record<string, string | undefined>;
  if (!LIMIT.test(limit) || (author !== undefined && !LOWER_UUID.test(author))) return undefined;
  if (cursor === '') return undefined;
  const base = `feed ${author ?? '*'} ${limit} `;
  return {
    key: base + (cursor ?? ''),
    tags: [author === undefined ? feedTag : authorTag(author)],
    page: { first: cursor === undefined, nextKey: (next) => base + next },
  };
}

/** GET /posts/{ref}: one post, whichever form of reference names it. */
function postLookup(request: FastifyRequest): Lookup | undefined {
  const ref = parsePostRef(param(request, 'id') ?? '');
  if (!ref) return undefined;
  // Which post and author it is comes with the answer (answer-note.ts).
  return { key: 'id' in ref ? `post id ${ref.id}` : `post short ${ref.shortId}`, tags: [] };
}

/** GET /users/{id}: an author's public profile. */
function profileLookup(request: FastifyRequest): Lookup | undefined {
  const id = param(request, 'id');
  return id !== undefined && LOWER_UUID.test(id) ? { key: `profile ${id}`, tags: [authorTag(id)] } : undefined;
}

/** By Fastify route (`request.routeOptions.url`). */
export const CACHED_ROUTES: ReadonlyMap<string, CachedRoute> = new Map([
  ['/api/v1/posts', { name: 'feed', lookup: feedLookup }],
  ['/api/v1/posts/:id', { name: 'post', vary: 'Authorization', lookup: postLookup }],
  ['/api/v1/users/:id', { name: 'profile', lookup: profileLookup }],
]);

/** The public profile's route: its answer is public, unlike every other under /users (app.ts). */
export const PUBLIC_PROFILE_ROUTE = '/api/v1/users/:id';

/** Adds a field to the answer's Vary, after those already there (CORS adds Origin). */
export function addVary(reply: FastifyReply, field: string): void {
  const vary = reply.getHeader('vary');
  void reply.header('vary', vary ? `${String(vary)}, ${field}` : field);
}
