/**
 * What the API benchmarks share: the built API (npm run bench builds it) running on a throwaway
 * embedded PostgreSQL, migrated, on free ports (`stop()` ends both); the posts the request-path
 * benchmarks read; the bare Fastify + pg references they are measured against; and alternated
 * load runs.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, startEmbeddedPostgres, startThrowawayPostgres } from '../scripts/lib/embedded-postgres.mjs';
export { freePort, startEmbeddedPostgres };
import { ROOT } from '../scripts/lib/dev-env.mjs';

function runNode(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited ${code}`))));
  });
}

async function waitReady(url) {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not become ready`);
}

/** A throwaway embedded PostgreSQL; `persistent` keeps its files so it can be stopped and started again. */
export function startBenchDatabase({ persistent = false } = {}) {
  return startThrowawayPostgres({ prefix: 'nuell-bench-', database: 'bench', persistent });
}

/** The production-mode environment of a benchmarked API on this database and port. */
export async function benchEnv(databaseUrl, port, extraEnv = {}) {
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    LOG_LEVEL: 'fatal',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: randomBytes(32).toString('hex'),
    SMTP_URL: `smtp://127.0.0.1:${await freePort()}`, // nobody listens: mail is irrelevant here
    PORT: String(port),
    ...extraEnv,
  };
}

/**
 * The built API as a process with this environment and its production V8 flags and allocator
 * settings (`env` may override the latter), once it answers readiness. BENCH_API_FLAGS adds Node flags, e.g. `--cpu-prof --cpu-prof-dir=bench/results/profiles`
 * to profile the API under a benchmark's load (the profile is written when it stops).
 */
