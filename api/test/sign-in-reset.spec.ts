/**
 * "Too many attempts. Try again in 10 minutes, or reset your password." must be true: a reset
 * through the e-mailed link proves the mailbox, so it clears that account's sign-in failures, and
 * only that account's.
 */
import { json, PASSWORD, register, type Account } from './support/accounts.js';
import { useTestApp } from './support/app.js';
import { linkIn, waitForEmail } from './support/mail.js';

const LIMIT = 5;
const WRONG = 'Wrong-Password-1';
const NEW_PASSWORD = 'Brand-New-Secret-77';

const api = useTestApp({
  env: { RATE_LIMIT_LOGIN_ACCOUNT: `${LIMIT}/15m`, RATE_LIMIT_LOGIN_IP: '1000/15m' },
});

let lastOctet = 0;
/** One browser, one address, as the reviewer's user had. */
const newIp = () => `198.19.7.${(lastOctet = (lastOctet % 250) + 1)}`;

const signIn = (email: string, password: string, ip: string) =>
  fetch(`${api.url}/api/v1/auth/login`, {
    ...json({ email, password }),
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
  });

async function lockOut(account: Account, ip: string): Promise<void> {
  for (let i = 0; i < LIMIT; i++) expect((await signIn(account.email, WRONG, ip)).status).toBe(401);
  const refused = await signIn(account.email, PASSWORD, ip);
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(60);
}

/** The e-mailed link flow: ask for a reset, read the link from the SMTP catcher, set the password. */
async function resetByLink(account: Account, ip: string): Promise<void> {
  const forgot = await fetch(`${api.url}/api/v1/auth/password/forgot`, {
    ...json({ email: account.email }),
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
  });
  expect(forgot.status).toBe(202);
  const { token } = linkIn(await waitForEmail(account.email, /Reset your password/));
  const reset = await fetch(`${api.url}/api/v1/auth/password/reset`, {
    ...json({ token, password: NEW_PASSWORD }),
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
  });
  expect(reset.status).toBe(204);
}

describe('a password reset after a sign-in lockout', () => {
  it('lets the owner sign in with the new password at once, from the same browser', async () => {
    const account = await register(api.url);
    const ip = newIp();
    await lockOut(account, ip);
    await resetByLink(account, ip);
    expect((await signIn(account.email, NEW_PASSWORD, ip)).status).toBe(200);
  });

  it("lifts only the resetting account's limit, never another account's", async () => {
    const victim = await register(api.url);
    const attacker = await register(api.url);
    const ip = newIp();
    await lockOut(victim, ip);
    await lockOut(attacker, ip);
    await resetByLink(attacker, ip);
    expect((await signIn(attacker.email, NEW_PASSWORD, ip)).status).toBe(200);
    expect((await signIn(victim.email, PASSWORD, ip)).status).toBe(429);
    expect((await signIn(victim.email, PASSWORD, newIp())).status).toBe(429);
  });
});
