import { MailDev } from 'maildev';
import { freePort } from '../../scripts/lib/embedded-postgres.mjs';
import { User } from '../src/users/user.entity.js';
import { json, PASSWORD, uniqueEmail } from './support/accounts.js';
import { startTestApp, type TestApp } from './support/app.js';

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

  it('still answers, keeps the account, and delivers once the server is back', async () => {
    const email = uniqueEmail('smtp-down');
    const res = await fetch(
      `${api.url}/api/v1/auth/register`,
      json({ email, password: PASSWORD, displayName: 'Patient' }),
    );
    expect(res.status).toBe(201);
    expect(await api.db.getRepository(User).countBy({ email })).toBe(1);

    // The first attempt has failed by now; bring a server up on that port for the retry.
    await new Promise((r) => setTimeout(r, 300));
    const webPort = await freePort();
    catcher = new MailDev({ smtp: smtpPort, web: webPort, ip: '127.0.0.1', webIp: '127.0.0.1', silent: true });
    await catcher.start();

    let received: { to: { address: string }[]; subject: string }[] = [];
    for (const deadline = Date.now() + 15_000; Date.now() < deadline && received.length === 0;) {
      await new Promise((r) => setTimeout(r, 200));
      received = (await (await fetch(`http://127.0.0.1:${webPort}/api/email`)).json()) as typeof received;
    }
    expect(received.map((m) => [m.to[0]?.address, m.subject])).toEqual([[email, 'Confirm your e-mail address']]);
  });
});
