import { createHmac } from 'node:crypto';
import { bearer, json, login, PASSWORD, refreshCookie, register, uniqueEmail } from './support/accounts.js';
import { OperatorAccountService } from '../src/auth/operator-account.service.js';
import { useTestApp, withTestApp } from './support/app.js';
import { linkIn, waitForEmail } from './support/mail.js';

const api = useTestApp();

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decode = (token: string) =>
  token.split('.').map((part, i) => (i < 2 ? JSON.parse(Buffer.from(part, 'base64url').toString()) : part));

function sign(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  secret = api.config.jwt.secret,
): string {
  const body = `${b64(header)}.${b64(payload)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

const me = (token: string) => fetch(`${api.url}/api/v1/users/me`, bearer(token));

describe('POST /auth/login', () => {
  it('answers the access token and user, and sets the refresh cookie', async () => {
    const account = await register(api.url);
    const res = await fetch(
      `${api.url}/api/v1/auth/login`,
      json({ email: account.email.toUpperCase(), password: PASSWORD }),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      accessToken: expect.any(String),
      expiresIn: 900,
      user: expect.objectContaining({ id: account.id }),
    });
    expect(JSON.stringify(body)).not.toContain(refreshCookie(res)!);

    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('refresh_token='))!;
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Strict/i);
    expect(cookie).toMatch(/; Path=\/api\/v1\/auth(;|$)/);
    expect(cookie).not.toMatch(/Domain=/i);
    expect(cookie).not.toMatch(/; Secure/i); // PUBLIC_URL is plain http://localhost in tests
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('marks its cookies Secure when the web app is not on plain http://localhost', async () => {
    await withTestApp({ env: { PUBLIC_URL: 'https://app.example.com' } }, async (deployed) => {
      const account = await register(deployed.url);
      const res = await fetch(`${deployed.url}/api/v1/auth/login`, json({ email: account.email, password: PASSWORD }));
      expect(res.status).toBe(200);
      const cookies = res.headers.getSetCookie();
      for (const name of ['refresh_token', 'device']) {
        expect(cookies.find((c) => c.startsWith(`${name}=`))).toMatch(/; Secure(;|$)/i);
      }
    });
  });

  it('never lets an error answer of the auth and account routes be cached', async () => {
    const answers = [
      await fetch(`${api.url}/api/v1/auth/login`, json({ email: 'nobody@example.test', password: 'Wrong-1' })),
      await fetch(`${api.url}/api/v1/auth/login`, json({ email: 'not an address', password: 'x' })),
      await fetch(`${api.url}/api/v1/auth/register`, json({})),
      await fetch(`${api.url}/api/v1/auth/refresh`, { method: 'POST', headers: { origin: 'https://evil.example' } }),
      await fetch(`${api.url}/api/v1/auth/email/verify`, json({ token: 'not-a-real-token' })),
      await fetch(`${api.url}/api/v1/users/me`),
      await fetch(`${api.url}/api/v1/users/me/sessions/019a9b01-7c2d-7e3f-8a41-6b7c8d9e0f12`, { method: 'DELETE' }),
    ];
    expect(answers.map((r) => r.status)).toEqual([401, 400, 400, 403, 400, 401, 401]);
    for (const res of answers) expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('issues a JWT with pinned claims that opens /users/me', async () => {
    const account = await register(api.url);
    const { accessToken } = await login(api.url, account);
    const [header, payload] = decode(accessToken);
    expect(header).toEqual({ alg: 'HS256', typ: 'at+jwt' });
    expect(payload).toEqual({
      sub: account.id,
      role: 'user',
      scope: 'profile:read profile:write posts:write account',
      sid: expect.any(String),
      jti: expect.any(String),
      iss: 'nuell',
      aud: 'nuell-api',
      iat: expect.any(Number),
      exp: expect.any(Number),
    });
    expect(payload.exp - payload.iat).toBe(900);
    const res = await me(accessToken);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: account.id, email: account.email });
  });

  it("answers unknown e-mail, wrong password and a suspended account's wrong password identically", async () => {
    const known = await register(api.url);
    const suspended = await register(api.url);
    await api.app.get(OperatorAccountService).suspend(null, suspended.id, { reason: 'Spam' }); // as the control panel suspends

    const answers = await Promise.all(
      [
        { email: uniqueEmail('nobody'), password: PASSWORD },
        { email: known.email, password: `${PASSWORD}-wrong` },
        { email: suspended.email, password: `${PASSWORD}-wrong` },
      ].map(async (body) => {
        const res = await fetch(`${api.url}/api/v1/auth/login`, json(body));
        const { requestId: _ignored, ...rest } = (await res.json()) as Record<string, unknown>;
        return { status: res.status, body: rest, cookie: res.headers.getSetCookie().length };
      }),
    );
    expect(answers[0]).toEqual({
      status: 401,
      body: {
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        detail: 'The e-mail or the password is incorrect.',
        instance: '/api/v1/auth/login',
      },
      cookie: 0,
    });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    // Only the right password learns of the suspension (suspension.spec.ts).
    expect(
      (await fetch(`${api.url}/api/v1/auth/login`, json({ email: suspended.email, password: PASSWORD }))).status,
    ).toBe(403);
  });

  it('records each failure in the audit log', async () => {
    const account = await register(api.url);
    await fetch(`${api.url}/api/v1/auth/login`, json({ email: account.email, password: 'Wrong-password-1' }));
    const rows = await api.db.query<{ data: { reason: string } }[]>(
      `SELECT data FROM audit_log WHERE action = 'login_failed' AND target_id = $1`,
      [account.id],
    );
    expect(rows.map((r) => r.data.reason)).toEqual(['wrong_password']);
  });
});

describe('access tokens are refused when forged or misused', () => {
  let token: string;
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  let refreshToken: string;
  beforeAll(async () => {
    const session = await login(api.url, await register(api.url));
    token = session.accessToken;
    refreshToken = session.refreshToken;
    [header, payload] = decode(token);
  });

  it('accepts the genuine token (control)', async () => {
    expect((await me(token)).status).toBe(200);
    expect((await me(sign(header, payload))).status).toBe(200);
  });

  it.each([
    ['alg: none', () => `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(payload)}.`],
    [
      'alg: none with the original signature',
      () => `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(payload)}.${token.split('.')[2]}`,
    ],
    ['a tampered payload', () => `${token.split('.')[0]}.${b64({ ...payload, role: 'admin' })}.${token.split('.')[2]}`],
    ['another secret', () => sign(header, payload, 'x'.repeat(40))],
    ['an embedded jwk', () => sign({ ...header, jwk: { kty: 'oct', k: 'AAAA' } }, payload)],
    ['a jku URL', () => sign({ ...header, jku: 'https://evil.example/keys' }, payload)],
    ['a kid', () => sign({ ...header, kid: '../../dev/null' }, payload)],
    ['the wrong typ', () => sign({ ...header, typ: 'JWT' }, payload)],
    ['the wrong issuer', () => sign(header, { ...payload, iss: 'someone-else' })],
    ['the wrong audience', () => sign(header, { ...payload, aud: 'other-api' })],
    ['an expired token', () => sign(header, { ...payload, exp: Math.floor(Date.now() / 1000) - 10 })],
    ['HS512', () => sign({ ...header, alg: 'HS512' }, payload)],
    ['a refresh token as bearer', () => refreshToken],
    ['garbage', () => 'x.y'],
  ])('refuses %s with 401', async (_case, forge) => {
    const res = await me(forge());
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('refuses an e-mailed verification or reset token used as a bearer token', async () => {
    const account = await register(api.url);
    const verifyToken = linkIn(await waitForEmail(account.email, /Confirm your e-mail/)).token;
    await fetch(`${api.url}/api/v1/auth/password/forgot`, json({ email: account.email }));
    const resetToken = linkIn(await waitForEmail(account.email, /Reset your password/)).token;
    for (const token of [verifyToken, resetToken]) expect((await me(token)).status).toBe(401);
  });

  it('refuses a missing token, another scheme, and a token in the query string', async () => {
    expect((await fetch(`${api.url}/api/v1/users/me`)).status).toBe(401);
    expect((await fetch(`${api.url}/api/v1/users/me`, { headers: { authorization: `Basic ${token}` } })).status).toBe(
      401,
    );
    expect((await fetch(`${api.url}/api/v1/users/me?access_token=${token}`)).status).toBe(401);
  });
});
