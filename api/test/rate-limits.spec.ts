import { bearer, json, login, PASSWORD, register, uniqueEmail } from './support/accounts.js';
import { useTestApp } from './support/app.js';
import { linkIn, waitForEmail } from './support/mail.js';

const api = useTestApp({
  env: {
    RATE_LIMIT_LOGIN_ACCOUNT: '3/15m',
    RATE_LIMIT_LOGIN_IP: '1000/15m',
    RATE_LIMIT_SIGNUP_IP: '3/1h',
    RATE_LIMIT_PASSWORD_FORGOT: '2/1h',
    RATE_LIMIT_PASSWORD_CHECK: '3/15m',
    RATE_LIMIT_VERIFY_RESEND: '2/1h',
  },
});

const attempt = (email: string, password: string, ip: string) =>
  fetch(`${api.url}/api/v1/auth/login`, json({ email, password }, { 'x-forwarded-for': ip }));

describe('rate limits', () => {
  it('throttle sign-in per account even when the client rotates its IP, with Retry-After', async () => {
    // Registered from its own address, so the sign-up limit below stays untouched.
    const { email } = await register(api.url);
    for (let i = 1; i <= 3; i++) expect((await attempt(email, 'Wrong-Password-1', `203.0.113.${i}`)).status).toBe(401);

    const blocked = await attempt(email, PASSWORD, '198.51.100.77');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // The wait in words a person uses, never a count of seconds.
    expect(((await blocked.json()) as { detail: string }).detail).toMatch(
      /^Too many attempts\. Try again in (1[0-5]|[2-9]) minutes\.$/,
    );

    // The OAuth password grant shares the counter.
    const grant = await fetch(`${api.url}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '192.0.2.9' },
      body: new URLSearchParams({
        grant_type: 'password',
        username: email.toUpperCase(),
        password: PASSWORD,
      }).toString(),
    });
    expect(grant.status).toBe(429);
    expect(await grant.json()).toMatchObject({ error: 'temporarily_unavailable' });

    // Another account is not affected.
    const other = await register(api.url);
    expect((await attempt(other.email, PASSWORD, '203.0.113.1')).status).toBe(200);

    // A throttled account can still reset its password.
    const forgot = await fetch(
      `${api.url}/api/v1/auth/password/forgot`,
      json({ email }, { 'x-forwarded-for': '198.51.100.1' }),
    );
    expect(forgot.status).toBe(202);
    const { token } = linkIn(await waitForEmail(email, /Reset your password/));
    const reset = await fetch(
      `${api.url}/api/v1/auth/password/reset`,
      json({ token, password: 'Recovered-Secret-42' }),
    );
    expect(reset.status).toBe(204);
  });

  it('throttle sign-ups per IP', async () => {
    const signup = () =>
      fetch(
        `${api.url}/api/v1/auth/register`,
        json({ email: uniqueEmail(), password: PASSWORD, displayName: 'Bot' }, { 'x-forwarded-for': '203.0.113.200' }),
      );
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await signup()).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
  });

  it('throttle guesses of the current password by a signed-in user (stolen access token)', async () => {
    const account = await register(api.url);
    const { accessToken } = await login(api.url, account);
    const guess = (path: string, body: unknown) =>
      fetch(`${api.url}/api/v1/users/me/${path}`, bearer(accessToken, json(body)));
    const statuses = [
      (await guess('password', { currentPassword: 'Guess-Number-1', newPassword: 'Whatever-Secret-1' })).status,
      (await guess('email', { newEmail: uniqueEmail(), password: 'Guess-Number-2' })).status,
      (await guess('password', { currentPassword: 'Guess-Number-3', newPassword: 'Whatever-Secret-1' })).status,
      (await guess('password', { currentPassword: account.password, newPassword: 'Whatever-Secret-1' })).status,
    ];
    expect(statuses).toEqual([400, 400, 400, 429]);
  });

  it('throttle verification resends per user', async () => {
    // Signed up from an address of its own: the sign-up limit of this app is tight.
    const email = uniqueEmail();
    const signup = await fetch(
      `${api.url}/api/v1/auth/register`,
      json({ email, password: PASSWORD, displayName: 'Resender' }, { 'x-forwarded-for': '203.0.113.210' }),
    );
    expect(signup.status).toBe(201);
    const account = { email, password: PASSWORD };
    const { accessToken } = await login(api.url, account);
    const resend = () => fetch(`${api.url}/api/v1/auth/email/verify/resend`, bearer(accessToken, { method: 'POST' }));
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await resend()).status);
    expect(statuses).toEqual([202, 202, 429]);
    // The first e-mail and two resends: the limit stopped the third.
    await waitForEmail(account.email, /Confirm your e-mail/, 3);
  });

  it('throttle password-reset requests per IP', async () => {
    const forgot = () =>
      fetch(
        `${api.url}/api/v1/auth/password/forgot`,
        json({ email: uniqueEmail() }, { 'x-forwarded-for': '203.0.113.201' }),
      );
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await forgot()).status);
    expect(statuses).toEqual([202, 202, 429]);
  });
});
