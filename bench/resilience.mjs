#!/usr/bin/env node
/**
 * Resilience benchmark (`npm run bench -- resilience`), loopback only, each part bounded:
 *
 * 1. PostgreSQL restarted in the middle of a mixed read/write load: the API must not crash, must
 *    answer during the outage with 503 problem+json (never hang), must serve again within 5 s of
 *    the database being back, and every post it answered 201 for must be in the database.
 * 2. SIGTERM under load: no request sent before the signal may fail.
 * 3. 60 s at 100 connections of mixed reads and writes, with a burst of 40 concurrent sign-ins
 *    every 10 s: no error, resident memory at most 170 MB idle after start, at most 300 MB at the
 *    end and still 10 s later (idle again, after the bursts), growing by less than 10% between the
 *    20th and the 60th second.
 * 4. The cost of shared rate limits: sign-in and feed throughput with counters in PostgreSQL
 *    against counters in process memory, in the same run.
 *
 * BENCH_PARTS picks some of them, e.g. `BENCH_PARTS=soak npm run bench -- resilience`.
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import autocannon from 'autocannon';
import pg from 'pg';
import {
  benchEnv,
  freePort,
  migrateWith,
  startApiProcess,
  startBenchDatabase,
  startEmbeddedPostgres,
  writeResult,
} from './lib.mjs';

const PASSWORD = 'Correct-Horse-Battery-9';
const SOAK_SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 60);
/** Concurrent sign-ins in each of the soak's bursts (one every 10 s). */
const SOAK_BURST = 40;
const ms = (n) => Math.round(n);
const sleep = (t) => new Promise((r) => setTimeout(r, t));

/** One account with a token, and a way to call the API as it. */
async function signedIn(base, tag) {
  const email = `${tag}-${Math.random().toString(36).slice(2)}@example.test`;
  const post = (path, body, headers = {}) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const registered = await post('/auth/register', { email, password: PASSWORD, displayName: tag });
  if (registered.status !== 201) throw new Error(`register: ${registered.status} ${await registered.text()}`);
  const { accessToken } = await (await post('/auth/login', { email, password: PASSWORD })).json();
  return { email, token: accessToken };
}

function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}

async function stopApi(api) {
  if (api.exitCode !== null) return;
  const exited = new Promise((r) => api.once('exit', r));
  api.kill('SIGTERM');
  await exited;
}

/** Workers calling `step` in a loop until `running()` is false; every outcome is recorded. */
function loop(workers, running, step) {
  return Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (running()) await step(worker);
    }),
  );
}

// --- 1. PostgreSQL restarts under load ---------------------------------------------------------
async function databaseRestart() {
  const db = await startBenchDatabase({ persistent: true });
  let database = db.server;
  const port = await freePort();
  const env = await benchEnv(database.url, port, { REQUIRE_VERIFIED_EMAIL: 'false', SHUTDOWN_DRAIN_MS: '0' });
  await migrateWith(env);
  const api = await startApiProcess(env);
  const base = `http://127.0.0.1:${port}/api/v1`;
  try {
    const writer = await signedIn(base, 'writer');
    const created = [];
    const outcomes = []; // { at, status, ms, problem }
    let running = true;
    const started = performance.now();
    const load = loop(
      12,
      () => running,
      async (worker) => {
        const write = worker % 4 === 0;
        const t0 = performance.now();
        let status;
        let problem = false;
        try {
          const res = write
            ? await fetch(`${base}/posts`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', authorization: `Bearer ${writer.token}` },
                body: JSON.stringify({ content: `post from worker ${worker} at ${Date.now()}` }),
                signal: AbortSignal.timeout(15_000),
              })
            : await fetch(`${base}/posts?limit=20`, { signal: AbortSignal.timeout(15_000) });
          status = res.status;
          problem = (res.headers.get('content-type') ?? '').startsWith('application/problem+json');
          const body = await res.json();
          if (write && status === 201) created.push(body.id);
        } catch {
          status = -1; // no answer (connection refused, timeout)
        }
        outcomes.push({ at: t0 - started, status, ms: performance.now() - t0, problem });
        if (status !== 200 && status !== 201) await sleep(20);
      },
    );

    await sleep(5_000);
    await database.stop();
    const downAt = performance.now() - started; // requests from here on find no database
    await sleep(5_000);
    database = await startEmbeddedPostgres(db.options);
    const backAt = performance.now() - started;
    await sleep(10_000);
    running = false;
    await load;

    const during = outcomes.filter((o) => o.at >= downAt && o.at < backAt);
    const firstOkAfter = outcomes.find((o) => o.at >= backAt && (o.status === 200 || o.status === 201));
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query('SELECT count(*)::int AS n FROM posts WHERE id = ANY($1::uuid[])', [created]);
    await client.end();
    return {
      apiAlive: api.exitCode === null,
      requests: outcomes.length,
      outage: {
        ms: ms(backAt - downAt),
        answers: during.length,
        statuses: Object.fromEntries(
          [...new Set(during.map((o) => o.status))].map((s) => [s, during.filter((o) => o.status === s).length]),
        ),
        // Requests already past the database when it went are fine; any other failure is not a 503.
        failuresOtherThan503: during.filter((o) => o.status !== 503 && (o.status < 200 || o.status > 299)).length,
        notProblemJson: during.filter((o) => o.status >= 500 && !o.problem).length,
        slowestMs: ms(Math.max(0, ...during.map((o) => o.ms))),
      },
      servingAgainAfterMs: firstOkAfter ? ms(firstOkAfter.at + firstOkAfter.ms - backAt) : null,
      posts201: created.length,
      posts201InDatabase: rows[0].n,
    };
  } finally {
    await stopApi(api);
    await database.stop();
    await rm(db.dir, { recursive: true, force: true });
  }
}

