#!/usr/bin/env node
/**
 * `npm start`: builds what is needed, starts PostgreSQL (embedded unless DATABASE_URL is set),
 * starts a mail catcher (unless SMTP_URL is set), migrates, seeds the operator account, starts
 * the API and the control panel, and prints what runs where. Ctrl-C or
 * SIGTERM stops everything in order: the API drains first, then PostgreSQL stops.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startControlPanel } from './lib/admin.mjs';
import { prepareEnvironment, ROOT, startMailCatcher } from './lib/dev-env.mjs';
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

log('building…');
await run(join(ROOT, 'node_modules/.bin/turbo'), ['run', 'build', '--output-logs=errors-only'], { cwd: ROOT });

const { env, apiPort, database } = await prepareEnvironment();
let api;
let compiler;
let mail = null;
let panel = null;
let stopping = false;

async function stop(code) {
  if (stopping) return;
  stopping = true;
  compiler?.kill('SIGTERM');
  await panel?.stop();
  if (api && api.exitCode === null) {
    log('stopping the API…');
    const exited = new Promise((resolve) => api.once('exit', resolve));
    api.kill('SIGTERM');
    await exited;
  }
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
api = spawn(process.execPath, [...watchArgs, join(ROOT, 'api/dist/main.js')], { env, stdio: 'inherit' });
api.once('exit', (code, signal) => {
  if (stopping) return;
  console.error(`the API exited unexpectedly (${signal ?? `exit ${code}`})`);
  void stop(1);
});

const base = `http://localhost:${apiPort}`;
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
log('');
log(`API            ${base}/api/v1`);
log(`API docs       ${base}/api/docs   (OpenAPI: ${base}/api/openapi.json)`);
log(`health         ${base}/api/health/ready`);
log(`control panel  ${panel.url}   (sign in as the operator below)`);
log(
  `database       ${database.embedded ? `embedded PostgreSQL, ${database.url.replace(/:[^:@/]+@/, ':***@')}` : 'DATABASE_URL'}`,
);
log(
  `mail           ${mail ? `${mail.inbox}   (MailDev inbox; SMTP ${env.SMTP_URL})` : `SMTP_URL (${env.SMTP_URL.replace(/:[^:@/]+@/, ':***@')})`}`,
);
log(`operator       ${operatorLine(env)}`);
if (WATCH) log('watching api/src: the API restarts when you save.');
log('Press Ctrl-C to stop everything.');
