#!/usr/bin/env node
/**
 * Hostile-bodies benchmark: the latency of the liveness probe while clients keep sending the
 * bodies that once cost the main thread most (deeply nested and very wide JSON, just under 1 MB,
 * unauthenticated, to a route that accepts post content), against the same probe on an idle
 * server in the same run. The API refuses them before parsing, so the probe should barely notice.
 */
import { startBenchApi, writeResult } from './lib.mjs';

const SECONDS = Number(process.env.BENCH_HOSTILE_SECONDS ?? 10);
const ATTACKERS = 5;

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const ms = (n) => Math.round(n * 100) / 100;

const bench = await startBenchApi();
const health = bench.apiUrl.replace(/\/v1$/, '/health/live');
const bodies = [
  `{"content":${'['.repeat(400_000)}"x"${']'.repeat(400_000)}}`,
  `{"content":[${'1,'.repeat(400_000)}1]}`,
  `{"content":"x","extra":{${Array.from({ length: 60_000 }, (_, i) => `"k${i}":1`).join(',')}}}`,
];

try {
  async function probe() {
    const start = performance.now();
    const res = await fetch(health);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`health: ${res.status}`);
    return performance.now() - start;
  }
  for (let i = 0; i < 50; i++) await probe();
  const idle = [];
  for (const end = performance.now() + SECONDS * 500; performance.now() < end;) idle.push(await probe());

  let stop = false;
  let refused = 0;
  const attackers = Array.from({ length: ATTACKERS }, async (_, i) => {
    while (!stop) {
      const res = await fetch(`${bench.apiUrl}/posts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: bodies[(i + refused) % bodies.length],
      });
      await res.arrayBuffer();
      if (res.status !== 400) throw new Error(`hostile body answered ${res.status}`);
      refused++;
    }
  });
  const during = [];
  const start = performance.now();
  for (const end = start + SECONDS * 1000; performance.now() < end;) during.push(await probe());
  stop = true;
  await Promise.all(attackers);
  const seconds = (performance.now() - start) / 1000;

  const result = {
    attackers: ATTACKERS,
    hostileBodiesPerSecond: ms(refused / seconds),
    healthLatencyMs: {
      idle: { p50: ms(quantile(idle, 0.5)), p99: ms(quantile(idle, 0.99)), max: ms(Math.max(...idle)) },
      underAttack: { p50: ms(quantile(during, 0.5)), p99: ms(quantile(during, 0.99)), max: ms(Math.max(...during)) },
    },
  };
  await writeResult('hostile-bodies', result);
  const { idle: i, underAttack: a } = result.healthLatencyMs;
  console.log(`hostile bodies refused: ${result.hostileBodiesPerSecond}/s from ${ATTACKERS} clients`);
  console.log(
    `health p50 idle ${i.p50} ms, under attack ${a.p50} ms; p99 ${i.p99} / ${a.p99} ms; max ${i.max} / ${a.max} ms`,
  );
  console.log(`hostile-bodies: health p99 under attack vs idle: ${ms(a.p99 / i.p99)}x`);
} finally {
  await bench.stop();
}