// --- 2. SIGTERM under load ---------------------------------------------------------------------
async function sigtermUnderLoad() {
  const db = await startBenchDatabase();
  const port = await freePort();
  const env = await benchEnv(db.server.url, port); // production: readiness fails for 5 s first
  await migrateWith(env);
  const api = await startApiProcess(env);
  const base = `http://127.0.0.1:${port}/api/v1`;
  try {
    const reader = await signedIn(base, 'reader');
    let signalAt = Infinity;
    const outcomes = [];
    let running = true;
    const load = loop(
      32,
      () => running,
      async (worker) => {
        const t0 = performance.now();
        let status = -1;
        try {
          const res = await fetch(worker % 2 ? `${base}/posts` : `${base}/users/me`, {
            headers: { authorization: `Bearer ${reader.token}` },
          });
          status = res.status;
          await res.arrayBuffer();
        } catch {
          // refused after the server stopped accepting
        }
        outcomes.push({ before: t0 < signalAt, status });
        if (status === -1) await sleep(20);
      },
    );
    await sleep(3_000);
    signalAt = performance.now();
    const exited = new Promise((r) => api.once('exit', r));
    api.kill('SIGTERM');
    const code = await exited;
    running = false;
    await load;
    const before = outcomes.filter((o) => o.before);
    const after = outcomes.filter((o) => !o.before);
    return {
      exitCode: code,
      sentBeforeSignal: before.length,
      failedBeforeSignal: before.filter((o) => o.status !== 200).length,
      sentAfterSignal: after.length,
      servedAfterSignal: after.filter((o) => o.status === 200).length,
    };
  } finally {
    await stopApi(api);
    await db.server.stop();
  }
}

// --- 3. 60 s of mixed load at 100 connections --------------------------------------------------
/**
 * Bursts of `SOAK_BURST` concurrent sign-ins (argon2 verifications, 19 MiB each on libuv's
 * threads) from the 5th second of the soak and every 10 s after, until `seconds` is nearly over.
 */
