/**
 * What the API benchmarks share: the built API (npm run bench builds it) running on a throwaway
 * embedded PostgreSQL, migrated, on free ports. `stop()` ends both.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
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
