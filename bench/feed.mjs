#!/usr/bin/env node
/**
 * Request-path benchmark (budgets in docs/performance.md): the API's hot read paths, GET /posts
 * (a page of 20), GET /posts/:id and GET /users/me, each against a bare Fastify + pg endpoint that
 * runs the same SQL (and, for /users/me, the same token and session check) on the same database,
 * in the same run: warmed up, then alternated ROUNDS times, median and spread reported. With
 * 100,000 posts it also prints the query plans of the feed, a later page and the author filter
 * (docs/performance.md shows them: index scans, no sequential scan).
 */
import { createHash } from 'node:crypto';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { freePort } from '../scripts/lib/embedded-postgres.mjs';
import { SELECT_POST as FEED_SQL } from '../api/dist/posts/post-queries.js';
import { startBenchApi, writeResult } from './lib.mjs';

const POSTS = Number(process.env.BENCH_POSTS ?? 100_000);
const AUTHORS = 2_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 16;
const PASSWORD = 'Correct-Horse-Battery-9';
const PRINCIPAL_SQL = `SELECT u.role, u.email_verified_at IS NOT NULL AS verified FROM users u
  WHERE u.id = $1 AND u.is_active AND EXISTS (SELECT 1 FROM sessions s WHERE s.family_id = $2
    AND s.user_id = u.id AND s.revoked_at IS NULL AND s.expires_at > now())`;

const plans = {};
let bare;
const bench = await startBenchApi({
  env: { DATABASE_POOL_MAX: '10', RATE_LIMIT_SIGNUP_IP: '1000/1m' },
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

/** Median and spread of a list of ratios. */
function summarise(ratios) {
  const sorted = [...ratios].sort((a, b) => a - b);
  const median =
    sorted.length % 2
      ? sorted[(sorted.length - 1) / 2]
      : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return { median: round(median), min: round(sorted[0]), max: round(sorted[sorted.length - 1]) };
}
const round = (n) => Math.round(n * 100) / 100;
const hash = (text) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * The API against its bare equivalents on one path: all warmed up, then ROUNDS alternated runs
 * (bare, bare prepared, API, bare, …) so that a busy moment of the machine hits them alike. "bare"
 * sends each statement unnamed, as a hand-written endpoint usually does (PostgreSQL parses and
 * plans it on every request); "prepared" sends the same statements named, as the API does, so
 * that the ratio against it is the framework's cost alone. The load generator runs on a worker
 * thread, so that the bare server in this process has its own event loop and competes for the
 * cores with the client and PostgreSQL, as the API process does.
 */
async function compare(name, apiUrl, bareUrl, headers) {
  const run = async (url) => {
    const result = await new Promise((resolve, reject) =>
      autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers, workers: 1 }, (error, r) =>
        error ? reject(error) : resolve(r),
      ),
    );
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${name}: failed answers under load from ${url}`);
    return { rate: Math.round(result.requests.average), p99: result.latency.p99 };
  };
  const contenders = { bare: bareUrl, prepared: bareUrl.replace('/bare/', '/prepared/'), api: apiUrl };
  for (const url of Object.values(contenders)) await run(url);
  const rounds = [];
  for (let i = 0; i < ROUNDS; i++) {
    const round = {};
    for (const [who, url] of Object.entries(contenders)) round[who] = await run(url);
    rounds.push(round);
  }
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
  const order = 'ORDER BY p.created_at DESC, p.id DESC LIMIT 21';
  const pool = new pg.Pool({ connectionString: bench.databaseUrl, max: 10 });
  const { rows: sample } = await pool.query('SELECT id FROM posts ORDER BY created_at DESC OFFSET 100 LIMIT 1');
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

  // The references: bare Fastify + pg, the same SQL, pool size and JSON shape, no framework;
  // under /bare/ each statement is sent unnamed, under /prepared/ named (parsed and planned once
  // per connection), the way the API sends its hot statements.
  bare = Fastify();
  const references = (prefix, named) => {
    const query = (text, values) =>
      pool.query(named ? { name: `bench_${hash(text)}`, text, values } : { text, values });
    bare.get(`${prefix}/posts`, async () => {
      const { rows } = await query(`${FEED_SQL} WHERE u.is_active ${order}`, []);
      return { items: rows.slice(0, 20), nextCursor: rows.length > 20 ? 'x' : null };
    });
    bare.get(`${prefix}/posts/:id`, async (request) => {
      const { rows } = await query(`${FEED_SQL} WHERE p.id = $1 AND u.is_active`, [request.params.id]);
      return rows[0];
    });
    // What /users/me does: check the token's signature and claims, that account and session are
    // live (the same statement as the API's guard), then read the account.
    bare.get(`${prefix}/users/me`, async (request) => {
      const claims = jwt.verify(request.headers.authorization.slice(7), bench.jwtSecret, {
        algorithms: ['HS256'],
        issuer: 'nuell',
        audience: 'nuell-api',
      });
      const { rows: live } = await query(PRINCIPAL_SQL, [claims.sub, claims.sid]);
      if (!live[0]) throw new Error('session ended');
      const { rows } = await query(
        'SELECT id, email, display_name, role, email_verified_at, created_at FROM users WHERE id = $1',
        [claims.sub],
      );
      return rows[0];
    });
  };
  references('/bare', false);
  references('/prepared', true);
  bare.addHook('onClose', () => pool.end());
  const barePort = await freePort();
  await bare.listen({ port: barePort, host: '127.0.0.1' });
  const bareBase = `http://127.0.0.1:${barePort}/bare`;

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