async function signInBursts(base, accounts, seconds) {
  const outcome = { bursts: 0, signIns: 0, failed: 0, slowestBurstMs: 0 };
  const started = performance.now();
  for (let at = 5; at <= seconds - 5; at += 10) {
    await sleep(started + at * 1000 - performance.now());
    const t0 = performance.now();
    const statuses = await Promise.all(
      Array.from({ length: SOAK_BURST }, async (_, i) => {
        try {
          const res = await fetch(`${base}/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: accounts[i % accounts.length].email, password: PASSWORD }),
          });
          await res.arrayBuffer();
          return res.status;
        } catch {
          return -1;
        }
      }),
    );
    outcome.bursts++;
    outcome.signIns += statuses.filter((status) => status === 200).length;
    outcome.failed += statuses.filter((status) => status !== 200).length;
    outcome.slowestBurstMs = Math.max(outcome.slowestBurstMs, ms(performance.now() - t0));
  }
  return outcome;
}

async function soak() {
  const db = await startBenchDatabase();
  const port = await freePort();
  const unlimited = '1000000/1m';
  const env = await benchEnv(db.server.url, port, {
    REQUIRE_VERIFIED_EMAIL: 'false',
    // The bursts sign in as a handful of accounts from one address, as fast as they can.
    RATE_LIMIT_LOGIN_ACCOUNT: unlimited,
    RATE_LIMIT_LOGIN_DEVICE: unlimited,
    RATE_LIMIT_LOGIN_IP: unlimited,
    RATE_LIMIT_SIGNUP_IP: unlimited,
  });
  await migrateWith(env);
  const api = await startApiProcess(env);
  const base = `http://127.0.0.1:${port}/api/v1`;
  try {
    // Idle: ready, one request served, then left alone for a few seconds.
    await (await fetch(`${base}/posts`)).arrayBuffer();
    await sleep(5_000);
    const idle = rssOf(api.pid);
    // The live heap (V8's used size, from the API's own metrics) before, during and after the load:
    // it tells garbage the collector has not yet returned from memory that is really held.
    const metricMb = async (name) => {
      const text = await (await fetch(`http://127.0.0.1:${port}/api/metrics`)).text();
      return ms(Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)[1]) / 1e6);
    };
    const heapMb = () => metricMb('nodejs_heap_size_used_bytes');
    const heap = { idle: await heapMb(), during: [] };
    const user = await signedIn(base, 'soak');
    const burstAccounts = await Promise.all(Array.from({ length: 8 }, (_, i) => signedIn(base, `soak-burst-${i}`)));
    const auth = { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' };
    const first = await fetch(`${base}/posts`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ content: 'seed' }),
    });
    const { id } = await first.json();
    const rss = [];
    const sampler = setInterval(() => rss.push(rssOf(api.pid)), 1_000);
    const heapSampler = setInterval(async () => heap.during.push(await heapMb()), 10_000);
    const bursts = signInBursts(base, burstAccounts, SOAK_SECONDS);
    const result = await new Promise((resolve, reject) =>
      autocannon(
        {
          url: `http://127.0.0.1:${port}`,
          connections: 100,
          duration: SOAK_SECONDS,
          requests: [
            { method: 'GET', path: '/api/v1/posts' },
            { method: 'GET', path: `/api/v1/posts/${id}` },
            { method: 'GET', path: '/api/v1/users/me', headers: auth },
            { method: 'GET', path: '/api/v1/posts?limit=50' },
            {
              method: 'POST',
              path: '/api/v1/posts',
              headers: auth,
              body: JSON.stringify({ content: '# Soak\n\nA *short* post with a [link](https://example.com).' }),
            },
          ],
        },
        (error, r) => (error ? reject(error) : resolve(r)),
      ),
    );
    clearInterval(sampler);
    clearInterval(heapSampler);
    const signIns = await bursts;
    await sleep(10_000);
    heap.after10s = await heapMb();
    const rssAfter = rssOf(api.pid);
    // What holds the resident memory then: V8's heap, memory outside it that V8 knows of (buffers),
    // and the rest (the allocator's arenas, native code and libraries).
    const after10s = {
      rss: ms(rssAfter / 1e6),
      heapTotal: await metricMb('nodejs_heap_size_total_bytes'),
      heapUsed: heap.after10s,
      external: await metricMb('nodejs_external_memory_bytes'),
    };
    const at = (second) => rss[Math.min(rss.length - 1, second - 1)];
    return {
      seconds: SOAK_SECONDS,
      requests: result.requests.total,
      requestsPerSecond: ms(result.requests.average),
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      latencyP99Ms: result.latency.p99,
      signIns,
      rssMb: {
        idle: ms(idle / 1e6),
        at20s: ms(at(20) / 1e6),
        atEnd: ms(at(SOAK_SECONDS) / 1e6),
        peak: ms(Math.max(...rss) / 1e6),
        after10s: ms(rssAfter / 1e6),
      },
      heapUsedMb: heap,
      memoryMbAfter10s: after10s,
      rssGrowth20to60: Math.round((at(SOAK_SECONDS) / at(20) - 1) * 1000) / 1000,
    };
  } finally {
    await stopApi(api);
    await db.server.stop();
  }
}

// --- 4. What shared limits cost ----------------------------------------------------------------
async function limitCost() {
  const db = await startBenchDatabase();
  const figures = {};
  try {
    for (const store of ['memory', 'postgres', 'memory', 'postgres']) {
      const port = await freePort();
      const env = await benchEnv(db.server.url, port, {
        RATE_LIMIT_STORE: store,
        RATE_LIMIT_LOGIN_ACCOUNT: '1000000/1m',
        RATE_LIMIT_LOGIN_DEVICE: '1000000/1m',
        RATE_LIMIT_LOGIN_IP: '1000000/1m',
        RATE_LIMIT_SIGNUP_IP: '1000000/1m',
      });
      await migrateWith(env);
      const api = await startApiProcess(env);
      const base = `http://127.0.0.1:${port}/api/v1`;
      try {
        const accounts = await Promise.all(Array.from({ length: 8 }, (_, i) => signedIn(base, `limits-${i}`)));
        let signIns = 0;
        let running = true;
        const t0 = performance.now();
        const load = loop(
          8,
          () => running,
          async (worker) => {
            const res = await fetch(`${base}/auth/login`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ email: accounts[worker].email, password: PASSWORD }),
            });
            await res.arrayBuffer();
            if (res.status === 200) signIns++;
          },
        );
        await sleep(8_000);
        running = false;
        await load;
        const signInsPerSecond = signIns / ((performance.now() - t0) / 1000);
        const feed = await new Promise((resolve, reject) =>
          autocannon({ url: `${base}/posts`, connections: 16, duration: 8 }, (e, r) => (e ? reject(e) : resolve(r))),
        );
        (figures[store] ??= []).push({ signInsPerSecond, feedPerSecond: feed.requests.average });
      } finally {
        await stopApi(api);
      }
    }
  } finally {
    await db.server.stop();
  }
  const mean = (list, key) => list.reduce((sum, f) => sum + f[key], 0) / list.length;
  return {
    signInsPerSecond: {
      memory: ms(mean(figures.memory, 'signInsPerSecond')),
      postgres: ms(mean(figures.postgres, 'signInsPerSecond')),
    },
    feedPerSecond: {
      memory: ms(mean(figures.memory, 'feedPerSecond')),
      postgres: ms(mean(figures.postgres, 'feedPerSecond')),
    },
  };
}

