import { DataSource } from 'typeorm';
import { User } from '../src/users/user.entity.js';
import { bearer, json, login, PASSWORD, rawPost, register, uniqueEmail, verify } from './support/accounts.js';
import { useTestApp } from './support/app.js';
import { emailsTo, linkIn, waitForEmail } from './support/mail.js';

const api = useTestApp();
let db: DataSource;
beforeAll(() => {
  db = api.app.get(DataSource);
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${api.url}/api/v1${path}`, json(body, headers));

async function errorsOf(res: Response): Promise<{ field: string; detail: string }[]> {
  return ((await res.json()) as { errors: { field: string; detail: string }[] }).errors;
}

describe('POST /auth/register', () => {
  it('creates the account and answers the public user, never the hash', async () => {
    const email = uniqueEmail();
    const res = await post('/auth/register', { email, password: PASSWORD, displayName: '  Ada Lovelace ' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/),
      email,
      displayName: 'Ada Lovelace',
      bio: null,
      link: null,
      role: 'user',
      emailVerified: false,
      createdAt: expect.any(String),
    });
    expect(JSON.stringify(body)).not.toMatch(/argon2|password/i);
  });

  it('refuses a role chosen by the caller (mass assignment)', async () => {
    const email = uniqueEmail();
    const res = await post('/auth/register', { email, password: PASSWORD, displayName: 'Mallory', role: 'admin' });
    expect(res.status).toBe(400);
    expect(await errorsOf(res)).toEqual([expect.objectContaining({ field: 'role' })]);
    expect(await api.db.getRepository(User).countBy({ email })).toBe(0);
  });

  it('answers 409 for an e-mail already taken in any letter case', async () => {
    const account = await register(api.url);
    const res = await post('/auth/register', {
      email: account.email.toUpperCase(),
      password: PASSWORD,
      displayName: 'Twin',
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/already exists/);
  });

  it.each([
    ['missing fields', {}, ['email', 'password', 'displayName']],
    ['a malformed e-mail', { email: 'not-an-email', password: PASSWORD, displayName: 'X' }, ['email']],
    ['an empty display name', { email: uniqueEmail(), password: PASSWORD, displayName: '   ' }, ['displayName']],
    ['an object for a string', { email: { $ne: 1 }, password: PASSWORD, displayName: 'X' }, ['email']],
  ])('answers 400 naming the field for %s', async (_case, body, fields) => {
    const res = await post('/auth/register', body);
    expect(res.status).toBe(400);
    expect((await errorsOf(res)).map((e) => e.field).sort()).toEqual([...fields].sort());
  });
});

describe('password policy', () => {
  const attempt = (password: string, email = uniqueEmail('policy'), displayName = 'Policy Tester') =>
    post('/auth/register', { email, password, displayName });

  it.each([
    ['11 characters', 'Abcdefgh1!x', /at least 12 characters/, null, null],
    ['129 characters', `Aa1!${'x'.repeat(125)}`, /at most 128 characters/, null, null],
    ['two character classes only', 'abcdefgh12345', /at least three of/, null, null],
    ['the e-mail name inside', 'Xx1!margaret99', /e-mail name or display name/, 'margaret99@example.test', null],
    ['the display name inside', 'My-Rosalind-2026', /e-mail name or display name/, null, 'Rosalind'],
  ])('refuses %s with a message naming the rule', async (_case, password, rule, email, name) => {
    const res = await attempt(password, email ?? uniqueEmail('policy'), name ?? 'Policy Tester');
    expect(res.status).toBe(400);
    expect(await errorsOf(res)).toEqual([
      { field: 'password', pointer: '/password', detail: expect.stringMatching(rule) },
    ]);
  });

  it('refuses a common password dressed up to meet the other rules, saying why', async () => {
    const res = await attempt('Password123!');
    expect(res.status).toBe(400);
    expect(await errorsOf(res)).toEqual([
      {
        field: 'password',
        pointer: '/password',
        detail:
          'The password is too easy to guess: this is similar to a commonly used password. ' +
          'Add more words that are less common.',
      },
    ]);
  });

  it('accepts 128 characters, Unicode and spaces, with no silent truncation', async () => {
    const base = 'Zürich Größe 12345 Öl-Ä! ';
    const password = base + 'ß'.repeat(128 - Array.from(base).length);
    expect(Array.from(password)).toHaveLength(128);
    const email = uniqueEmail('long');
    expect((await attempt(password, email)).status).toBe(201);
    await expect(login(api.url, { email, password })).resolves.toBeDefined();
    const shorter = await post('/auth/login', { email, password: password.slice(0, -1) });
    expect(shorter.status).toBe(401);
  });

  it('stores argon2id hashes at the OWASP floor or above, salted per user', async () => {
    const a = await register(api.url);
    const b = await register(api.url);
    const hashes = await db.query<{ password_hash: string }[]>(
      'SELECT password_hash FROM users WHERE id = ANY($1) ORDER BY email',
      [[a.id, b.id]],
    );
    for (const { password_hash } of hashes) {
      const [, m, p, t] = /^\$argon2id\$v=19\$m=(\d+),p=(\d+),t=(\d+)\$/.exec(password_hash) ?? [];
      expect(Number(m)).toBeGreaterThanOrEqual(19_456);
      expect(Number(t)).toBeGreaterThanOrEqual(2);
      expect(Number(p)).toBeGreaterThanOrEqual(1);
    }
    expect(hashes[0]!.password_hash).not.toBe(hashes[1]!.password_hash);
  });
});

describe('e-mail verification', () => {
  it('e-mails a link to the web app that verifies the address once', async () => {
    const account = await register(api.url);
    const email = await waitForEmail(account.email, /Confirm your e-mail address/);
    // In the fragment, which browsers never send: no access log or Referer ever holds it.
    expect(email.html).toContain('href="http://localhost:3000/verify-email#token=');
    const { url, token } = linkIn(email);
    expect(url.origin + url.pathname).toBe('http://localhost:3000/verify-email');
    expect(token).toMatch(/^[\w-]{43}$/); // 256 bits, base64url

    const res = await post('/auth/email/verify', { token });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ email: account.email, emailVerified: true });

    const again = await post('/auth/email/verify', { token });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { detail: string }).detail).toMatch(/invalid, expired or already used/);
  });

  it('stores only a hash of the token', async () => {
    const account = await register(api.url);
    const { token } = linkIn(await waitForEmail(account.email, /Confirm your e-mail/));
    const rows = await db.query<{ token_hash: string }[]>('SELECT token_hash FROM account_tokens WHERE user_id = $1', [
      account.id,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.token_hash).not.toContain(token);
  });

  it('builds links from PUBLIC_URL, never from the Host header', async () => {
    const email = uniqueEmail('host');
    const status = await rawPost(
      `${api.url}/api/v1/auth/register`,
      { email, password: PASSWORD, displayName: 'Host Header' },
      { host: 'evil.example', 'x-forwarded-host': 'evil.example' },
    );
    expect(status).toBe(201);
    const { url } = linkIn(await waitForEmail(email, /Confirm your e-mail/));
    expect(url.host).toBe('localhost:3000');
  });

  it('refuses an expired link; links last 48 hours', async () => {
    const account = await register(api.url);
    const { token } = linkIn(await waitForEmail(account.email, /Confirm your e-mail/));
    const [row] = await db.query<{ hours: string }[]>(
      `SELECT round(extract(epoch FROM expires_at - created_at) / 3600) AS hours FROM account_tokens
        WHERE user_id = $1 AND purpose = 'email_verify'`,
      [account.id],
    );
    expect(Number(row!.hours)).toBe(48);
    await db.query(`UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [
      account.id,
    ]);
    const res = await post('/auth/email/verify', { token });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/invalid, expired or already used/);
  });

  it('resends to a signed-in, unverified user; only the newest link works', async () => {
    const account = await register(api.url);
    const first = linkIn(await waitForEmail(account.email, /Confirm your e-mail/)).token;
    const { accessToken } = await login(api.url, account);

    const res = await fetch(`${api.url}/api/v1/auth/email/verify/resend`, bearer(accessToken, { method: 'POST' }));
    expect(res.status).toBe(202);
    const second = linkIn(await waitForEmail(account.email, /Confirm your e-mail/, 2)).token;
    expect(second).not.toBe(first);

    expect((await post('/auth/email/verify', { token: first })).status).toBe(400);
    expect((await post('/auth/email/verify', { token: second })).status).toBe(200);

    const verified = await fetch(`${api.url}/api/v1/auth/email/verify/resend`, bearer(accessToken, { method: 'POST' }));
    expect(verified.status).toBe(409);
  });

  it('needs a signed-in user to resend', async () => {
    const res = await fetch(`${api.url}/api/v1/auth/email/verify/resend`, { method: 'POST' });
    expect(res.status).toBe(401);
  });

  it('refuses malformed tokens with 400', async () => {
    for (const token of ['', 'x'.repeat(300), 'not-a-real-token']) {
      expect((await post('/auth/email/verify', { token })).status).toBe(400);
    }
  });
});

describe('verified accounts', () => {
  it('show emailVerified on /users/me', async () => {
    const account = await register(api.url);
    await verify(api.url, account);
    const { accessToken } = await login(api.url, account);
    const me = await fetch(`${api.url}/api/v1/users/me`, bearer(accessToken));
    expect(await me.json()).toMatchObject({ id: account.id, emailVerified: true });
    expect((await emailsTo(account.email)).length).toBe(1);
  });
});
