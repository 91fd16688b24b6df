/**
 * Production's edge without Docker: the real Caddy with the repository's Caddyfile in front of
 * the built web app, two API processes and the control panel, all on free loopback ports and on a
 * database of the run's PostgreSQL. The processes run as in production (NODE_ENV=production, the
 * built code, TRUST_PROXY at its default, loopback); the site is plain http on localhost, which
 * the cookies allow there, so a browser on this machine can use it.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { execWithDeadline, stopChild } from '../../../scripts/lib/bounded-process.mjs';
import { CADDYFILE } from '../../../scripts/lib/deploy-checks.mjs';
import { ROOT } from '../../../scripts/lib/dev-env.mjs';
import { freePort } from '../../../scripts/lib/embedded-postgres.mjs';
import { waitUntilReady } from '../../../scripts/lib/run.mjs';

export const WEB_ROOT = join(ROOT, 'web', '.output', 'public');

function databaseUrl(name) {
  const url = new URL(process.env.TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function recreateDatabase(name) {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}

/** A process; with `keepStdout`, its output lines (the last 5,000) are in `child.lines`. */
function start(command, args, env, name, { keepStdout = false } = {}) {
  const child = spawn(command, args, { env, stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = `${stderr}${chunk}`.slice(-4000)));
  if (keepStdout) {
    child.lines = [];
    let partial = '';
    child.stdout.on('data', (chunk) => {
      const lines = `${partial}${chunk}`.split('\n');
      partial = lines.pop();
      child.lines.push(...lines);
      if (child.lines.length > 5_000) child.lines.splice(0, child.lines.length - 5_000);
    });
  }
  child.describe = () => `${name} (${child.exitCode === null ? 'running' : `exited ${child.exitCode}`}): ${stderr}`;
  return child;
}

// Longer than the API's own SHUTDOWN_TIMEOUT_MS (10 s): only a process that overruns it is killed.
const STOP_GRACE_MS = 15_000;

async function stop(child) {
  if (child) await stopChild(child, STOP_GRACE_MS);
}

/**
 * Starts everything; `env` adds to the API's and the panel's environment. Resolves with the
 * site's URL, the operator's credentials, the processes (Caddy's access log lines in
 * `processes.caddy.lines`) and `stop()`.
 */
export async function startEdge(env = {}) {
  const database = 'nuell_edge';
  await recreateDatabase(database);
  const home = await mkdtemp(join(tmpdir(), 'nuell-edge-'));
  const [sitePort, adminPort, caddyAdmin, ...apiPorts] = await Promise.all([0, 1, 2, 3, 4].map(() => freePort()));
  const url = `http://localhost:${sitePort}`;
  const operator = { email: 'operator@example.test', password: `Op-${randomBytes(12).toString('hex')}` };
  const appEnv = {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl(database),
    JWT_SECRET: randomBytes(48).toString('base64url'),
    SMTP_URL: process.env.TEST_SMTP_URL,
    PUBLIC_URL: url,
    SHUTDOWN_DRAIN_MS: '0',
    DATA_DIR: home,
    ...env,
  };
  const cli = join(ROOT, 'api/dist/cli/main.js');
  await execWithDeadline(process.execPath, [cli, 'migrate'], { env: appEnv });
  await execWithDeadline(process.execPath, [cli, 'seed'], {
    env: { ...appEnv, ADMIN_EMAIL: operator.email, ADMIN_PASSWORD: operator.password },
  });

  const processes = {};
  const stopAll = async () => {
    await stop(processes.caddy);
    await Promise.all([...(processes.apis ?? []), processes.admin].map(stop));
    await rm(home, { recursive: true, force: true });
  };
  try {
    processes.apis = apiPorts.map((port, i) =>
      start(process.execPath, [join(ROOT, 'api/dist/main.js')], { ...appEnv, PORT: String(port) }, `API ${i + 1}`),
    );
    processes.admin = start(
      process.execPath,
      [join(ROOT, 'admin/dist/main.js')],
      { ...appEnv, ADMIN_PORT: String(adminPort) },
      'panel',
    );
    const backends = [
      ...apiPorts.map((port, i) => [`http://127.0.0.1:${port}/api/health/ready`, processes.apis[i]]),
      [`http://127.0.0.1:${adminPort}/cp/health/ready`, processes.admin],
    ];
    for (const [probe, child] of backends) {
      if (!(await waitUntilReady(probe, child, 60_000))) throw new Error(`not ready: ${child.describe()}`);
    }
    processes.caddy = start(
      'caddy',
      ['run', '--config', CADDYFILE, '--adapter', 'caddyfile'],
      {
        ...process.env,
        // Any host name on this port: localhost for the browser, others to see HSTS.
        SITE_ADDRESS: `http://:${sitePort}`,
        API_UPSTREAMS: apiPorts.map((port) => `127.0.0.1:${port}`).join(' '),
        ADMIN_UPSTREAMS: `127.0.0.1:${adminPort}`,
        WEB_ROOT,
        CADDY_ADMIN: `127.0.0.1:${caddyAdmin}`,
        XDG_DATA_HOME: home,
        XDG_CONFIG_HOME: home,
      },
      'caddy',
      // Its access log (JSON lines on stdout), which tests read.
      { keepStdout: true },
    );
    // Ready once Caddy proxies to a healthy API.
    if (!(await waitUntilReady(`${url}/api/health/ready`, processes.caddy, 30_000))) {
      throw new Error(`Caddy did not come up: ${processes.caddy.describe()}`);
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  return { url, port: sitePort, operator, processes, stop: stopAll };
}