const parts = new Set((process.env.BENCH_PARTS ?? 'restart,sigterm,soak,limits').split(','));
const results = {};
const verdicts = [];
if (parts.has('restart')) {
  const restart = (results.restart = await databaseRestart());
  console.log('database restart under load:', JSON.stringify(restart));
  verdicts.push(
    ['API alive after the restart', restart.apiAlive],
    [
      'only 503 problem+json during the outage',
      restart.outage.failuresOtherThan503 === 0 && restart.outage.notProblemJson === 0,
    ],
    [
      `serving again ${restart.servingAgainAfterMs} ms after PostgreSQL (≤ 5000)`,
      restart.servingAgainAfterMs !== null && restart.servingAgainAfterMs <= 5_000,
    ],
    [
      `${restart.posts201InDatabase}/${restart.posts201} posts answered 201 kept`,
      restart.posts201InDatabase === restart.posts201,
    ],
  );
}
if (parts.has('sigterm')) {
  const sigterm = (results.sigterm = await sigtermUnderLoad());
  console.log('SIGTERM under load:', JSON.stringify(sigterm));
  verdicts.push([
    `${sigterm.failedBeforeSignal} requests sent before SIGTERM failed`,
    sigterm.failedBeforeSignal === 0,
  ]);
}
if (parts.has('soak')) {
  const soaked = (results.soak = await soak());
  console.log(`${SOAK_SECONDS} s at 100 connections:`, JSON.stringify(soaked));
  verdicts.push(
    ['no error under load', soaked.non2xx === 0 && soaked.errors === 0 && soaked.signIns.failed === 0],
    [`RSS idle ${soaked.rssMb.idle} MB (≤ 170)`, soaked.rssMb.idle <= 170],
    [`RSS after ${SOAK_SECONDS} s ${soaked.rssMb.atEnd} MB (≤ 300)`, soaked.rssMb.atEnd <= 300],
    [
      `RSS idle 10 s after the load and its sign-in bursts ${soaked.rssMb.after10s} MB (≤ 300)`,
      soaked.rssMb.after10s <= 300,
    ],
    [`RSS +${Math.round(soaked.rssGrowth20to60 * 100)}% from 20 s to the end (< 10%)`, soaked.rssGrowth20to60 < 0.1],
  );
}
if (parts.has('limits')) {
  const limits = (results.limits = await limitCost());
  console.log('shared limits (postgres) vs in-process (memory):', JSON.stringify(limits));
  console.log(
    `sign-ins ${limits.signInsPerSecond.postgres}/${limits.signInsPerSecond.memory} per second, shared/in-process`,
  );
}
await writeResult('resilience', results);
for (const [what, met] of verdicts) console.log(`${met ? 'met   ' : 'MISSED'} ${what}`);
console.log(`resilience: ${verdicts.filter(([, met]) => met).length}/${verdicts.length} checks met`);
