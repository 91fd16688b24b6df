#!/usr/bin/env node
/**
 * Login benchmark: sign-in throughput, and the latency of read requests (GET /users/me: token
 * check plus a database query) while a burst of sign-ins runs, against the same reads on an idle
 * server in the same run. argon2 hashes on libuv's pool, so reads should stay within 2x.
 * Also reports the sign-in failure timings that must not tell accounts apart.
 *
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startBenchApi, writeResult } from './lib.mjs';

const BURST_SECONDS = Number(process.env.BENCH_BURST_SECONDS ?? 10);
const LOGIN_WORKERS = Number(process.env.BENCH_LOGIN_WORKERS ?? 8);
const PASSWORD = 'Correct-Horse-Battery-9';

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const ms = (n) => Math.round(n * 100) / 100;

const bench = await startBenchApi({
  env: {
    NODE_ENV: 'development',
    RATE_LIMIT_LOGIN_ACCOUNT: '1000000/1m',
    RATE_LIMIT_LOGIN_DEVICE: '1000000/1m',
    RATE_LIMIT_LOGIN_IP: '1000000/1m',
    RATE_LIMIT_SIGNUP_IP: '1000000/1m',
  },
});
const base = bench.apiUrl;

try {
  const post = (path, body) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const emails = [];
  for (let i = 0; i < LOGIN_WORKERS + 2; i++) {
    const email = `bench-${i}-${randomBytes(3).toString('hex')}@example.test`;
    const res = await post('/auth/register', { email, password: PASSWORD, displayName: `Bench ${i}` });
    if (res.status !== 201) throw new Error(`register: ${res.status} ${await res.text()}`);
    emails.push(email);
  }
  const [readerEmail, suspendedEmail, ...loginEmails] = emails;
  const { accessToken } = await (await post('/auth/login', { email: readerEmail, password: PASSWORD })).json();

  async function read() {
    const start = performance.now();
    const res = await fetch(`${base}/users/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`read: ${res.status}`);
    return performance.now() - start;
  }

  // Idle reference: the same reads with nothing else going on.
  for (let i = 0; i < 50; i++) await read();
  const idle = [];
  for (const end = performance.now() + BURST_SECONDS * 500; performance.now() < end;) idle.push(await read());

  // Burst: workers sign in as fast as they can while the reader keeps reading.
  let logins = 0;
  let stop = false;
  const burstStart = performance.now();
  const workers = loginEmails.map(async (email) => {
    while (!stop) {
      const res = await post('/auth/login', { email, password: PASSWORD });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`login: ${res.status}`);
      logins++;
    }
  });
  const during = [];
  for (const end = burstStart + BURST_SECONDS * 1000; performance.now() < end;) during.push(await read());
  stop = true;
  await Promise.all(workers);
  const burstSeconds = (performance.now() - burstStart) / 1000;

  // Failure timings: unknown e-mail, wrong password, and a guess at a suspended account must not
  // tell accounts apart (its right password answers 403 account-suspended, by design, and only then).
  const client = new pg.Client({ connectionString: bench.databaseUrl });
  await client.connect();
  await client.query(
    `UPDATE users SET is_active = false, suspended_at = now(), suspension_reason = 'bench'
      WHERE lower(email) = lower($1)`,
    [suspendedEmail],
  );
  await client.end();
  const failures = { unknown: [], wrong: [], suspended: [] };
  const cases = {
    unknown: () => ({ email: `nobody-${randomBytes(3).toString('hex')}@example.test`, password: PASSWORD }),
    wrong: () => ({ email: loginEmails[0], password: `${PASSWORD}-x` }),
    suspended: () => ({ email: suspendedEmail, password: `${PASSWORD}-x` }),
  };
  for (let i = 0; i < 50; i++) {
    for (const [name, body] of Object.entries(cases)) {
      const start = performance.now();
      const res = await post('/auth/login', body());
      await res.arrayBuffer();
      if (res.status !== 401) throw new Error(`${name}: ${res.status}`);
      failures[name].push(performance.now() - start);
    }
  }
  const medians = Object.fromEntries(Object.entries(failures).map(([k, v]) => [k, ms(quantile(v, 0.5))]));
  const spread = Math.max(...Object.values(medians)) - Math.min(...Object.values(medians));

  const result = {
    loginWorkers: LOGIN_WORKERS,
    burstSeconds: ms(burstSeconds),
    loginsPerSecond: ms(logins / burstSeconds),
    readLatencyMs: {
      idle: { p50: ms(quantile(idle, 0.5)), p99: ms(quantile(idle, 0.99)), samples: idle.length },
      duringLogins: { p50: ms(quantile(during, 0.5)), p99: ms(quantile(during, 0.99)), samples: during.length },
    },
    readLatencyRatio: {
      p50: ms(quantile(during, 0.5) / quantile(idle, 0.5)),
      p99: ms(quantile(during, 0.99) / quantile(idle, 0.99)),
    },
    failedLoginMedianMs: medians,
    failedLoginMedianSpreadMs: ms(spread),
  };
  await writeResult('login', result);

  console.log(`logins/s (${LOGIN_WORKERS} concurrent clients): ${result.loginsPerSecond}`);
  console.log(
    `read p50 idle ${result.readLatencyMs.idle.p50} ms, during logins ${result.readLatencyMs.duringLogins.p50} ms`,
  );
  console.log(
    `read p99 idle ${result.readLatencyMs.idle.p99} ms, during logins ${result.readLatencyMs.duringLogins.p99} ms`,
  );
  console.log(`failed sign-in medians (ms): ${JSON.stringify(medians)}, spread ${result.failedLoginMedianSpreadMs} ms`);
  console.log(`login: read latency during login burst: ${result.readLatencyRatio.p50}x idle (p50, target <= 2)`);
} finally {
  await bench.stop();
}
