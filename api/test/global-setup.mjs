/**
 * One throwaway PostgreSQL for the whole test run: a random free port, a temporary directory.
 * Also a MailDev SMTP catcher (TEST_SMTP_URL, read through TEST_MAILDEV_URL).
 * Test files find the database through TEST_DATABASE_URL (workers inherit the environment) and migrate
 * it on first use (test/support/database.ts, under an advisory lock).
 */
import { join } from 'node:path';
import { MailDev } from 'maildev';
import { freePort, startThrowawayPostgres } from '../../scripts/lib/embedded-postgres.mjs';

export default async function globalSetup() {
  const { dir, server } = await startThrowawayPostgres({ prefix: 'nuell-test-', database: 'nuell_test' });
  globalThis.__NUELL_PG__ = server;
  process.env.TEST_DATABASE_URL = server.url;

  // A real SMTP catcher; tests read what it caught over its REST API.
  const [smtp, web] = [await freePort(), await freePort()];
  const mail = new MailDev({
    smtp,
    web,
    ip: '127.0.0.1',
    webIp: '127.0.0.1',
    mailDirectory: join(dir, 'mail'),
    silent: true,
  });
  await mail.start();
  globalThis.__NUELL_MAIL__ = mail;
  process.env.TEST_SMTP_URL = `smtp://127.0.0.1:${smtp}`;
  process.env.TEST_MAILDEV_URL = `http://127.0.0.1:${web}`;
}
