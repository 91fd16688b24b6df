import { DataSource } from 'typeorm';
import { bearer, json, login, PASSWORD, rawPost, refresh, register, uniqueEmail } from './support/accounts.js';
import { pollUntil } from '../../scripts/lib/poll.mjs';
import { useTestApp, withTestApp } from './support/app.js';
import { emailsTo, linkIn, waitForEmail } from './support/mail.js';

const api = useTestApp();
let db: DataSource;
beforeAll(() => {
  db = api.app.get(DataSource);
});

const post = (path: string, body: unknown, init: RequestInit = {}) =>
  fetch(`${api.url}/api/v1${path}`, {
    ...json(body),
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers as object) },
  });
const me = (token: string) => fetch(`${api.url}/api/v1/users/me`, bearer(token));
const NEW_PASSWORD = 'Brand-New-Secret-77';

describe('forgotten password', () => {
  it('answers 202 with the same body whether or not the account exists', async () => {
    const account = await register(api.url);
    const known = await post('/auth/password/forgot', { email: account.email });
    const unknown = await post('/auth/password/forgot', { email: uniqueEmail('ghost') });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(await known.json()).toEqual(await unknown.json());
  });

  it('resets through the e-mailed link once, ends every session, and signs nobody in', async () => {
    const account = await register(api.url);
    const before = await login(api.url, account);
    await post('/auth/password/forgot', { email: account.email.toUpperCase() });
    const email = await waitForEmail(account.email, /Reset your password/);
    const { url, token } = linkIn(email);
    expect(`${url.origin}${url.pathname}`).toBe('http://localhost:3000/reset-password');

    // Nothing changes until the token is used.
    expect((await me(before.accessToken)).status).toBe(200);
    await expect(login(api.url, account)).resolves.toBeDefined();

    const reset = await post('/auth/password/reset', { token, password: NEW_PASSWORD });
    expect(reset.status).toBe(204);
    expect(reset.headers.getSetCookie()).toEqual([]);
    expect((await me(before.accessToken)).status).toBe(401);
    expect((await refresh(api.url, before.refreshToken)).status).toBe(401);
    await expect(login(api.url, account)).rejects.toThrow(/401/);
    await expect(login(api.url, { ...account, password: NEW_PASSWORD })).resolves.toBeDefined();
    await waitForEmail(account.email, /Your password was changed/);

    const reuse = await post('/auth/password/reset', { token, password: 'Yet-Another-Secret-88' });
    expect(reuse.status).toBe(400);
    const audit = await db.query<unknown[]>(
      `SELECT 1 FROM audit_log WHERE action = 'password_reset' AND target_id = $1`,
      [account.id],
    );
    expect(audit).toHaveLength(1);
  });

  it('keeps the link usable when the new password breaks a rule', async () => {
    const account = await register(api.url);
    await post('/auth/password/forgot', { email: account.email });
    const { token } = linkIn(await waitForEmail(account.email, /Reset your password/));
    const weak = await post('/auth/password/reset', { token, password: 'short' });
    expect(weak.status).toBe(400);
    expect((await post('/auth/password/reset', { token, password: NEW_PASSWORD })).status).toBe(204);
  });

  it('refuses the password the account has now, and keeps the link usable', async () => {
    const account = await register(api.url);
    await post('/auth/password/forgot', { email: account.email });
    const { token } = linkIn(await waitForEmail(account.email, /Reset your password/));
    const same = await post('/auth/password/reset', { token, password: PASSWORD });
    expect(same.status).toBe(400);
    expect(await same.json()).toMatchObject({
      errors: [{ field: 'password', pointer: '/password', detail: 'The password must differ from your current one.' }],
    });
    expect((await post('/auth/password/reset', { token, password: NEW_PASSWORD })).status).toBe(204);
  });

  it('refuses an expired link', async () => {
    const account = await register(api.url);
    await post('/auth/password/forgot', { email: account.email });
    const { token } = linkIn(await waitForEmail(account.email, /Reset your password/));
    const [row] = await db.query<{ minutes: string }[]>(
      `SELECT round(extract(epoch FROM expires_at - created_at) / 60) AS minutes FROM account_tokens
        WHERE user_id = $1 AND purpose = 'password_reset'`,
      [account.id],
    );
    expect(Number(row!.minutes)).toBe(30);
    await db.query(`UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [
      account.id,
    ]);
    expect((await post('/auth/password/reset', { token, password: NEW_PASSWORD })).status).toBe(400);
  });

  it('sends nothing to an unknown address', async () => {
    // An app of its own, so that its e-mail queue holds only what this test causes.
    await withTestApp({}, async (own) => {
      const ghost = uniqueEmail('ghost');
      const known = await register(own.url); // one e-mail: the address to confirm
      const forgot = (email: string) =>
        fetch(`${own.url}/api/v1/auth/password/forgot`, json({ email })).then((res) => res.status);
      expect(await forgot(ghost)).toBe(202);
      expect(await forgot(known.email)).toBe(202);
      await waitForEmail(known.email, /Reset your password/);
      // The ghost's request was handled first, so anything it queued is in the queue by now.
      // Once the queue has sent everything, it holds the known account's two e-mails only.
      const sent = await pollUntil('the queue has sent everything', async () => {
        const jobs = await own.db.query<{ state: string }[]>(
          'SELECT state::text AS state FROM pgboss.job WHERE name = $1',
          [`${own.config.deploymentName}.email`],
        );
        return jobs.every((job) => job.state === 'completed') && jobs;
      });
      expect(sent).toHaveLength(2);
      expect(await emailsTo(ghost)).toEqual([]);
    });
  });

  it('builds the reset link from PUBLIC_URL, never from the Host header', async () => {
    const account = await register(api.url);
    const status = await rawPost(
      `${api.url}/api/v1/auth/password/forgot`,
      { email: account.email },
      { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
    );
    expect(status).toBe(202);
    const { url } = linkIn(await waitForEmail(account.email, /Reset your password/));
    expect(`${url.origin}${url.pathname}`).toBe('http://localhost:3000/reset-password');
  });
});

describe('POST /users/me/password', () => {
  it('requires the current password; a wrong one changes nothing', async () => {
    const account = await register(api.url);
    const { accessToken } = await login(api.url, account);
    const res = await post(
      '/users/me/password',
      { currentPassword: 'Not-The-Password-1', newPassword: NEW_PASSWORD },
      { headers: { authorization: `Bearer ${accessToken}` } },
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      errors: [{ field: 'currentPassword', detail: 'The current password is incorrect.' }],
    });
    await expect(login(api.url, account)).resolves.toBeDefined();
  });

  it('refuses a new password that is the current one, before ending anything', async () => {
    const account = await register(api.url);
    const other = await login(api.url, account);
    const { accessToken } = await login(api.url, account);
    const res = await post(
      '/users/me/password',
      { currentPassword: PASSWORD, newPassword: PASSWORD },
      { headers: { authorization: `Bearer ${accessToken}` } },
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      errors: [{ field: 'newPassword', detail: 'The new password must differ from your current one.' }],
    });
    expect((await me(other.accessToken)).status).toBe(200);
  });

  it('changes it, ends the other sessions, keeps this one, and tells the owner', async () => {
    const account = await register(api.url);
    const other = await login(api.url, account);
    const current = await login(api.url, account);
    const res = await post(
      '/users/me/password',
      { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
      { headers: { authorization: `Bearer ${current.accessToken}` } },
    );
    expect(res.status).toBe(204);
    expect((await me(other.accessToken)).status).toBe(401);
    expect((await refresh(api.url, other.refreshToken)).status).toBe(401);
    expect((await me(current.accessToken)).status).toBe(200);
    expect((await refresh(api.url, current.refreshToken)).status).toBe(200);
    await expect(login(api.url, { ...account, password: NEW_PASSWORD })).resolves.toBeDefined();
    await waitForEmail(account.email, /Your password was changed/);
  });

  it('applies the password rules to the new password', async () => {
    const account = await register(api.url);
    const { accessToken } = await login(api.url, account);
    const res = await post(
      '/users/me/password',
      { currentPassword: PASSWORD, newPassword: 'lowercaseonly' },
      { headers: { authorization: `Bearer ${accessToken}` } },
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      errors: [
        {
          field: 'newPassword',
          detail: 'The new password must mix at least three of: lower case, upper case, digits, symbols.',
        },
      ],
    });
  });
});

describe('profile and e-mail address', () => {
  it('PATCH /users/me changes the display name only', async () => {
    const account = await register(api.url);
    const { accessToken } = await login(api.url, account);
    const patch = (body: unknown) =>
      fetch(`${api.url}/api/v1/users/me`, bearer(accessToken, { ...json(body), method: 'PATCH' }));
    const res = await patch({ displayName: 'Grace Hopper' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ displayName: 'Grace Hopper', role: 'user' });
    expect((await patch({ displayName: 'X', role: 'admin' })).status).toBe(400);
    expect((await patch({ displayName: 'x'.repeat(81) })).status).toBe(400);
    expect((await patch({ displayName: 'bell\u0007' })).status).toBe(400);
  });

  it('changes the address only once the new one confirms, and warns the old one', async () => {
    const account = await register(api.url);
    const { accessToken } = await login(api.url, account);
    const newEmail = uniqueEmail('moved');
    const res = await post(
      '/users/me/email',
      { newEmail, password: PASSWORD },
      { headers: { authorization: `Bearer ${accessToken}` } },
    );
    expect(res.status).toBe(202);
    const notice = await waitForEmail(account.email, /about to change/);
    expect(notice.text).toContain(newEmail);
    const { token } = linkIn(await waitForEmail(newEmail, /Confirm your new e-mail/));

    // Still the old address until confirmed.
    await expect(login(api.url, account)).resolves.toBeDefined();
    const confirm = await post('/auth/email/verify', { token });
    expect(confirm.status).toBe(200);
    expect(await confirm.json()).toMatchObject({ email: newEmail, emailVerified: true });
    await expect(login(api.url, { ...account, email: newEmail })).resolves.toBeDefined();
    await expect(login(api.url, account)).rejects.toThrow(/401/);
    const actions = await db.query<{ action: string }[]>(
      `SELECT action FROM audit_log WHERE target_id = $1 AND action LIKE 'email%' ORDER BY created_at`,
      [account.id],
    );
    expect(actions.map((a) => a.action)).toEqual(['email_change_requested', 'email_changed']);
  });

  it('refuses a wrong password, an address taken by another account, and the same address', async () => {
    const account = await register(api.url);
    const other = await register(api.url);
    const { accessToken } = await login(api.url, account);
    const change = (body: unknown) =>
      post('/users/me/email', body, { headers: { authorization: `Bearer ${accessToken}` } });
    const wrong = await change({ newEmail: uniqueEmail(), password: 'Wrong-Password-1' });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({
      errors: [{ field: 'password', detail: 'The password is incorrect.' }],
    });
    expect((await change({ newEmail: other.email.toUpperCase(), password: PASSWORD })).status).toBe(409);
    expect((await change({ newEmail: account.email, password: PASSWORD })).status).toBe(409);
    expect((await change({ newEmail: 'nope', password: PASSWORD })).status).toBe(400);
  });
});
