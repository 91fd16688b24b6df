#!/usr/bin/env node
/**
 * Live-stream benchmark (docs/performance.md, "Live stream"): many open streams
 * (GET /api/v1/posts/stream) on one API process, in production mode on its own embedded
 * PostgreSQL. It measures what idle streams cost in memory (the process's RSS and V8's used heap
 * before and after opening them) and how long a post takes from its commit to every client: each
 * post is inserted in a transaction of its own, timed from just before its COMMIT, and every
 * client notes when the post's event reaches it. Target: p99 under 1 s. The clients run in this
 * process, on the same machine: their own reading is part of the figures (the first client's time
 * is close to the server's own: NOTIFY, then the first write).
 *
 * `npm run bench -- live` runs it as its `streams` part (bench/live.mjs imports `streams`);
 * `node bench/live-streams.mjs` runs it alone (BENCH_STREAMS, BENCH_STREAM_POSTS).
 */
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { startBenchApi, writeResult } from './lib.mjs';

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const MiB = 1024 * 1024;

/** The process's resident memory, in bytes (ps: Linux and macOS alike). */
function rssOf(pid) {
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
}

/** V8's used heap, as the API's own metrics say (a loopback scrape needs no token). */
async function heapUsedOf(apiUrl) {
  const text = await (await fetch(apiUrl.replace(/\/v1$/, '/metrics'))).text();
  return Number(/^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1] ?? NaN);
}

/** Memory once the process has settled: the lowest of a few readings a moment apart. */
async function settledMemory(pid, apiUrl) {
  const readings = [];
  for (let i = 0; i < 5; i++) {
    await sleep(400);
    readings.push({ rss: rssOf(pid), heap: await heapUsedOf(apiUrl) });
  }
  return { rss: Math.min(...readings.map((r) => r.rss)), heap: Math.min(...readings.map((r) => r.heap)) };
}

/**
 * One client: an open stream. `onPost(postId, at)` is called when a post.created event arrives.
 * Resolves once its `ready` event has arrived.
 */
function openClient(url, onPost) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false, headers: { accept: 'text/event-stream' } }, (response) => {
      if (response.statusCode !== 200) {
        reject(new Error(`the stream answered ${response.statusCode}`));
        response.resume();
        return;
      }
      response.setEncoding('utf8');
      let rest = '';
      let ready = false;
      response.on('data', (chunk) => {
        const at = performance.now();
        const frames = (rest + chunk).split('\n\n');
        rest = frames.pop();
        for (const frame of frames) {
          if (!ready && frame.includes('event: ready')) {
            ready = true;
            resolve(request);
          }
          if (frame.includes('event: post.created')) onPost(/"postId":"([^"]+)"/.exec(frame)?.[1], at);
        }
      });
      response.on('error', () => {});
    });
    request.on('error', reject);
  });
}

/**
 * Opens `clients` streams on a fresh API process, measures their memory, then commits `posts`
 * posts one after the other and times each one's way to every client. Prints what it finds and
 * resolves with the figures (milliseconds, MiB).
 */
