#!/usr/bin/env node
/**
 * `npm start`: builds what is needed, starts PostgreSQL (embedded unless DATABASE_URL is set),
 * starts a mail catcher (unless SMTP_URL is set), migrates, seeds the operator account, starts
 * the API, the control panel and the web app's dev server (which proxies /api and /cp, so
 * everything is on one origin), and prints what runs where. Ctrl-C or SIGTERM stops everything in
 * order: the web server, the panel and the API first (the API drains), then PostgreSQL.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { assertPortFree, loadDotEnv, port, prepareEnvironment, ROOT, startMailCatcher } from './lib/dev-env.mjs';
import { startControlPanel } from './lib/admin.mjs';
import { run, waitUntilReady } from './lib/run.mjs';

const log = (line) => console.log(`\x1b[36m[nuell]\x1b[0m ${line}`);
/** `npm run dev`: recompile the API on change and restart it when its build output changes. */
const WATCH = process.argv.includes('--watch');
const cli = join(ROOT, 'api/dist/cli/main.js');

function operatorLine(env) {
  if (env.ADMIN_EMAIL && env.ADMIN_PASSWORD) return `${env.ADMIN_EMAIL} (password from ADMIN_PASSWORD)`;
  const file = join(env.DATA_DIR, 'operator.json');
  if (!existsSync(file)) return 'see the seed output above';
  const { email, password } = JSON.parse(readFileSync(file, 'utf8'));
  return `${email} / ${password}   (kept in ${file})`;
}

const verbose = () => process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace';

/** Copies a child's output line by line, leaving out what `drop` matches. */
function relay(stream, target, drop) {
  createInterface({ input: stream }).on('line', (line) => {
    if (!drop(line)) target.write(`${line}\n`);
  });
}

loadDotEnv();
const apiPort = port('PORT', 3001);
const webPort = port('WEB_PORT', 3000);
try {
  await assertPortFree(apiPort, 'PORT');
  await assertPortFree(webPort, 'WEB_PORT');
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
// E-mailed links and the refresh cookie's origin check follow the app's port.
process.env.PUBLIC_URL ??= `http://localhost:${webPort}`;

log('building…');
// The web app is served from source by its dev server: only the API, the panel and what they need are built.
await run(
  join(ROOT, 'node_modules/.bin/turbo'),
  ['run', 'build', '--filter=@nuell/api...', '--filter=@nuell/admin...', '--output-logs=errors-only'],
  {
    cwd: ROOT,
  },
);

const { env, database } = await prepareEnvironment();
let api;
let web;
let compiler;
let mail = null;
let panel = null;
let stopping = false;

async function stop(code) {
  if (stopping) return;
  stopping = true;
  compiler?.kill('SIGTERM');
  if (web && web.exitCode === null) {
    // By the PID of nuxt's own node process: nothing sits in between that could leave it behind.
    const exited = new Promise((resolve) => web.once('exit', resolve));
    web.kill('SIGTERM');
    await exited;
  }
  if (api && api.exitCode === null) {
    log('stopping the API…');
    const exited = new Promise((resolve) => api.once('exit', resolve));
    api.kill('SIGTERM');
    await exited;
  }
  await panel?.stop();
  await mail?.stop().catch(() => {});
  if (database.embedded) log('stopping PostgreSQL…');
  await database.stop();
  process.exit(code);
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

try {
  if (database.embedded) log(`PostgreSQL running on 127.0.0.1:${database.port} (data in .data/postgres)`);
  mail = await startMailCatcher(env);
  await run(process.execPath, [cli, 'migrate'], { env });
  await run(process.execPath, [cli, 'seed'], { env });
} catch (error) {
  console.error(error.message);
  await stop(1);
}

if (WATCH) {
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const args = [tsc, '-p', join(ROOT, 'api/tsconfig.build.json'), '--watch', '--preserveWatchOutput'];
  compiler = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
}
const watchArgs = WATCH ? ['--watch-path', join(ROOT, 'api/dist'), '--watch-preserve-output'] : [];
// The API logs Nest's start-up chatter (a line per module and route) at debug level only.
const { API_NODE_FLAGS } = await import(join(ROOT, 'api/dist/node-flags.js'));
api = spawn(process.execPath, [...API_NODE_FLAGS, ...watchArgs, join(ROOT, 'api/dist/main.js')], {
  env,
  stdio: ['ignore', 'inherit', 'inherit'],
});
api.once('exit', (code, signal) => {
  if (stopping) return;
  console.error(`the API exited unexpectedly (${signal ?? `exit ${code}`})`);
  void stop(1);
});

// The web app: nuxt dev, hot-reloading, with /api and /cp proxied (web/proxy.config.mjs).
// PORT is the API's; nuxt would take it for its own.
const webEnv = { ...env };
delete webEnv.PORT;
web = spawn(
  process.execPath,
  [join(ROOT, 'node_modules/nuxt/bin/nuxt.mjs'), 'dev', '--port', String(webPort), '--host', 'localhost'],
  {
    cwd: join(ROOT, 'web'),
    env: { ...webEnv, NUELL_API_URL: `http://127.0.0.1:${apiPort}` },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
// Its banner and progress lines repeat what the summary below says; errors go to stderr.
relay(web.stdout, process.stdout, () => !verbose());
web.once('exit', (code, signal) => {
  if (stopping) return;
  console.error(`the web app's dev server exited unexpectedly (${signal ?? `exit ${code}`})`);
  void stop(1);
});

const base = `http://localhost:${apiPort}`;
const app = `http://localhost:${webPort}`;
if (!(await waitUntilReady(`${base}/api/health/ready`, api, 60_000))) {
  console.error('the API did not become ready within 60 seconds');
  await stop(1);
}
try {
  panel = await startControlPanel(env, (how) => {
    console.error(`the control panel exited unexpectedly (${how})`);
    void stop(1);
  });
} catch (error) {
  console.error(error.message);
  await stop(1);
}
if (!(await waitUntilReady(`${app}/api/health/ready`, web, 120_000))) {
  console.error(`the web app did not become ready within 120 seconds`);
  await stop(1);
}
log('');
log(`app            ${app}   (open this: the web app, with /api proxied to the API)`);
log(`API            ${app}/api/v1   (the API itself listens on ${base})`);
log(`API docs       ${app}/api/docs   (OpenAPI: ${app}/api/openapi.json)`);
log(`health         ${app}/api/health/ready`);
log(`control panel  ${panel.url}   (sign in as the operator below)`);
log(
  `database       ${database.embedded ? `embedded PostgreSQL, ${database.url.replace(/:[^:@/]+@/, ':***@')}` : 'DATABASE_URL'}`,
);
log(
  `mail           ${mail ? `${mail.inbox}   (MailDev inbox; SMTP ${env.SMTP_URL})` : `SMTP_URL (${env.SMTP_URL.replace(/:[^:@/]+@/, ':***@')})`}`,
);
log(`operator       ${operatorLine(env)}`);
log(
  WATCH
    ? 'watching api/src and web/: the API restarts and the app reloads when you save.'
    : 'web/ hot-reloads when you save.',
);
log('Press Ctrl-C to stop everything.');
