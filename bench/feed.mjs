#!/usr/bin/env node
/**
 * Feed benchmark (the budget in docs/performance.md): GET /api/v1/posts (a page of 20) through the whole API, against a
 * bare Fastify + pg endpoint running the same SQL on the same database, in the same run; with
 * 100,000 posts, it also prints the query plans of the feed, a later page and the author filter
 * (docs/performance.md shows them: index scans, no sequential scan).
 */
import autocannon from 'autocannon';
import Fastify from 'fastify';
import pg from 'pg';
import { freePort } from '../scripts/lib/embedded-postgres.mjs';
import { SELECT_POST as FEED_SQL } from '../api/dist/posts/post-queries.js';
import { startBenchApi, writeResult } from './lib.mjs';

const POSTS = Number(process.env.BENCH_POSTS ?? 100_000);
const AUTHORS = 2_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 16;

const load = (url) =>
  new Promise((resolve, reject) =>
    autocannon({ url, connections: CONNECTIONS, duration: SECONDS }, (error, result) =>
      error ? reject(error) : resolve(result),
    ),
  );

const plans = {};
let bare;
const bench = await startBenchApi({
  env: { DATABASE_POOL_MAX: '10' },
  // Fill the database before the API starts, and read the plans while it is quiet.
  beforeApi: async (databaseUrl) => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await seedAndExplain(client);
    } finally {
      await client.end();
    }
  },
});

async function seedAndExplain(client) {
  // 2,000 authors, POSTS posts spread over a year, rendered like a typical short post.
  await client.query(
    `INSERT INTO users (id, email, display_name, password_hash)
    SELECT gen_random_uuid(), 'author' || i || '@example.test', 'Author ' || i, 'x' FROM generate_series(1, $1) AS i`,
    [AUTHORS],
  );
  await client.query(
    `WITH authors AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM users),
          series AS (SELECT i, now() - random() * interval '365 days' AS t FROM generate_series(1, $1) AS i)
     INSERT INTO posts (id, author_id, content, content_html, excerpt, word_count, reading_time_minutes, renderer_version, created_at, updated_at)
     SELECT gen_random_uuid(), a.id, 'Post ' || i || ' with **some** words.',
            '<p>Post ' || i || ' with <strong>some</strong> words.</p>', 'Post ' || i || ' with some words.', 5, 1, 1, t, t
       FROM series JOIN authors a ON a.n = series.i % $2`,
    [POSTS, AUTHORS],
  );
  await client.query('VACUUM ANALYZE');
  const { rows: authors } = await client.query('SELECT id FROM users LIMIT 1');
  const { rows: middle } = await client.query(
    `SELECT created_at::text AS created_at, id FROM posts ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1`,
    [Math.floor(POSTS / 2)],
  );

  const explain = async (name, sql, params) => {
    const { rows } = await client.query(
      `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY OFF) ${sql}`,
      params,
    );
    plans[name] = rows.map((r) => r['QUERY PLAN']).join('\n');
  };
  const order = 'ORDER BY p.created_at DESC, p.id DESC LIMIT 21';
  await explain('first page', `${FEED_SQL} WHERE u.is_active ${order}`, []);
  await explain(
    'a page in the middle (cursor)',
    `${FEED_SQL} WHERE u.is_active AND (p.created_at, p.id) < ($1::timestamptz, $2::uuid) ${order}`,
    [middle[0].created_at, middle[0].id],
  );
  await explain('one author', `${FEED_SQL} WHERE u.is_active AND p.author_id = $1 ${order}`, [authors[0].id]);
  for (const [name, plan] of Object.entries(plans)) console.log(`\n-- ${name}\n${plan}`);
}

try {
  const order = 'ORDER BY p.created_at DESC, p.id DESC LIMIT 21';

  // The reference: bare Fastify + pg, same SQL, same pool size, same JSON shape.
  const pool = new pg.Pool({ connectionString: bench.databaseUrl, max: 10 });
  bare = Fastify();
  bare.get('/posts', async () => {
    const { rows } = await pool.query(`${FEED_SQL} WHERE u.is_active ${order}`);
    return { items: rows.slice(0, 20), nextCursor: rows.length > 20 ? 'x' : null };
  });
  bare.addHook('onClose', () => pool.end());
  const barePort = await freePort();
  await bare.listen({ port: barePort, host: '127.0.0.1' });

  await load(`http://127.0.0.1:${barePort}/posts`); // warm both up
  await load(`${bench.apiUrl}/posts`);
  const reference = await load(`http://127.0.0.1:${barePort}/posts`);
  const full = await load(`${bench.apiUrl}/posts`);
  if (full.non2xx > 0 || reference.non2xx > 0) throw new Error('non-2xx answers under load');

  const result = {
    posts: POSTS,
    seconds: SECONDS,
    connections: CONNECTIONS,
    apiRequestsPerSecond: Math.round(full.requests.average),
    bareRequestsPerSecond: Math.round(reference.requests.average),
    ratio: Math.round((full.requests.average / reference.requests.average) * 100) / 100,
    apiLatencyMs: { p50: full.latency.p50, p99: full.latency.p99 },
    bareLatencyMs: { p50: reference.latency.p50, p99: reference.latency.p99 },
    plans,
  };
  await writeResult('feed', result);
  console.log(
    `\nGET /api/v1/posts: ${result.apiRequestsPerSecond} req/s (p50 ${full.latency.p50} ms, p99 ${full.latency.p99} ms)`,
  );
  console.log(
    `bare Fastify + pg: ${result.bareRequestsPerSecond} req/s (p50 ${reference.latency.p50} ms, p99 ${reference.latency.p99} ms)`,
  );
  console.log(`feed: API vs bare Fastify+pg: ${result.ratio}x (target >= 0.7)`);
} finally {
  await bare?.close();
  await bench.stop();
}
