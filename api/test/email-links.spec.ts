/**
 * docs/security.md: a new e-mailed link voids the older ones of the same kind. Each kind is asked
 * for twice; the first link must then be refused, and the second still work.
 */
import { bearer, json, login, PASSWORD, register, uniqueEmail } from './support/accounts.js';
import { useTestApp } from './support/app.js';
import { linkIn, waitForEmail } from './support/mail.js';

const api = useTestApp();
const post = (path: string, body: unknown, token?: string) =>
  fetch(`${api.url}/api/v1${path}`, token ? bearer(token, json(body)) : json(body));

/** The links of the first and the second e-mail matching `subject` to `address`, in that order. */
async function twoLinks(address: string, subject: RegExp, ask: () => Promise<Response>): Promise<string[]> {
  const tokens: string[] = [];
  for (const count of [1, 2]) {
    expect((await ask()).status).toBe(202);
    // Each e-mail is awaited before the next is asked for, so the newest is the one just asked for.
    tokens.push(linkIn(await waitForEmail(address, subject, count)).token);
  }
  expect(tokens[0]).not.toBe(tokens[1]);
  return tokens;
}

describe('a new e-mailed link voids the older one', () => {
  it('of a password reset', async () => {
    const account = await register(api.url);
    const [older, newer] = await twoLinks(account.email, /Reset your password/, () =>
      post('/auth/password/forgot', { email: account.email }),
    );
    expect((await post('/auth/password/reset', { token: older, password: 'Older-Link-Secret-1' })).status).toBe(400);
    expect((await post('/auth/password/reset', { token: newer, password: 'Newer-Link-Secret-2' })).status).toBe(204);
    await expect(login(api.url, { email: account.email, password: 'Newer-Link-Secret-2' })).resolves.toBeDefined();
  });

  it('of an address change, even to another address', async () => {
    const account = await register(api.url);
    const { accessToken } = await login(api.url, account);
    const [first, second] = [uniqueEmail('first'), uniqueEmail('second')];
    expect((await post('/users/me/email', { newEmail: first, password: PASSWORD }, accessToken)).status).toBe(202);
    const older = linkIn(await waitForEmail(first, /Confirm your new e-mail/)).token;
    expect((await post('/users/me/email', { newEmail: second, password: PASSWORD }, accessToken)).status).toBe(202);
    const newer = linkIn(await waitForEmail(second, /Confirm your new e-mail/)).token;

    expect((await post('/auth/email/verify', { token: older })).status).toBe(400);
    const me = async () =>
      ((await (await fetch(`${api.url}/api/v1/users/me`, bearer(accessToken))).json()) as { email: string }).email;
    expect(await me()).toBe(account.email);
    expect((await post('/auth/email/verify', { token: newer })).status).toBe(200);
    expect(await me()).toBe(second);
  });

  it('of an address verification', async () => {
    const account = await register(api.url);
    const { accessToken } = await login(api.url, account);
    const first = linkIn(await waitForEmail(account.email, /Confirm your e-mail/)).token;
    expect((await post('/auth/email/verify/resend', {}, accessToken)).status).toBe(202);
    const second = linkIn(await waitForEmail(account.email, /Confirm your e-mail/, 2)).token;
    expect(second).not.toBe(first);
    expect((await post('/auth/email/verify', { token: first })).status).toBe(400);
    expect((await post('/auth/email/verify', { token: second })).status).toBe(200);
  });
});
