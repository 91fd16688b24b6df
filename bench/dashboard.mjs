#!/usr/bin/env node
/**
 * Control-panel dashboard benchmark: a million posts, 50,000 accounts and 200,000 sessions, then
 * the dashboard's own queries (captured from the real repositories as they run) under
 * EXPLAIN (ANALYZE, BUFFERS), and the whole dashboard timed (median of 20). docs/performance.md
 * shows the plans: index scans and index-only scans, no sequential scan of posts.
 */
import pg from 'pg';
import { createDataSource } from '../api/dist/database/data-source.js';
import { PostsRepository } from '../api/dist/posts/posts.repository.js';
import { SessionsRepository } from '../api/dist/auth/sessions.repository.js';
import { UsersRepository } from '../api/dist/users/users.repository.js';
import { dashboardData } from '../admin/dist/dashboard.js';
import { startBenchApi, writeResult } from './lib.mjs';

const POSTS = Number(process.env.BENCH_POSTS ?? 1_000_000);
const USERS = 50_000;
const SESSIONS = 200_000;
const RUNS = 20;

async function seed(client) {
  console.log(`seeding ${USERS} accounts, ${POSTS} posts over a year, ${SESSIONS} sessions…`);
  await client.query(
    `INSERT INTO users (id, email, display_name, password_hash, created_at)
     SELECT gen_random_uuid(), 'user' || i || '@example.test', 'User ' || i, 'x', now() - random() * interval '365 days'
       FROM generate_series(1, $1) AS i`,
    [USERS],
  );
  await client.query(
    `WITH authors AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM users),
          series AS (SELECT i, now() - random() * interval '365 days' AS t FROM generate_series(1, $1) AS i)
     INSERT INTO posts (id, author_id, content, content_html, excerpt, word_count, reading_time_minutes, renderer_version, created_at, updated_at)
     SELECT gen_random_uuid(), a.id, 'Post ' || i, '<p>Post ' || i || '</p>', 'Post ' || i, 2, 1, 1, t, t
       FROM series JOIN authors a ON a.n = series.i % $2`,
    [POSTS, USERS],
  );
  await client.query(
    `WITH accounts AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM users),
          series AS (SELECT i, now() - random() * interval '60 days' AS t FROM generate_series(1, $1) AS i)
     INSERT INTO sessions (id, user_id, family_id, token_hash, expires_at, family_expires_at, scope, last_used_at, created_at, updated_at)
     SELECT gen_random_uuid(), a.id, gen_random_uuid(), md5(i::text) || md5((i + 1)::text),
            t + interval '7 days', t + interval '30 days', 'profile', t, t, t
       FROM series JOIN accounts a ON a.n = series.i % $2`,
    [SESSIONS, USERS],
  );
  await client.query('VACUUM ANALYZE');
}

/** A TypeORM logger that keeps every query the dashboard runs, with its parameters. */
class Recorder {
  queries = [];
  logQuery(query, parameters) {
    this.queries.push({ query, parameters: parameters ?? [] });
  }
  logQueryError() {}
  logQuerySlow() {}
  logSchemaBuild() {}
  logMigration() {}
  log() {}
}

const result = {};
const bench = await startBenchApi({
  beforeApi: async (databaseUrl) => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const recorder = new Recorder();
    const dataSource = createDataSource({ database: { url: databaseUrl, poolMax: 8 } });
    dataSource.setOptions({ logging: ['query'], logger: recorder });
    await dataSource.initialize();
    try {
      await seed(client);
      const repositories = {
        users: new UsersRepository(dataSource),
        posts: new PostsRepository(dataSource),
        sessions: new SessionsRepository(dataSource),
      };
      await dashboardData(repositories); // warm up, and record the queries
      const queries = recorder.queries.splice(0);
      const plans = [];
      for (const { query, parameters } of queries) {
        const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) ${query}`, parameters);
        plans.push({ query, plan: rows.map((r) => r['QUERY PLAN']) });
      }
      const times = [];
      for (let i = 0; i < RUNS; i++) {
        const started = process.hrtime.bigint();
        await dashboardData(repositories);
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      times.sort((a, b) => a - b);
      Object.assign(result, {
        posts: POSTS,
        users: USERS,
        sessions: SESSIONS,
        dashboardMs: { median: times[Math.floor(RUNS / 2)], max: times[RUNS - 1] },
        plans,
      });
    } finally {
      await dataSource.destroy();
      await client.end();
    }
  },
});
await bench.stop();

for (const { query, plan } of result.plans) {
  console.log(`\n-- ${query.replace(/\s+/g, ' ').trim()}`);
  console.log(plan.join('\n'));
}
console.log(
  `\ndashboard with ${POSTS} posts: median ${result.dashboardMs.median.toFixed(1)} ms, max ${result.dashboardMs.max.toFixed(1)} ms (${RUNS} runs, 7 queries in parallel)`,
);
await writeResult('dashboard', result);
