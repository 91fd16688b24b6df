/**
 * The local stack behind `npm start` (scripts/start.mjs runs it in a process group of its own):
 * builds what is needed, starts PostgreSQL (embedded unless DATABASE_URL is set) and a mail
 * catcher (unless SMTP_URL is set), migrates, seeds the operator account, starts the API, the
 * control panel and the web app's dev server (which proxies /api and /cp, so everything is on one
 * origin), and prints what runs where. What does not wait for something else starts at once: the
 * web dev server right after the build, the mail catcher beside PostgreSQL, the panel beside the
 * API. SIGTERM (Ctrl-C, passed on by start.mjs) stops everything in order: the web server, the
 * panel and the API first (the API drains and stops its queue), then PostgreSQL.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { assertPortFree, loadDotEnv, port, prepareEnvironment, ROOT, startMailCatcher } from './dev-env.mjs';
import { startControlPanel } from './admin.mjs';
import { run, waitUntilReady } from './run.mjs';

const log = (line) => console.log(`\x1b[36m[nuell]\x1b[0m ${line}`);
/** `npm run dev`: recompile the API on change and restart it when its build output changes. */
const WATCH = process.argv.includes('--watch');
const cli = join(ROOT, 'api/dist/cli/main.js');

function operatorLine(env) {
  if (env.ADMIN_EMAIL && env.ADMIN_PASSWORD) return `${env.ADMIN_EMAIL} (password from ADMIN_PASSWORD)`;
  const file = join(env.DATA_DIR, 'operator.json');
  if (!existsSync(file)) return 'see the seed output above';
  const { email, password, totpSecret } = JSON.parse(readFileSync(file, 'utf8'));
  const lines = [`${email} / ${password}   (kept in ${file})`];
  // The panel asks for a code from an authenticator app too: add the secret to one, or print the code.
  if (totpSecret) {
    const code = `node -e "const{TOTP,Secret}=require('otpauth');console.log(new TOTP({secret:Secret.fromBase32(require('${file}').totpSecret)}).generate())"`;
    lines.push(`               TOTP secret ${totpSecret}   (add it to an authenticator app)`);
    lines.push(`               the code now: ${code}`);
  }
  return lines.join('\n');
}

const verbose = () => process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace';

/** Copies a child's output line by line, leaving out what `drop` matches. */
function relay(stream, target, drop) {
  createInterface({ input: stream }).on('line', (line) => {
    if (!drop(line)) target.write(`${line}\n`);
  });
}

loadDotEnv();
const apiPort = port('PORT');
const webPort = port('WEB_PORT');
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

let api;
let web;
let compiler;
let database = null;
let mail = null;
let panel = null;
let stopping = false;

async function stopChild(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function stop(code) {
  if (stopping) return;
  stopping = true;
  compiler?.kill('SIGTERM');
  // By the PID of nuxt's own node process: nothing sits in between that could leave it behind.
  await stopChild(web);
  if (api && api.exitCode === null) log('stopping the API…');
  await Promise.all([stopChild(api), panel?.stop()]);
  await mail?.stop().catch(() => {});
  if (database?.embedded) log('stopping PostgreSQL…');
  await database?.stop();
  process.exit(code);
}
/** After a wait: once stopping, the start-up goes no further (nothing more to start or report). */
const stillStarting = () => (stopping ? new Promise(() => {}) : Promise.resolve());
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
// start.mjs went away without a word (killed): nobody is left to stop the stack but itself.
process.on('disconnect', () => stop(0));

// The web app: nuxt dev, hot-reloading, with /api and /cp proxied (web/proxy.config.mjs). It needs
// nothing else to start, and is the slowest to, so it goes first. PORT is the API's; nuxt would
// take it for its own.
const webEnv = { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'development' };
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

let env;
let panelStarting;
try {
  // The mail catcher needs nothing from PostgreSQL: both start at once.
  [{ env, database }, mail] = await Promise.all([
    prepareEnvironment(),
    startMailCatcher({ SMTP_URL: process.env.SMTP_URL }),
  ]);
  if (mail) env.SMTP_URL = mail.smtpUrl;
  // The public pages the API fills in (docs/web.md) start from nuxt dev's own page, which loads
  // the app from source; any path but the site's pages answers it.
  env.WEB_SHELL = `http://localhost:${webPort}/200.html`;
  await stillStarting();
  if (database.embedded) log(`PostgreSQL running on 127.0.0.1:${database.port} (data in .data/postgres)`);
  // The panel boots for longest and touches no table before it serves a request (nothing is
  // announced before the migrations are done): it starts beside them. The API waits for them.
  panelStarting = startControlPanel(
    env,
    (how) => {
      if (stopping) return;
      console.error(`the control panel exited unexpectedly (${how})`);
      void stop(1);
    },
    (handle) => (panel = handle),
  );
  panelStarting.catch(() => {}); // reported below
  await run(process.execPath, [cli, 'migrate', 'seed'], { env });
} catch (error) {
  if (!stopping) console.error(error.message);
  await stop(1);
}
await stillStarting();

if (WATCH) {
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const args = [tsc, '-p', join(ROOT, 'api/tsconfig.build.json'), '--watch', '--preserveWatchOutput'];
  compiler = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
}
const watchArgs = WATCH ? ['--watch-path', join(ROOT, 'api/dist'), '--watch-preserve-output'] : [];
// The API logs Nest's start-up chatter (a line per module and route) at debug level only.
const { API_NODE_FLAGS, API_PROCESS_ENV } = await import(join(ROOT, 'api/dist/node-flags.js'));
api = spawn(process.execPath, [...API_NODE_FLAGS, ...watchArgs, join(ROOT, 'api/dist/main.js')], {
  env: { ...API_PROCESS_ENV, ...env },
  stdio: ['ignore', 'inherit', 'inherit'],
});
api.once('exit', (code, signal) => {
  if (stopping) return;
  console.error(`the API exited unexpectedly (${signal ?? `exit ${code}`})`);
  void stop(1);
});

const base = `http://localhost:${apiPort}`;
const app = `http://localhost:${webPort}`;
const [apiReady, panelStarted] = await Promise.allSettled([
  waitUntilReady(`${base}/api/health/ready`, api, 60_000),
  panelStarting,
]);
await stillStarting();
if (!apiReady.value) {
  console.error('the API did not become ready within 60 seconds');
  await stop(1);
}
if (panelStarted.status === 'rejected') {
  console.error(panelStarted.reason.message);
  await stop(1);
}
const webReady = await waitUntilReady(`${app}/api/health/ready`, web, 120_000);
await stillStarting();
if (!webReady) {
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
for (const line of `operator       ${operatorLine(env)}`.split('\n')) log(line);
log(
  WATCH
    ? 'watching api/src and web/: the API restarts and the app reloads when you save.'
    : 'web/ hot-reloads when you save.',
);
log('Press Ctrl-C to stop everything.');
