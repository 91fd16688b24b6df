/**
 * What a new password ends. Someone who knew the old password (or held a session) must keep
 * nothing once the owner changes or resets it: no pending e-mailed link (an address change to the
 * attacker's own address above all, which would hand them the account through "forgot password"),
 * and no device cookie that proved the old password. Panel sessions are checked in admin/test.
 */
import { OperatorAccountService } from '../src/auth/operator-account.service.js';
import { PasswordHasher } from '../src/users/password-hasher.js';
import { UsersRepository } from '../src/users/users.repository.js';
import {
  bearer,
  deviceCookie as deviceOf,
  json,
  login,
  type Account,
  register,
  uniqueEmail,
} from './support/accounts.js';
import { useTestApp } from './support/app.js';
import { emailsTo, linkIn, waitForEmail } from './support/mail.js';

const LIMIT = 2;
const api = useTestApp({ env: { RATE_LIMIT_LOGIN_ACCOUNT: `${LIMIT}/15m`, RATE_LIMIT_LOGIN_DEVICE: '10/15m' } });

const NEW_PASSWORD = 'Brand-New-Secret-77';
const post = (path: string, body: unknown, token?: string) =>
  fetch(`${api.url}/api/v1${path}`, token ? bearer(token, json(body)) : json(body));

/** The attacker, holding a session, asks to move the account to their own address. */
async function pendingAddressChange(account: Account): Promise<{ token: string; attackerEmail: string }> {
  const { accessToken } = await login(api.url, account);
  const attackerEmail = uniqueEmail('attacker');
  expect(
    (await post('/users/me/email', { newEmail: attackerEmail, password: account.password }, accessToken)).status,
  ).toBe(202);
  return { token: linkIn(await waitForEmail(attackerEmail, /Confirm your new e-mail/)).token, attackerEmail };
}

async function resetPassword(account: Account, password: string): Promise<void> {
  const before = (await emailsTo(account.email)).filter((e) => /Reset your password/.test(e.subject)).length;
  expect((await post('/auth/password/forgot', { email: account.email })).status).toBe(202);
  const { token } = linkIn(await waitForEmail(account.email, /Reset your password/, before + 1));
  expect((await post('/auth/password/reset', { token, password })).status).toBe(204);
}

async function changePassword(account: Account, password: string): Promise<void> {
  const { accessToken } = await login(api.url, account);
  const res = await post(
    '/users/me/password',
    { currentPassword: account.password, newPassword: password },
    accessToken,
  );
  expect(res.status).toBe(204);
}

const addressOf = async (id: string) =>
  (await api.db.query<{ email: string }[]>('SELECT email FROM users WHERE id = $1', [id]))[0]!.email;

describe('pending e-mailed links', () => {
  it('a password reset voids an address change that an attacker started', async () => {
    const owner = await register(api.url);
    const { token } = await pendingAddressChange(owner);
    await resetPassword(owner, NEW_PASSWORD);

    const confirm = await post('/auth/email/verify', { token });
    expect(confirm.status).toBe(400);
    expect(await addressOf(owner.id)).toBe(owner.email);
  });

  it('a password change voids every pending link: address change, verification and reset', async () => {
    const owner = await register(api.url);
    const verification = linkIn(await waitForEmail(owner.email, /Confirm your e-mail address/)).token;
    const { token: change } = await pendingAddressChange(owner);
    expect((await post('/auth/password/forgot', { email: owner.email })).status).toBe(202);
    const reset = linkIn(await waitForEmail(owner.email, /Reset your password/)).token;

    await changePassword(owner, NEW_PASSWORD);

    expect((await post('/auth/email/verify', { token: change })).status).toBe(400);
    expect((await post('/auth/email/verify', { token: verification })).status).toBe(400);
    expect((await post('/auth/password/reset', { token: reset, password: 'Yet-Another-Secret-88' })).status).toBe(400);
    expect(await addressOf(owner.id)).toBe(owner.email);
    await expect(login(api.url, { ...owner, password: NEW_PASSWORD })).resolves.toBeDefined();
    const [audit] = await api.db.query<{ data: Record<string, unknown> }[]>(
      `SELECT data FROM audit_log WHERE action = 'password_changed' AND target_id = $1`,
      [owner.id],
    );
    expect(audit!.data).toMatchObject({ voidedLinks: 3 });
  });

  it("a suspended account's address-change link does nothing, and stays unused", async () => {
    const owner = await register(api.url);
    const { token } = await pendingAddressChange(owner);
    const accounts = api.app.get(OperatorAccountService);
    await accounts.suspend(null, owner.id, { reason: 'Spam' });
    expect((await post('/auth/email/verify', { token })).status).toBe(400);
    expect(await addressOf(owner.id)).toBe(owner.email);
    // Lifting the suspension restores the account as it was, pending link included.
    await accounts.lift(null, owner.id);
    expect((await post('/auth/email/verify', { token })).status).toBe(200);
  });
});

describe('device cookies', () => {
  const signIn = (account: Pick<Account, 'email' | 'password'>, device?: string) =>
    fetch(
      `${api.url}/api/v1/auth/login`,
      json({ email: account.email, password: account.password }, device ? { cookie: `device=${device}` } : {}),
    );
  /** Spends the account's budget for browsers it does not know. */
  async function spend(account: Account): Promise<void> {
    for (let i = 0; i < LIMIT; i++) {
      expect((await signIn({ ...account, password: 'Wrong-Password-1' })).status).toBe(401);
    }
  }

  it.each([
    ['reset', resetPassword],
    ['change', changePassword],
  ] as const)('a password %s forgets the browsers that proved the old password', async (_, renew) => {
    const owner = await register(api.url);
    const old = deviceOf(await signIn(owner))!;
    expect(old).toBeDefined();
    await renew(owner, NEW_PASSWORD);
    const renewed = { ...owner, password: NEW_PASSWORD };

    await spend(owner);
    // The old device is a stranger now: the account's budget for strangers holds it.
    expect((await signIn(renewed, old)).status).toBe(429);
    // Only a browser that proves the new password is known again.
    const after = await register(api.url);
    const fresh = deviceOf(await signIn(after))!;
    await spend(after);
    expect((await signIn(after, fresh)).status).toBe(200);
  });

  it('a new hash of the same password (after the hashing cost is raised) keeps the account’s devices', async () => {
    const owner = await register(api.url);
    const device = deviceOf(await signIn(owner))!;
    // What a sign-in does when the hashing cost was raised: a new hash, the same password.
    const hash = await api.app.get(PasswordHasher).hash(owner.password);
    await api.app.get(UsersRepository).setPasswordHash(owner.id, hash);
    await spend(owner);
    expect((await signIn(owner, device)).status).toBe(200);
  });
});
