/**
 * What the API benchmarks share: the built API (npm run bench builds it) running on a throwaway
 * embedded PostgreSQL, migrated, on free ports. `stop()` ends both.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startEmbeddedPostgres } from '../scripts/lib/embedded-postgres.mjs';
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

/**
 * Starts PostgreSQL and migrates it; `beforeApi(databaseUrl)` may fill it; then starts the API.
 * Returns { databaseUrl, apiUrl (…/api/v1), stop() }.
 */
export async function startBenchApi({ env: extraEnv = {}, beforeApi } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'nuell-bench-'));
  await chmod(dir, 0o755);
  const database = await startEmbeddedPostgres({
    dataDir: join(dir, 'pg'),
    port: await freePort(),
    password: randomBytes(12).toString('hex'),
    database: 'bench',
    persistent: false,
  });
  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    LOG_LEVEL: 'fatal',
    DATABASE_URL: database.url,
    JWT_SECRET: randomBytes(32).toString('hex'),
    SMTP_URL: `smtp://127.0.0.1:${await freePort()}`, // nobody listens: mail is irrelevant here
    PORT: String(port),
    ...extraEnv,
  };
  let api;
  const stop = async () => {
    if (api && api.exitCode === null) {
      api.kill('SIGTERM');
      await new Promise((r) => api.once('exit', r));
    }
    await database.stop();
  };
  try {
    await runNode([join(ROOT, 'api/dist/cli/main.js'), 'migrate'], env);
    await beforeApi?.(database.url);
    api = spawn(process.execPath, [join(ROOT, 'api/dist/main.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    await waitReady(`http://127.0.0.1:${port}/api/health/ready`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { databaseUrl: database.url, apiUrl: `http://127.0.0.1:${port}/api/v1`, stop };
}

export async function writeResult(name, result) {
  await mkdir(join(ROOT, 'bench/results'), { recursive: true });
  await writeFile(join(ROOT, `bench/results/${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
}
