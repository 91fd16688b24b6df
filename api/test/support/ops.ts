/**
 * The operations samples and the e-mail queue of a test app, for tests that need a sample written
 * now (instead of at the app's interval) or an e-mail that fails for good. The panel's tests use
 * these too.
 */
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MailService } from '../../src/mail/mail.service.js';
import { OpsSampler } from '../../src/ops/ops-samples.js';

/** This app's sampler: its replica id, and sample() to write a row now. */
export const samplerOf = (app: INestApplication): OpsSampler => app.get(OpsSampler);

/**
 * Queues an e-mail that fails for good: no retries, and a seal nobody can open, so a worker
 * counts a failed attempt and keeps it as failed. Resolves with its id once it is.
 */
export async function failedEmail(app: INestApplication): Promise<string> {
  const mail = app.get(MailService);
  const id = await mail.boss.send(mail.queue, { iv: 'AAAA', tag: 'AAAA', data: 'AAAA' }, { retryLimit: 0 });
  if (!id) throw new Error('the e-mail was not queued');
  const db = app.get(DataSource);
  for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
    const [row] = await db.query<{ state: string }[]>(`SELECT state::text AS state FROM pgboss.job WHERE id = $1`, [
      id,
    ]);
    if (row?.state === 'failed') return id;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the e-mail did not fail');
}