export async function streams({ clients = 5_000, posts = 20, log = console.log } = {}) {
  const limit = Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim());
  if (limit < clients + 1_000) {
    throw new Error(`${clients} streams need more open files than ulimit -n allows (${limit}); raise it first`);
  }
  const bench = await startBenchApi({
    env: { STREAM_MAX_PER_IP: String(clients), STREAM_MAX_CONNECTIONS: String(clients) },
  });
  const db = new pg.Client({ connectionString: bench.databaseUrl });
  const sockets = [];
  try {
    await db.connect();
    const {
      rows: [author],
    } = await db.query(
      `INSERT INTO users (id, email, display_name, password_hash)
       VALUES (gen_random_uuid(), 'live-bench@example.test', 'Live Bench', 'x')
       RETURNING id`,
    );

    // Arrival times per post, filled in by the clients.
    const arrivals = new Map();
    const onPost = (postId, at) => arrivals.get(postId)?.push(at);

    // Warm the route up, then read the idle process's memory.
    const warm = await openClient(`${bench.apiUrl}/posts/stream`, onPost);
    warm.destroy();
    const before = await settledMemory(bench.pid, bench.apiUrl);

    const opening = performance.now();
    for (let opened = 0; opened < clients;) {
      const batch = Math.min(250, clients - opened);
      sockets.push(
        ...(await Promise.all(Array.from({ length: batch }, () => openClient(`${bench.apiUrl}/posts/stream`, onPost)))),
      );
      opened += batch;
    }
    const openSeconds = (performance.now() - opening) / 1000;
    const after = await settledMemory(bench.pid, bench.apiUrl);
    const rssPer1000 = ((after.rss - before.rss) / clients) * 1000;
    const heapPer1000 = ((after.heap - before.heap) / clients) * 1000;
    log(
      `live streams: ${clients} open in ${round(openSeconds)} s; RSS ${round(before.rss / MiB)} -> ` +
        `${round(after.rss / MiB)} MiB (${round(rssPer1000 / MiB, 2)} MiB per 1,000 idle streams), used heap ` +
        `${round(before.heap / MiB)} -> ${round(after.heap / MiB)} MiB (${round(heapPer1000 / MiB, 2)} MiB per 1,000)`,
    );

    // Each post in a transaction of its own, timed from just before its COMMIT; the next one once
    // every client has this one (or 10 s have passed: then some never got it, which is reported).
    const delivery = [];
    const everyClient = [];
    const firstClient = [];
    let missing = 0;
    for (let i = 0; i < posts; i++) {
      await db.query('BEGIN');
      const {
        rows: [post],
      } = await db.query(
        `INSERT INTO posts (id, author_id, content, content_html, excerpt, word_count, reading_time_minutes,
                            renderer_version, status, published_at)
         VALUES (gen_random_uuid(), $1, $2, $3, $2, 3, 1, 1, 'published', now()) RETURNING id`,
        [author.id, `Live post ${i}`, `<p>Live post ${i}</p>`],
      );
      const seen = [];
      arrivals.set(post.id, seen);
      const committing = performance.now();
      await db.query('COMMIT');
      for (const deadline = committing + 10_000; seen.length < clients && performance.now() < deadline;) {
        await sleep(5);
      }
      missing += clients - seen.length;
      const latencies = seen.map((at) => at - committing);
      delivery.push(...latencies);
      if (seen.length > 0) firstClient.push(Math.min(...latencies));
      if (seen.length === clients) everyClient.push(Math.max(...latencies));
      arrivals.delete(post.id);
      await sleep(200);
    }
    const result = {
      clients,
      openSeconds: round(openSeconds),
      rssBeforeMiB: round(before.rss / MiB),
      rssAfterMiB: round(after.rss / MiB),
      rssPer1000StreamsMiB: round(rssPer1000 / MiB, 2),
      heapPer1000StreamsMiB: round(heapPer1000 / MiB, 2),
      posts,
      deliveries: delivery.length,
      missing,
      firstClientP50Ms: round(quantile(firstClient, 0.5)),
      deliveryP50Ms: round(quantile(delivery, 0.5)),
      deliveryP99Ms: round(quantile(delivery, 0.99)),
      everyClientP50Ms: round(quantile(everyClient, 0.5)),
      everyClientP99Ms: round(quantile(everyClient, 0.99)),
      everyClientMaxMs: round(Math.max(...everyClient)),
    };
    log(
      `live streams: commit to client over ${posts} posts x ${clients} clients: first client p50 ` +
        `${result.firstClientP50Ms} ms; every delivery p50 ${result.deliveryP50Ms} ms, ` +
        `p99 ${result.deliveryP99Ms} ms; to every client: p50 ${result.everyClientP50Ms} ms, ` +
        `p99 ${result.everyClientP99Ms} ms, max ${result.everyClientMaxMs} ms` +
        (missing > 0 ? `; ${missing} deliveries missing after 10 s` : '; none missing'),
    );
    log(`live streams: p99 commit-to-every-client under 1 s: ${result.everyClientP99Ms < 1000 ? 'yes' : 'NO'}`);
    return result;
  } finally {
    for (const socket of sockets) socket.destroy();
    await db.end().catch(() => undefined);
    await bench.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await streams({
    clients: Number(process.env.BENCH_STREAMS ?? 5_000),
    posts: Number(process.env.BENCH_STREAM_POSTS ?? 20),
  });
  await writeResult('live-streams', result);
}
