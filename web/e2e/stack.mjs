#!/usr/bin/env node
/**
 * The real stack, on free loopback ports: a throwaway embedded PostgreSQL, MailDev, the built API
 * (migrated) and the built web app behind the same proxy rules as `npm start`. The app's origin
 * http://localhost:<port> is the API's PUBLIC_URL, so the refresh cookie and the e-mailed links
 * work as they do for a user. Used by the end-to-end tests and `npm run bench`.
 *
 * As a command it prints one line, `nuell-stack-ready {json}`, with the URLs once everything is ready, and stops it all
 * on SIGTERM or SIGINT. (A process of its own, in plain Node, outside any test runner's loader.)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MailDev } from 'maildev';
import { freePort, startThrowawayPostgres } from '../../scripts/lib/embedded-postgres.mjs';
import { serveBuiltApp } from '../serve.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Starts the line with the URLs (MailDev writes its own lines to stdout too). */
export const READY = 'nuell-stack-ready';

function runToEnd(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited ${code}`))));
  });
}

async function waitUntilReady(url, child) {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    if (child.exitCode !== null) throw new Error(`the API exited (${child.exitCode}) before it was ready`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the API did not become ready within 60 seconds');
}

/** Starts everything; `env` adds to or overrides the API's environment. */
export async function startStack(env = {}) {
  const { dir, server: database } = await startThrowawayPostgres({ prefix: 'nuell-e2e-', database: 'nuell_e2e' });
  const [smtp, mailWeb, apiPort, webPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const mail = new MailDev({
    smtp,
    web: mailWeb,
    ip: '127.0.0.1',
    webIp: '127.0.0.1',
    silent: true,
    mailDirectory: join(dir, 'mail'),
  });
  await mail.start();

  const webUrl = `http://localhost:${webPort}`;
  const apiEnv = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(apiPort),
    DATABASE_URL: database.url,
    JWT_SECRET: randomBytes(32).toString('hex'),
    SMTP_URL: `smtp://127.0.0.1:${smtp}`,
    PUBLIC_URL: webUrl,
    DATA_DIR: dir,
    // Many sign-ins from one address within minutes; the limits themselves are the API suite's business.
    RATE_LIMIT_LOGIN_ACCOUNT: '1000/1m',
    RATE_LIMIT_LOGIN_DEVICE: '1000/1m',
    RATE_LIMIT_LOGIN_IP: '1000/1m',
    RATE_LIMIT_SIGNUP_IP: '1000/1m',
    RATE_LIMIT_PASSWORD_FORGOT: '1000/1m',
    RATE_LIMIT_VERIFY_RESEND: '1000/1m',
    RATE_LIMIT_PASSWORD_CHECK: '1000/1m',
    RATE_LIMIT_PREVIEW: '1000/1m',
    ...env,
  };
  await runToEnd([join(ROOT, 'api/dist/cli/main.js'), 'migrate'], apiEnv);
  const api = spawn(process.execPath, [join(ROOT, 'api/dist/main.js')], {
    env: apiEnv,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  await waitUntilReady(`${apiUrl}/api/health/ready`, api);
  const web = await serveBuiltApp({ port: webPort, env: { NUELL_API_URL: apiUrl } });

  return {
    webUrl,
    apiUrl,
    maildevUrl: `http://127.0.0.1:${mailWeb}`,
    /** For a test to do what only an operator can (the panel is not part of this stack). */
    databaseUrl: database.url,
    async stop() {
      await web.close();
      if (api.exitCode === null) {
        const exited = new Promise((resolve) => api.once('exit', resolve));
        api.kill('SIGTERM');
        await exited;
      }
      await mail.stop();
      await database.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const stack = await startStack();
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  console.log(
    `${READY} ${JSON.stringify({ webUrl: stack.webUrl, apiUrl: stack.apiUrl, maildevUrl: stack.maildevUrl, databaseUrl: stack.databaseUrl })}`,
  );
}
