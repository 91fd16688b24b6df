#!/usr/bin/env node
/**
 * `npm run bench -- live` (docs/performance.md, "Cached reads" and "Live stream"): what issue 25's
 * live feed and caching are worth, on loopback, in bounded time. Two parts, both by default;
 * BENCH_PARTS=feed or BENCH_PARTS=streams runs one.
 *
 * - `feed`: the anonymous first page of the feed (GET /api/v1/posts, 20 of 100,000 posts) from the
 *   API's read cache, against the bare Fastify + pg reference that queries on every request
 *   (bench/lib.mjs, the same SQL the API sends, prepared; and unprepared for comparison); and the
 *   same page read past the cache (a request with an Authorization header, which the feed ignores
 *   but the cache does not take), the request path every read took before, so that a regression
 *   there shows. Warmed up, then alternated rounds, median and spread.
 * - `streams`: bench/live-streams.mjs (5,000 open streams: memory, commit-to-client times).
 *
 * Ends with the line `feed (cached): API vs bare Fastify+pg: <ratio>x` (target: at least 2x).
 * BENCH_POSTS, BENCH_SECONDS, BENCH_ROUNDS as bench/feed.mjs; BENCH_STREAMS, BENCH_STREAM_POSTS as
 * bench/live-streams.mjs.
 */
import pg from 'pg';
import { alternate, seedPublishedPosts, startBareReference, startBenchApi, summarise, writeResult } from './lib.mjs';
import { streams } from './live-streams.mjs';

const PARTS = new Set((process.env.BENCH_PARTS ?? 'feed,streams').split(',').map((part) => part.trim()));
const POSTS = Number(process.env.BENCH_POSTS ?? 100_000);
const AUTHORS = 2_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 16;

for (const part of PARTS) {
  if (part !== 'feed' && part !== 'streams') throw new Error(`BENCH_PARTS: no part ${part} (feed, streams)`);
}

/** The feed part: cached and uncached first page against the bare reference. */
async function feed() {
  const bench = await startBenchApi({
    env: { DATABASE_POOL_MAX: '10' },
    beforeApi: async (databaseUrl) => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        await seedPublishedPosts(client, { posts: POSTS, authors: AUTHORS });
      } finally {
        await client.end();
      }
    },
  });
  let bare;
  try {
    bare = await startBareReference({ databaseUrl: bench.databaseUrl, jwtSecret: bench.jwtSecret });
    const page = `${bench.apiUrl}/posts`;
    // The first read fills the cache; the warm-up runs read it again.
    const first = await fetch(page);
    if (first.status !== 200 || (await first.json()).items.length !== 20) throw new Error('the feed has no full page');
    const rounds = await alternate(
      'GET /api/v1/posts',
      {
        bare: { url: `${bare.url}/bare/posts` },
        prepared: { url: `${bare.url}/prepared/posts` },
        cached: { url: page },
        // Any Authorization header takes a read past the cache; the feed itself does not read it.
        uncached: { url: page, headers: { authorization: 'Bearer bench-past-the-cache' } },
      },
      { seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS },
    );
    const metrics = await (await fetch(bench.apiUrl.replace(/\/v1$/, '/metrics'))).text();
    const lookups = (result) =>
      Number(
        new RegExp(`^read_cache_lookups_total\\{route="feed",result="${result}"\\} (\\d+)$`, 'm').exec(metrics)?.[1],
      );
    const ratio = (who, against) => summarise(rounds.map((r) => r[who].rate / r[against].rate));
    const result = {
      posts: POSTS,
      seconds: SECONDS,
      rounds: ROUNDS,
      connections: CONNECTIONS,
      runs: rounds,
      cached: { vsPrepared: ratio('cached', 'prepared'), vsUnprepared: ratio('cached', 'bare') },
      uncached: { vsPrepared: ratio('uncached', 'prepared'), vsUnprepared: ratio('uncached', 'bare') },
      cachedVsUncached: ratio('cached', 'uncached'),
      lookups: { hit: lookups('hit'), miss: lookups('miss'), bypass: lookups('bypass') },
    };
    const list = (who, key) => rounds.map((r) => r[who][key]).join(' / ');
    const spread = ({ median, min, max }) => `${median}x (${min}–${max})`;
    console.log(
      `feed: req/s cached ${list('cached', 'rate')}, uncached ${list('uncached', 'rate')}, ` +
        `bare prepared ${list('prepared', 'rate')}, bare ${list('bare', 'rate')}\n` +
        `  p99 ms cached ${list('cached', 'p99')}, uncached ${list('uncached', 'p99')}, ` +
        `bare prepared ${list('prepared', 'p99')}, bare ${list('bare', 'p99')}\n` +
        `  cached vs bare prepared ${spread(result.cached.vsPrepared)}, vs bare ${spread(result.cached.vsUnprepared)}; ` +
        `uncached vs bare prepared ${spread(result.uncached.vsPrepared)}, vs bare ${spread(result.uncached.vsUnprepared)}; ` +
        `cached vs uncached ${spread(result.cachedVsUncached)}\n` +
        `  the API's read cache: ${result.lookups.hit} hits, ${result.lookups.miss} misses, ${result.lookups.bypass} past it`,
    );
    return result;
  } finally {
    await bare?.close();
    await bench.stop();
  }
}

const result = {};
if (PARTS.has('feed')) result.feed = await feed();
if (PARTS.has('streams')) {
  result.streams = await streams({
    clients: Number(process.env.BENCH_STREAMS ?? 5_000),
    posts: Number(process.env.BENCH_STREAM_POSTS ?? 20),
    log: console.log,
  });
}
await writeResult('live', result);
if (result.feed) {
  // The closing lines: like for like, against the reference sending the same prepared statements.
  console.log(`feed (uncached): API vs bare Fastify+pg: ${result.feed.uncached.vsPrepared.median}x`);
  console.log(`feed (cached): API vs bare Fastify+pg: ${result.feed.cached.vsPrepared.median}x`);
}
