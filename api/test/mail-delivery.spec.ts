import { MailDev } from 'maildev';
import { freePort } from '../../scripts/lib/embedded-postgres.mjs';
import { pollUntil } from '../../scripts/lib/poll.mjs';
import { User } from '../src/users/user.entity.js';
import { json, PASSWORD, register, uniqueEmail } from './support/accounts.js';
import { startTestApp, type TestApp, withTestApp } from './support/app.js';
import { linkIn, waitForEmail } from './support/mail.js';

interface JobRow {
  state: string;
  retry_count: number;
  data: string;
}

/** The rows of this app's own e-mail queue (every test app has its own DEPLOYMENT_NAME). */
const jobs = (api: TestApp) =>
  api.db.query<JobRow[]>(
    `SELECT state::text AS state, retry_count, data::text AS data FROM pgboss.job WHERE name = $1`,
    [`${api.config.deploymentName}.email`],
  );

describe('when the SMTP server is down', () => {
  let api: TestApp;
  let smtpPort: number;
  let catcher: MailDev | undefined;
  beforeAll(async () => {
    smtpPort = await freePort();
    api = await startTestApp({ env: { SMTP_URL: `smtp://127.0.0.1:${smtpPort}` } });
  });
  afterAll(async () => {
    await api.close();
    await catcher?.stop();
  });

  it('still answers, keeps the account, and delivers on a retry once the server is back', async () => {
    const email = uniqueEmail('smtp-down');
    const res = await fetch(
      `${api.url}/api/v1/auth/register`,
      json({ email, password: PASSWORD, displayName: 'Patient' }),
    );
    expect(res.status).toBe(201);
    expect(await api.db.getRepository(User).countBy({ email })).toBe(1);

    // The queue has recorded the failed first attempt: only now does a server come up.
    await pollUntil('the first attempt has failed', async () => (await jobs(api)).some((j) => j.state === 'retry'));
    const webPort = await freePort();
    catcher = new MailDev({ smtp: smtpPort, web: webPort, ip: '127.0.0.1', webIp: '127.0.0.1', silent: true });
    await catcher.start();

    const received = await pollUntil(
      'the e-mail arrives',
      async () => {
        const all = (await (await fetch(`http://127.0.0.1:${webPort}/api/email`)).json()) as {
          to: { address: string }[];
          subject: string;
        }[];
        return all.length > 0 && all;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(received.map((m) => [m.to[0]?.address, m.subject])).toEqual([[email, 'Confirm your e-mail address']]);
    // The queue records the job done once the send has returned, a moment after the server has it.
    const job = await pollUntil('the job is completed', async () =>
      (await jobs(api)).find((j) => j.state === 'completed'),
    );
    expect(await jobs(api)).toHaveLength(1);
    expect(job.retry_count).toBeGreaterThanOrEqual(1);
  });
});

describe('a queued e-mail', () => {
  it('is sealed: its row holds neither the address, the subject, nor the token of its link', async () => {
    await withTestApp({}, async (api) => {
      const account = await register(api.url);
      const email = await waitForEmail(account.email, /Confirm your e-mail/);
      const { token } = linkIn(email);
      const rows = await jobs(api);
      expect(rows).toHaveLength(1);
      const row = rows[0]!.data;
      expect(Object.keys(JSON.parse(row) as object).sort()).toEqual(['data', 'iv', 'tag']);
      for (const secret of [token, encodeURIComponent(token), account.email, email.subject, 'Confirm']) {
        expect(row).not.toContain(secret);
      }
    });
  });
});
