#!/usr/bin/env node
/**
 * The control panel's weight: the built panel (admin/dist/main.js) as its own process on a
 * throwaway PostgreSQL, in production mode (prebuilt bundles, as the image runs it) and in
 * development mode (as `npm start` runs it), idle and after an operator has browsed every page
 * (lists, records, filters, the dashboard and the health page). Reads the process's resident set
 * (VmRSS) from /proc, the panel started with its heap settings (admin/src/node-flags.ts). Budget: at
 * most 200 MB idle in production. BENCH_PANEL_FLAGS adds Node flags to the panel (later flags win).
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { ROOT } from '../scripts/lib/dev-env.mjs';
import { freePort, startBenchApi, writeResult } from './lib.mjs';

const BUDGET_MB = 200;
const ROUNDS = Number(process.env.BENCH_PANEL_ROUNDS ?? 30);
const SETTLE_MS = 10_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function rssMb(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024);
}

async function waitReady(url, child) {
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error(`the panel exited (${child.exitCode})`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  throw new Error(`${url} did not become ready`);
}

async function startPanel(env, mode) {
  const port = await freePort();
  const panelEnv = {
    ...env,
    NODE_ENV: mode,
    ADMIN_PORT: String(port),
    ADMIN_URL: `http://127.0.0.1:${port}/cp`,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
  };
  if (mode !== 'production') delete panelEnv.ADMIN_JS_SKIP_BUNDLE;
  const { PANEL_NODE_FLAGS } = await import(join(ROOT, 'admin/dist/node-flags.js'));
  const flags = (process.env.BENCH_PANEL_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...PANEL_NODE_FLAGS, ...flags, join(ROOT, 'admin/dist/main.js')], {
    env: panelEnv,
    cwd: join(ROOT, 'admin'),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitReady(`http://127.0.0.1:${port}/cp/health/ready`, child);
  return { child, url: `http://127.0.0.1:${port}` };
}

/** The operator's authenticator app (set up below) and the newest 30-second step whose code was used. */
const app = { totp: new TOTP({ secret: new Secret({ size: 20 }) }), lastStep: -1 };

/** A code not used yet (each is accepted once): this step's, the next one's, or a later one's. */
async function freshCode() {
  for (;;) {
    const now = app.totp.counter();
    const step = Math.max(now, app.lastStep + 1);
    if (step <= now + 1) {
      app.lastStep = step;
      return app.totp.generate({ timestamp: step * 30_000 });
    }
    await sleep((now + 1) * 30_000 - Date.now() + 50);
  }
}

const cookiesOf = (response) =>
  response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

/** Signs in as the operator (the password, then the code of its app) and returns the session cookie. */
async function signIn(url, operator) {
  const form = (path, body, cookie) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: url,
        ...(cookie ? { cookie } : {}),
      },
      body: new URLSearchParams(body).toString(),
    });
  const first = await form('/cp/login', operator);
  await first.arrayBuffer();
  if (first.status !== 302 || first.headers.get('location') !== '/cp/login/code')
    throw new Error(`panel sign-in answered ${first.status} (${first.headers.get('location')})`);
  const response = await form('/cp/login/code', { code: await freshCode() }, cookiesOf(first));
  await response.arrayBuffer();
  const cookie = cookiesOf(response);
  if (response.status !== 302 || !cookie) throw new Error(`panel sign-in code answered ${response.status}`);
  return cookie;
}

/** What an operator's browsing asks the panel for: pages, then the JSON behind them. */
async function browse(url, cookie, ids) {
  const paths = [
    '/cp',
    '/cp/api/dashboard',
    '/cp/resources/User',
    '/cp/api/resources/User/actions/list?page=1',
    '/cp/api/resources/User/actions/list?filters.email=user1',
    `/cp/api/resources/User/records/${ids.user}/show`,
    '/cp/api/resources/Post/actions/list?page=1',
    '/cp/api/resources/Post/actions/list?filters.content=post',
    `/cp/api/resources/Post/records/${ids.post}/show`,
    '/cp/api/resources/Session/actions/list?page=1',
    '/cp/api/resources/AuditLog/actions/list?page=1',
    '/cp/api/resources/MailJob/actions/list?page=1',
    '/cp/pages/health',
    '/cp/api/pages/health',
    '/cp/audit-log.csv',
  ];
  let answered = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const path of paths) {
      const response = await fetch(`${url}${path}`, { headers: { cookie }, redirect: 'manual' });
      await response.arrayBuffer();
      if (response.status < 400) answered++;
    }
  }
  return { requests: ROUNDS * paths.length, answered };
}

const bench = await startBenchApi();
const result = { budgetMb: BUDGET_MB, rounds: ROUNDS };
try {
  const api = bench.apiUrl;
  const operator = { email: 'operator@example.test', password: 'kettle-Harbour-97-lantern' };
  const register = await fetch(`${api}/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...operator, displayName: 'Operator' }),
  });
  if (register.status !== 201) throw new Error(`registering answered ${register.status}: ${await register.text()}`);
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: bench.databaseUrl });
  await client.connect();
  const user = (await client.query(`UPDATE users SET role = 'admin', email_verified_at = now() RETURNING id`)).rows[0];
  const login = await fetch(`${api}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(operator),
  });
  const { accessToken } = await login.json();
  // The panel requires operators to use a second factor: the operator's app, as if set up already.
  await client.query(
    `INSERT INTO totp_factors (id, user_id, secret, confirmed_at) VALUES (gen_random_uuid(), $1, $2, now())`,
    [user.id, app.totp.secret.base32],
  );
  const posted = await fetch(`${api}/posts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ title: 'A post', content: 'A post for the panel to show.' }),
  });
  const post = await posted.json();
  await client.end();

  const env = {
    PATH: process.env.PATH,
    LOG_LEVEL: 'fatal',
    DATABASE_URL: bench.databaseUrl,
    JWT_SECRET: bench.jwtSecret,
    SMTP_URL: `smtp://127.0.0.1:${await freePort()}`,
  };
  for (const mode of ['production', 'development']) {
    const started = Date.now();
    const panel = await startPanel(env, mode);
    const startSeconds = (Date.now() - started) / 1000;
    await sleep(SETTLE_MS);
    const idle = await rssMb(panel.child.pid);
    const cookie = await signIn(panel.url, operator);
    const browsing = await browse(panel.url, cookie, { user: user.id, post: post.id });
    const browsed = await rssMb(panel.child.pid);
    await sleep(SETTLE_MS);
    const after = await rssMb(panel.child.pid);
    panel.child.kill('SIGTERM');
    await new Promise((resolve) => panel.child.once('exit', resolve));
    result[mode] = { startSeconds, idleMb: idle, afterBrowsingMb: browsed, settledMb: after, ...browsing };
    console.log(
      `${mode}: ready in ${startSeconds.toFixed(1)} s; RSS ${idle} MB idle, ${browsed} MB after ${browsing.requests} requests ` +
        `(${browsing.answered} answered), ${after} MB ${SETTLE_MS / 1000} s later`,
    );
  }
  await writeResult('panel', result);
  const idle = result.production.idleMb;
  console.log(
    `panel idle RSS in production: ${idle} MB (budget ${BUDGET_MB} MB): ${idle <= BUDGET_MB ? 'met' : 'missed'}`,
  );
} finally {
  await bench.stop();
}