export async function startApiProcess(
  env,
  nodeFlags = (process.env.BENCH_API_FLAGS ?? '').split(/\s+/).filter(Boolean),
) {
  const { API_NODE_FLAGS, API_PROCESS_ENV } = await import(join(ROOT, 'api/dist/node-flags.js'));
  const api = spawn(process.execPath, [...API_NODE_FLAGS, ...nodeFlags, join(ROOT, 'api/dist/main.js')], {
    env: { ...API_PROCESS_ENV, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitReady(`http://127.0.0.1:${env.PORT}/api/health/ready`);
  } catch (error) {
    api.kill('SIGKILL');
    throw error;
  }
  return api;
}

/** Applies the migrations with the API's own CLI. */
export const migrateWith = (env) => runNode([join(ROOT, 'api/dist/cli/main.js'), 'migrate'], env);

/**
 * Starts PostgreSQL and migrates it; `beforeApi(databaseUrl)` may fill it; then starts the API.
 * Returns { databaseUrl, apiUrl (…/api/v1), stop() }.
 */
export async function startBenchApi({ env: extraEnv = {}, beforeApi } = {}) {
  const { server: database } = await startBenchDatabase();
  const port = await freePort();
  const env = await benchEnv(database.url, port, extraEnv);
  let api;
  const stop = async () => {
    if (api && api.exitCode === null) {
      api.kill('SIGTERM');
      await new Promise((r) => api.once('exit', r));
    }
    await database.stop();
  };
  try {
    await migrateWith(env);
    await beforeApi?.(database.url);
    api = await startApiProcess(env);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    databaseUrl: database.url,
    apiUrl: `http://127.0.0.1:${port}/api/v1`,
    jwtSecret: env.JWT_SECRET,
    pid: api.pid,
    stop,
  };
}

export async function writeResult(name, result) {
  await mkdir(join(ROOT, 'bench/results'), { recursive: true });
  await writeFile(join(ROOT, `bench/results/${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
}

/**
 * Fills a database as the request-path benchmarks read it: `authors` authors and `posts`
 * published posts among them, spread over a year, rendered like a typical short post; then
 * `VACUUM ANALYZE`, so the plans are those of a settled table.
 */
export async function seedPublishedPosts(client, { posts, authors }) {
  await client.query(
    `INSERT INTO users (id, email, display_name, password_hash)
    SELECT gen_random_uuid(), 'author' || i || '@example.test', 'Author ' || i, 'x' FROM generate_series(1, $1) AS i`,
    [authors],
  );
  await client.query(
    `WITH authors AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM users),
          series AS (SELECT i, now() - random() * interval '365 days' AS t FROM generate_series(1, $1) AS i)
     INSERT INTO posts (id, author_id, status, content, content_html, excerpt, word_count, reading_time_minutes,
                        renderer_version, created_at, updated_at, published_at)
     SELECT gen_random_uuid(), a.id, 'published', 'Post ' || i || ' with **some** words.',
            '<p>Post ' || i || ' with <strong>some</strong> words.</p>', 'Post ' || i || ' with some words.', 5, 1, 1,
            t, t, t
       FROM series JOIN authors a ON a.n = series.i % $2`,
    [posts, authors],
  );
  await client.query('VACUUM ANALYZE');
}

/** The query of the bare references' /users/me: the API guard's check that account and session are live. */
const PRINCIPAL_SQL = `SELECT u.role, u.email_verified_at IS NOT NULL AS verified FROM users u
  WHERE u.id = $1 AND u.is_active AND EXISTS (SELECT 1 FROM sessions s WHERE s.family_id = $2
    AND s.user_id = u.id AND s.revoked_at IS NULL AND s.expires_at > now())`;

/**
 * The bare Fastify + pg references of the API's hot reads, on `databaseUrl` with a pool of
 * `poolMax`: the same SQL as the API (api/dist/posts/post-queries.js), the same pool size and JSON
 * shape, no framework, a query on every request. Under /bare/ each statement is sent unnamed, as a
 * hand-written endpoint usually does (PostgreSQL parses and plans it each time); under /prepared/
 * named, as the API sends its hot statements. /users/me checks the token as the API does
 * (jsonwebtoken, the same pinned algorithm, issuer and audience, with `jwtSecret`), then the same
 * two statements. Resolves with { url (http://127.0.0.1:<port>), close() }.
 */
export async function startBareReference({ databaseUrl, poolMax = 10, jwtSecret }) {
  const [{ default: Fastify }, { default: jwt }, { default: pg }, queries] = await Promise.all([
    import('fastify'),
    import('jsonwebtoken'),
    import('pg'),
    import(join(ROOT, 'api/dist/posts/post-queries.js')),
  ]);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolMax });
  const feed = queries.feedStatement({ author: false, after: false });
  const onePost = `${queries.SELECT_ONE_POST} WHERE p.id = $1 AND u.is_active`;
  const server = Fastify();
  const routes = (prefix, named) => {
    const query = (text, values) =>
      pool.query(
        named
          ? { name: `bench_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`, text, values }
          : { text, values },
      );
    server.get(`${prefix}/posts`, async () => {
      const { rows } = await query(feed, [21]);
      return { items: rows.slice(0, 20), nextCursor: rows.length > 20 ? 'x' : null };
    });
    server.get(`${prefix}/posts/:id`, async (request) => {
      const { rows } = await query(onePost, [request.params.id]);
      return rows[0];
    });
    server.get(`${prefix}/users/me`, async (request) => {
      const claims = jwt.verify(request.headers.authorization.slice(7), jwtSecret, {
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
  routes('/bare', false);
  routes('/prepared', true);
  server.addHook('onClose', () => pool.end());
  const port = await freePort();
  await server.listen({ port, host: '127.0.0.1' });
  return { url: `http://127.0.0.1:${port}`, pool, close: () => server.close() };
}

const round2 = (n) => Math.round(n * 100) / 100;

/** Median and spread of a list of ratios. */
export function summarise(ratios) {
  const sorted = [...ratios].sort((a, b) => a - b);
  const median =
    sorted.length % 2
      ? sorted[(sorted.length - 1) / 2]
      : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return { median: round2(median), min: round2(sorted[0]), max: round2(sorted[sorted.length - 1]) };
}

/**
 * Runs `contenders` ({ name: { url, headers } }) against each other: each warmed up once, then
 * `rounds` rounds in which each runs `seconds` in turn (alternated, so that a busy moment of the
 * machine hits them alike), with autocannon driving `connections` connections from a worker
 * thread (so that a server in the calling process keeps its own event loop, competing for the
 * cores as the API process does). Every answer must be a 2xx. Resolves with the rounds:
 * [{ name: { rate (req/s), p99 (ms) } }].
 */
export async function alternate(label, contenders, { seconds = 5, rounds = 3, connections = 16 } = {}) {
  const { default: autocannon } = await import('autocannon');
  const run = async ({ url, headers }) => {
    const result = await new Promise((resolve, reject) =>
      autocannon({ url, connections, duration: seconds, headers, workers: 1 }, (error, r) =>
        error ? reject(error) : resolve(r),
      ),
    );
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${label}: failed answers under load from ${url}`);
    return { rate: Math.round(result.requests.average), p99: result.latency.p99 };
  };
  for (const contender of Object.values(contenders)) await run(contender);
  const results = [];
  for (let i = 0; i < rounds; i++) {
    const round = {};
    for (const [name, contender] of Object.entries(contenders)) round[name] = await run(contender);
    results.push(round);
  }
  return results;
}
