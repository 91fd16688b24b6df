/**
 * The local defaults behind `npm start` and the root db:* scripts: a .env file if
 * there is one, generated development secrets kept in .data/, and an embedded PostgreSQL when
 * DATABASE_URL is unset, and a mail catcher when SMTP_URL is unset.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { embeddedUrl, isPortFree, ServerRunning, startEmbeddedPostgres } from './embedded-postgres.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DATA_DIR = join(ROOT, '.data');

/** Loads ROOT/.env into process.env without overriding what the shell already set. */
export function loadDotEnv() {
  const file = join(ROOT, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}

/** Random secrets generated on first use and kept in .data/secrets.json (mode 600). */
export async function devSecrets() {
  const file = join(DATA_DIR, 'secrets.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8'));
  const secrets = {
    jwtSecret: randomBytes(48).toString('base64url'),
    postgresPassword: randomBytes(24).toString('base64url'),
  };
  await mkdir(DATA_DIR, { recursive: true });
  await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

/**
 * The ports `npm start` takes, by variable, with their defaults: the API's and the panel's (as
 * their own configuration has them, which it checks before starting them) and those only npm start
 * reads. A test holds all of them to the README's table and .env.example.
 */
export const PORTS = Object.freeze({
  PORT: 3001,
  WEB_PORT: 3000,
  ADMIN_PORT: 3002,
  EMBEDDED_PG_PORT: 54329,
  MAILDEV_SMTP_PORT: 1025,
  MAILDEV_WEB_PORT: 1080,
});

/** A port number from the environment, or its default; a bad value stops with its name. */
export function port(name) {
  const value = process.env[name] ?? String(PORTS[name]);
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name} must be a port number, got "${value}"`);
  return n;
}

/** Stops with one line naming the variable to change when a port we need is taken. */
export async function assertPortFree(portNumber, variable) {
  if (!(await isPortFree(portNumber))) {
    throw new Error(`port ${portNumber} is already in use; set ${variable} to another port`);
  }
}

/**
 * The environment the API processes get, and a database: the one in DATABASE_URL, or an
 * embedded server. Call `stop()` when done (a no-op for an external database).
 * With `shareRunning`, an embedded server that a running `npm start` owns is used as it is
 * (and left running) instead of refused.
 */
export async function prepareEnvironment({ shareRunning = false } = {}) {
  loadDotEnv();
  if (process.env.NODE_ENV === 'production') {
    throw new Error('npm start and the db:* scripts are for local development; in production run the api image');
  }
  const secrets = await devSecrets();
  const env = {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    JWT_SECRET: process.env.JWT_SECRET || secrets.jwtSecret,
    DATA_DIR: process.env.DATA_DIR || DATA_DIR,
  };
  const apiPort = port('PORT');
  env.PORT = String(apiPort);

  let database;
  if (process.env.DATABASE_URL) {
    database = { embedded: false, url: process.env.DATABASE_URL, stop: async () => {} };
  } else {
    const pgPort = port('EMBEDDED_PG_PORT');
    try {
      const server = await startEmbeddedPostgres({
        dataDir: join(DATA_DIR, 'postgres'),
        port: pgPort,
        password: secrets.postgresPassword,
      });
      database = { embedded: true, port: pgPort, url: server.url, stop: server.stop };
    } catch (error) {
      if (!(error instanceof ServerRunning) || !shareRunning) throw error;
      const url = embeddedUrl({ port: pgPort, password: secrets.postgresPassword });
      database = { embedded: true, shared: true, port: pgPort, url, stop: async () => {} };
    }
    env.DATABASE_URL = database.url;
  }
  return { env, apiPort, database };
}

/**
 * A MailDev catcher for local development when SMTP_URL is unset: every e-mail the API sends
 * lands in its web inbox instead of anyone's mailbox. Returns null when SMTP_URL is set.
 */
export async function startMailCatcher(env) {
  if (env.SMTP_URL) return null;
  const smtp = port('MAILDEV_SMTP_PORT');
  const web = port('MAILDEV_WEB_PORT');
  for (const taken of [smtp, web]) {
    if (!(await isPortFree(taken))) {
      throw new Error(`port ${taken} is already in use; set MAILDEV_SMTP_PORT / MAILDEV_WEB_PORT or SMTP_URL`);
    }
  }
  const { MailDev } = await import('maildev');
  const catcher = new MailDev({
    smtp,
    web,
    ip: '127.0.0.1',
    webIp: '127.0.0.1',
    mailDirectory: join(DATA_DIR, 'mail'),
    silent: true,
  });
  await catcher.start();
  env.SMTP_URL = `smtp://127.0.0.1:${smtp}`;
  return { inbox: `http://localhost:${web}`, smtpUrl: env.SMTP_URL, stop: () => catcher.stop() };
}
