#!/usr/bin/env node
/**
 * Request-path benchmark (budgets in docs/performance.md): the API's hot read paths, GET /posts
 * (a page of 20), GET /posts/:id and GET /users/me, each against a bare Fastify + pg endpoint that
 * runs the same SQL (and, for /users/me, the same token and session check) on the same database,
 * in the same run: warmed up, then alternated ROUNDS times, median and spread reported. With
 * 100,000 posts it also prints the query plans of the feed, a later page and the author filter
 * (docs/performance.md shows them: index scans, no sequential scan). The API's read cache is off:
 * this is the request path every read took before it, and every signed-in read takes; the cached
 * reads are bench/live.mjs's.
 */
import pg from 'pg';
import { feedStatement } from '../api/dist/posts/post-queries.js';
import { alternate, seedPublishedPosts, startBareReference, startBenchApi, summarise, writeResult } from './lib.mjs';

const POSTS = Number(process.env.BENCH_POSTS ?? 100_000);
const AUTHORS = 2_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 16;
const PASSWORD = 'Correct-Horse-Battery-9';

const plans = {};
let bare;
const bench = await startBenchApi({
  env: { DATABASE_POOL_MAX: '10', RATE_LIMIT_SIGNUP_IP: '1000/1m', READ_CACHE: 'off' },
  // Fill the database before the API starts, and read the plans while it is quiet.
  beforeApi: async (databaseUrl) => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await seedPublishedPosts(client, { posts: POSTS, authors: AUTHORS });
      await explainFeed(client);
    } finally {
      await client.end();
    }
  },
});

/** The plans of the feed's statements as the API sends them: the first page, a page deep down, one author. */
async function explainFeed(client) {
  const { rows: authors } = await client.query('SELECT id FROM users LIMIT 1');
  const { rows: middle } = await client.query(
    `SELECT published_at::text AS at, id FROM posts ORDER BY published_at DESC, id DESC OFFSET $1 LIMIT 1`,
    [Math.floor(POSTS / 2)],
  );
  const explain = async (name, sql, params) => {
    const { rows } = await client.query(
      `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY OFF) ${sql}`,
      params,
    );
    plans[name] = rows.map((r) => r['QUERY PLAN']).join('\n');
  };
  await explain('first page', feedStatement({ author: false, after: false }), [21]);
  await explain('a page in the middle (cursor)', feedStatement({ author: false, after: true }), [
    middle[0].at,
    middle[0].id,
    21,
  ]);
  await explain('one author', feedStatement({ author: true, after: false }), [authors[0].id, 21]);
  for (const [name, plan] of Object.entries(plans)) console.log(`\n-- ${name}\n${plan}`);
}

/**
 * The API against its bare equivalents on one path: all warmed up, then ROUNDS alternated runs
 * (bare, bare prepared, API, bare, …) so that a busy moment of the machine hits them alike. "bare"
 * sends each statement unnamed, as a hand-written endpoint usually does (PostgreSQL parses and
 * plans it on every request); "prepared" sends the same statements named, as the API does, so
 * that the ratio against it is the framework's cost alone.
 */
async function compare(name, apiUrl, bareUrl, headers) {
  const contenders = {
    bare: { url: bareUrl, headers },
    prepared: { url: bareUrl.replace('/bare/', '/prepared/'), headers },
    api: { url: apiUrl, headers },
  };
  const rounds = await alternate(name, contenders, { seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS });
  const ratio = summarise(rounds.map((r) => r.api.rate / r.prepared.rate));
  const ratioUnprepared = summarise(rounds.map((r) => r.api.rate / r.bare.rate));
  const list = (who, key) => rounds.map((r) => r[who][key]).join(' / ');
  console.log(
    `${name}: req/s API ${list('api', 'rate')}, bare prepared ${list('prepared', 'rate')}, bare ${list('bare', 'rate')}; ` +
      `p99 ms API ${list('api', 'p99')}, bare prepared ${list('prepared', 'p99')}, bare ${list('bare', 'p99')}\n` +
      `  API vs bare prepared: median ${ratio.median}x (${ratio.min}–${ratio.max}); ` +
      `vs bare unprepared: median ${ratioUnprepared.median}x (${ratioUnprepared.min}–${ratioUnprepared.max})`,
  );
  return { rounds, ratio, ratioUnprepared };
}

try {
  bare = await startBareReference({ databaseUrl: bench.databaseUrl, jwtSecret: bench.jwtSecret });
  const { rows: sample } = await bare.pool.query('SELECT id FROM posts ORDER BY published_at DESC OFFSET 100 LIMIT 1');
  const postId = sample[0].id;

  // A signed-in user for /users/me, through the API itself.
  const email = `reader-${Date.now()}@example.test`;
  const body = (value) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value),
  });
  await fetch(`${bench.apiUrl}/auth/register`, body({ email, password: PASSWORD, displayName: 'Reader' }));
  const { accessToken } = await (await fetch(`${bench.apiUrl}/auth/login`, body({ email, password: PASSWORD }))).json();
  const bareBase = `${bare.url}/bare`;

  const feed = await compare('GET /api/v1/posts', `${bench.apiUrl}/posts`, `${bareBase}/posts`);
  const one = await compare('GET /api/v1/posts/:id', `${bench.apiUrl}/posts/${postId}`, `${bareBase}/posts/${postId}`);
  const auth = { authorization: `Bearer ${accessToken}` };
  const me = await compare('GET /api/v1/users/me', `${bench.apiUrl}/users/me`, `${bareBase}/users/me`, auth);

  const result = {
    posts: POSTS,
    seconds: SECONDS,
    rounds: ROUNDS,
    connections: CONNECTIONS,
    feed,
    post: one,
    me,
    plans,
  };
  await writeResult('feed', result);
  // The closing lines compare like with like: the bare reference sending the same prepared
  // statements as the API, so that the ratio is what the framework costs.
  console.log(`post: API vs bare Fastify+pg: ${one.ratio.median}x (target >= 0.85)`);
  console.log(`me: API vs bare Fastify+pg: ${me.ratio.median}x (target >= 0.85)`);
  console.log(`feed: API vs bare Fastify+pg: ${feed.ratio.median}x`);
} finally {
  await bare?.close();
  await bench.stop();
}
