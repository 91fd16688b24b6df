import { bearer, deviceCookie, json, login, PASSWORD, refreshCookie, register } from './support/accounts.js';
import { useTestApp } from './support/app.js';
import { emailsTo, waitForEmail } from './support/mail.js';
import { codeFor, enrolTotp, stepUp } from './support/totp.js';
import { SecondFactors } from '../src/mfa/second-factors.js';

const api = useTestApp();
const url = (path: string) => `${api.url}/api/v1${path}`;
const MFA_REQUIRED = 'https://nuell.dev/problems/mfa-required';
const TICKET_INVALID = 'https://nuell.dev/problems/mfa-ticket-invalid';
const STEP_UP_REQUIRED = 'https://nuell.dev/problems/step-up-required';

type Problem = { type: string; status: number; detail: string; errors?: { field: string; detail: string }[] } & Record<
  string,
  unknown
>;

/** POST /auth/login for an account with two-step sign-in: the 403 and its ticket. */
async function firstStep(email: string, password = PASSWORD): Promise<{ res: Response; problem: Problem }> {
  const res = await fetch(url('/auth/login'), json({ email, password }));
  return { res, problem: (await res.json()) as Problem };
}

const secondStep = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  fetch(url('/auth/login/mfa'), json(body, headers));

/** Makes every session of the account's last proof of presence older than the step-up window. */
const ageProofs = (userId: string) =>
  api.db.query(`UPDATE sessions SET proven_at = now() - interval '11 minutes' WHERE user_id = $1`, [userId]);

const auditActions = async (userId: string) =>
  (
    await api.db.query<{ action: string; data: Record<string, unknown> }[]>(
      `SELECT action, data FROM audit_log WHERE target_id = $1 ORDER BY created_at`,
      [userId],
    )
  ).map((row) => row.action);

describe('turning two-step sign-in on', () => {
  it('gives a secret and its otpauth URI, then ten recovery codes once a code from the app confirms it', async () => {
    const account = await register(api.url);
    const { accessToken } = await login(api.url, account);
    await stepUp(api.url, accessToken, { password: PASSWORD });
    const begun = await fetch(url('/users/me/mfa/totp'), bearer(accessToken, { method: 'POST' }));
    expect(begun.status).toBe(201);
    const { secret, otpauthUri } = (await begun.json()) as { secret: string; otpauthUri: string };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(otpauthUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('nuell');
    expect(decodeURIComponent(uri.pathname)).toContain(account.email);

    // Not on until confirmed: the password alone still signs in.
    expect((await fetch(url('/auth/login'), json({ email: account.email, password: account.password }))).status).toBe(
      200,
    );

    const wrong = await fetch(url('/users/me/mfa/totp/confirm'), bearer(accessToken, json({ code: '000000' })));
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as Problem).errors).toEqual([expect.objectContaining({ field: 'code' })]);

    const confirmed = await fetch(
      url('/users/me/mfa/totp/confirm'),
      bearer(accessToken, json({ code: codeFor(secret) })),
    );
    expect(confirmed.status).toBe(200);
    const { recoveryCodes } = (await confirmed.json()) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    // Stored only as hashes.
    const stored = await api.db.query<{ code_hash: string }[]>(
      `SELECT code_hash FROM recovery_codes WHERE user_id = $1`,
      [account.id],
    );
    expect(stored).toHaveLength(10);
    expect(JSON.stringify(stored)).not.toContain(recoveryCodes[0]!.replace('-', ''));

    const status = await (await fetch(url('/users/me/mfa'), bearer(accessToken))).json();
    expect(status).toEqual({
      totp: { enabled: true, enabledAt: expect.any(String) },
      recoveryCodesLeft: 10,
      passkeys: 0,
      stepUpUntil: expect.any(String),
    });
    const mail = await waitForEmail(account.email, /A sign-in method was added/);
    expect(mail.text).toContain('an authenticator app');
    expect(mail.text).toContain('http://localhost:3000/settings#security');
    expect(await auditActions(account.id)).toContain('mfa_enabled');

    // A second set-up while on is refused; so is confirming again.
    expect((await fetch(url('/users/me/mfa/totp'), bearer(accessToken, { method: 'POST' }))).status).toBe(409);
  });

  it('is confirmed once when two confirmations race, with ten recovery codes', async () => {
    const account = await register(api.url);
    const { accessToken } = await login(api.url, account);
    await stepUp(api.url, accessToken, { password: account.password });
    const begun = await fetch(url('/users/me/mfa/totp'), bearer(accessToken, { method: 'POST' }));
    const { secret } = (await begun.json()) as { secret: string };
    const answers = await Promise.all(
      [1, 2].map(() => fetch(url('/users/me/mfa/totp/confirm'), bearer(accessToken, json({ code: codeFor(secret) })))),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const [{ n }] = await api.db.query<[{ n: number }]>(
      `SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1`,
      [account.id],
    );
    expect(n).toBe(10);
  });

  it('needs a recent proof of presence to begin: signing in is not one', async () => {
    const account = await register(api.url);
    const { accessToken } = await login(api.url, account);
    const refused = await fetch(url('/users/me/mfa/totp'), bearer(accessToken, { method: 'POST' }));
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as Problem).type).toBe(STEP_UP_REQUIRED);

    const wrong = await fetch(url('/users/me/step-up'), bearer(accessToken, json({ password: 'not-it-at-all' })));
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as Problem).errors).toEqual([expect.objectContaining({ field: 'password' })]);
    const proven = await fetch(url('/users/me/step-up'), bearer(accessToken, json({ password: PASSWORD })));
    expect(proven.status).toBe(200);
    const { until } = (await proven.json()) as { until: string };
    expect(new Date(until).getTime() - Date.now()).toBeGreaterThan(9 * 60_000);
    expect((await fetch(url('/users/me/mfa/totp'), bearer(accessToken, { method: 'POST' }))).status).toBe(201);
    expect(await auditActions(account.id)).toEqual(expect.arrayContaining(['step_up_failed', 'step_up']));

    // Ten minutes later the proof has lapsed.
    await ageProofs(account.id);
    expect((await fetch(url('/users/me/mfa/totp'), bearer(accessToken, { method: 'POST' }))).status).toBe(403);
  });
});

describe('signing in with two-step sign-in on', () => {
  it('answers mfa-required with a ticket, and the code finishes the sign-in once', async () => {
    const account = await register(api.url);
    const { secret } = await enrolTotp(api.url, account);

    const { res, problem } = await firstStep(account.email);
    expect(res.status).toBe(403);
    expect(problem).toEqual(
      expect.objectContaining({
        type: MFA_REQUIRED,
        ticket: expect.any(String),
        methods: ['totp', 'recovery_code'],
        expiresAt: expect.any(String),
      }),
    );
    expect(refreshCookie(res)).toBeUndefined();
    const ticket = problem.ticket as string;

    const wrong = await secondStep({ ticket, code: '000000' });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as Problem).errors).toEqual([expect.objectContaining({ field: 'code' })]);

    // The code of the next step: the enrolment spent the current one.
    const code = codeFor(secret, 1);
    const done = await secondStep({ ticket, code });
    expect(done.status).toBe(200);
    const { accessToken } = (await done.json()) as { accessToken: string };
    expect(refreshCookie(done)).toBeDefined();
    expect(deviceCookie(done)).toBeDefined();
    expect((await fetch(url('/users/me'), bearer(accessToken))).status).toBe(200);

    // The ticket is spent, whatever code comes with it.
    const replayed = await secondStep({ ticket, code: codeFor(secret) });
    expect(replayed.status).toBe(401);
    expect(((await replayed.json()) as Problem).type).toBe(TICKET_INVALID);

    // The code too: with a fresh ticket, the same code (and an older one) is refused.
    const again = await firstStep(account.email);
    expect((await secondStep({ ticket: again.problem.ticket, code })).status).toBe(400);
    expect((await secondStep({ ticket: again.problem.ticket, code: codeFor(secret, -1) })).status).toBe(400);

    const audit = await api.db.query<{ data: { method: string } }[]>(
      `SELECT data FROM audit_log WHERE actor_id = $1 AND action = 'login' ORDER BY created_at DESC LIMIT 1`,
      [account.id],
    );
    expect(audit[0]?.data.method).toBe('totp');
    expect(await auditActions(account.id)).toContain('mfa_failed');
  });

  it('takes each recovery code once', async () => {
    const account = await register(api.url);
    const { recoveryCodes } = await enrolTotp(api.url, account);
    const code = recoveryCodes[3]!;

    const first = await firstStep(account.email);
    // Typed in capitals with spaces, as a person copies it from paper.
    const done = await secondStep({ ticket: first.problem.ticket, recoveryCode: ` ${code.toUpperCase()} ` });
    expect(done.status).toBe(200);
    const { accessToken } = (await done.json()) as { accessToken: string };

    const second = await firstStep(account.email);
    const reused = await secondStep({ ticket: second.problem.ticket, recoveryCode: code });
    expect(reused.status).toBe(400);
    expect(((await reused.json()) as Problem).errors).toEqual([expect.objectContaining({ field: 'recoveryCode' })]);

    expect(
      ((await (await fetch(url('/users/me/mfa'), bearer(accessToken))).json()) as { recoveryCodesLeft: number })
        .recoveryCodesLeft,
    ).toBe(9);
    const used = await api.db.query<{ data: { left: number } }[]>(
      `SELECT data FROM audit_log WHERE target_id = $1 AND action = 'recovery_code_used'`,
      [account.id],
    );
    expect(used).toEqual([{ data: { left: 9 } }]);
  });

  it('refuses an expired ticket, and spends one after five wrong codes', async () => {
    const account = await register(api.url);
    const { secret } = await enrolTotp(api.url, account);

    const expired = await firstStep(account.email);
    await api.db.query(`UPDATE mfa_tickets SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [
      account.id,
    ]);
    const late = await secondStep({ ticket: expired.problem.ticket, code: codeFor(secret, 1) });
    expect(late.status).toBe(401);
    expect(((await late.json()) as Problem).detail).toBe('This sign-in has expired. Sign in again.');

    const { problem } = await firstStep(account.email);
    for (let i = 0; i < 5; i++) expect((await secondStep({ ticket: problem.ticket, code: '000000' })).status).toBe(400);
    const spent = await secondStep({ ticket: problem.ticket, code: codeFor(secret, 1) });
    expect(spent.status).toBe(401);

    expect((await secondStep({ ticket: 'made-up', code: codeFor(secret, 1) })).status).toBe(401);
    // Neither a code nor a recovery code: a field error, not a refusal of the ticket.
    expect((await secondStep({ ticket: problem.ticket })).status).toBe(400);
  });

  it('counts wrong codes against the sign-in limits, like wrong passwords', async () => {
    const limited = useTestAppLimited;
    const account = await register(limited.url);
    await enrolTotp(limited.url, account);
    const first = await fetch(`${limited.url}/api/v1/auth/login`, json({ email: account.email, password: PASSWORD }));
    const { ticket } = (await first.json()) as { ticket: string };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await fetch(`${limited.url}/api/v1/auth/login/mfa`, json({ ticket, code: '000000' }))).status);
    }
    // Three wrong codes spend the account's allowance (3 here): the fourth is not even checked,
    expect(statuses).toEqual([400, 400, 400, 429]);
    // and the password step is closed to unknown browsers too, as after three wrong passwords.
    const again = await fetch(`${limited.url}/api/v1/auth/login`, json({ email: account.email, password: PASSWORD }));
    expect(again.status).toBe(429);
  });

  it('gives no fresh guesses at codes for signing in again, even from a browser the account knows', async () => {
    const limited = useTestAppLimited;
    const account = await register(limited.url);
    // A browser that signed in before two-step sign-in was on keeps its device cookie.
    const known = deviceCookie((await login(limited.url, account)).response)!;
    await enrolTotp(limited.url, account);
    const statuses: number[] = [];
    for (let round = 0; round < 3; round++) {
      // The right password clears this browser's bucket for passwords...
      const first = await fetch(
        `${limited.url}/api/v1/auth/login`,
        json({ email: account.email, password: PASSWORD }, { cookie: `device=${known}` }),
      );
      expect(first.status).toBe(403);
      const { ticket } = (await first.json()) as { ticket: string };
      for (let i = 0; i < 2; i++) {
        const wrong = await fetch(
          `${limited.url}/api/v1/auth/login/mfa`,
          json({ ticket, code: '000000' }, { cookie: `device=${known}` }),
        );
        statuses.push(wrong.status);
      }
    }
    // ...but not the account's bucket for codes (RATE_LIMIT_SECOND_FACTOR, 4 here): the fifth is not checked.
    expect(statuses).toEqual([400, 400, 400, 400, 429, 429]);
  });

  it('refuses the OAuth password grant, pointing to what works instead', async () => {
    const account = await register(api.url);
    await enrolTotp(api.url, account);
    const res = await fetch(url('/auth/token'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: account.email, password: PASSWORD }).toString(),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; error_description: string };
    expect(body.error).toBe('invalid_grant');
    expect(body.error_description).toContain('personal access token');
  });
});

// A second app with the sign-in limits at their production defaults' size (5 failures per account).
const useTestAppLimited = useTestApp({
  env: { RATE_LIMIT_LOGIN_ACCOUNT: '3/15m', RATE_LIMIT_LOGIN_IP: '1000/1m', RATE_LIMIT_SECOND_FACTOR: '4/15m' },
});

describe('turning it off and new recovery codes', () => {
  it('needs a recent proof and a fresh code; then the password alone signs in again', async () => {
    const account = await register(api.url);
    const { secret, accessToken } = await enrolTotp(api.url, account);
    await ageProofs(account.id);
    const stale = await fetch(url('/users/me/mfa/totp'), bearer(accessToken, json({ code: codeFor(secret, 1) }, {})));
    // (POST above is begin, refused as already on; the DELETE is what matters.)
    expect(stale.status).toBe(403);
    const off = (code: string) =>
      fetch(url('/users/me/mfa/totp'), bearer(accessToken, { ...json({ code }), method: 'DELETE' }));
    expect((await off(codeFor(secret, 1))).status).toBe(403);

    const proven = await fetch(url('/users/me/step-up'), bearer(accessToken, json({ code: codeFor(secret, 1) })));
    expect(proven.status).toBe(200);
    // The step-up spent that code: turning off needs a fresh one.
    expect((await off(codeFor(secret, 1))).status).toBe(400);
    expect((await off(codeFor(secret, -1))).status).toBe(400);
    // A recovery code is a fresh code too.
    const again = await fetch(url('/users/me/mfa/recovery-codes'), bearer(accessToken, { method: 'POST' }));
    expect(again.status).toBe(200);
    const { recoveryCodes } = (await again.json()) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect((await off(recoveryCodes[0]!)).status).toBe(204);

    expect((await fetch(url('/auth/login'), json({ email: account.email, password: account.password }))).status).toBe(
      200,
    );
    const mail = await waitForEmail(account.email, /A sign-in method was removed/);
    expect(mail.text).toContain('An authenticator app was removed');
    expect(await auditActions(account.id)).toEqual(
      expect.arrayContaining(['recovery_codes_regenerated', 'mfa_disabled']),
    );
  });

  it('makes the old recovery codes worthless once new ones are made', async () => {
    const account = await register(api.url);
    const { recoveryCodes: old, accessToken } = await enrolTotp(api.url, account);
    expect((await fetch(url('/users/me/mfa/recovery-codes'), bearer(accessToken, { method: 'POST' }))).status).toBe(
      200,
    );
    const { problem } = await firstStep(account.email);
    expect((await secondStep({ ticket: problem.ticket, recoveryCode: old[0] })).status).toBe(400);
    const mail = await waitForEmail(account.email, /New recovery codes were made/);
    expect(mail.text).toContain('the old ones no longer work');
  });

  it('makes ten codes, not twenty, when two requests for new ones race', async () => {
    const account = await register(api.url);
    const { accessToken } = await enrolTotp(api.url, account);
    const answers = await Promise.all(
      [1, 2].map(() => fetch(url('/users/me/mfa/recovery-codes'), bearer(accessToken, { method: 'POST' }))),
    );
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const [{ n }] = await api.db.query<[{ n: number }]>(
      `SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`,
      [account.id],
    );
    expect(n).toBe(10);
  });

  it('keeps it on for operators', async () => {
    const account = await register(api.url);
    const { secret, accessToken } = await enrolTotp(api.url, account);
    await api.db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [account.id]);
    const res = await fetch(
      url('/users/me/mfa/totp'),
      bearer(accessToken, { ...json({ code: codeFor(secret, 1) }), method: 'DELETE' }),
    );
    expect(res.status).toBe(409);
    expect(((await res.json()) as Problem).detail).toContain('Operators must keep two-step sign-in');
  });

  it('is reset by an operator: every factor goes, the owner is told and signs in with the password', async () => {
    const account = await register(api.url);
    await enrolTotp(api.url, account);
    const operator = await register(api.url);
    const removed = await api.app.get(SecondFactors).reset(operator.id, account.id);
    expect(removed).toEqual({ totp: true, passkeys: 0 });
    expect((await fetch(url('/auth/login'), json({ email: account.email, password: account.password }))).status).toBe(
      200,
    );
    await waitForEmail(account.email, /Your two-step sign-in was reset/);
    const [entry] = await api.db.query<{ actor_id: string; data: unknown }[]>(
      `SELECT actor_id, data FROM audit_log WHERE target_id = $1 AND action = 'mfa_reset'`,
      [account.id],
    );
    expect(entry).toEqual({ actor_id: operator.id, data: { totp: true, passkeys: 0 } });
    const left = await api.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1`,
      [account.id],
    );
    expect(left[0]?.n).toBe(0);
  });
});

describe('sensitive changes without the password', () => {
  it('need a step-up: a fresh sign-in is not enough, a recent step-up is, an old one no longer', async () => {
    const account = await register(api.url);
    const { accessToken } = await login(api.url, account);
    const change = () => fetch(url('/users/me/email'), bearer(accessToken, json({ newEmail: `new-${account.email}` })));
    const refused = await change();
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as Problem).type).toBe(STEP_UP_REQUIRED);
    expect((await fetch(url('/users/me'), bearer(accessToken, { method: 'DELETE' }))).status).toBe(403);

    await stepUp(api.url, accessToken, { password: PASSWORD });
    expect((await change()).status).toBe(202);

    await ageProofs(account.id);
    expect((await change()).status).toBe(403);
    // With the password in the body it goes through as before; a wrong one is still a field error.
    const deleteWith = (currentPassword: string) =>
      fetch(url('/users/me'), bearer(accessToken, { ...json({ currentPassword }), method: 'DELETE' }));
    expect((await deleteWith('wrong-password-here')).status).toBe(400);
    expect((await fetch(url('/users/me'), bearer(accessToken))).status).toBe(200);
    expect((await deleteWith(PASSWORD)).status).toBe(204);
  });

  it('answer 400, never 500, for a password that is null or not text', async () => {
    const account = await register(api.url);
    const { accessToken } = await login(api.url, account);
    const statuses = [
      await fetch(url('/users/me'), bearer(accessToken, { ...json({ currentPassword: null }), method: 'DELETE' })),
      await fetch(
        url('/users/me/email'),
        bearer(accessToken, json({ newEmail: `x-${account.email}`, password: null })),
      ),
      await fetch(
        url('/users/me/password'),
        bearer(accessToken, json({ currentPassword: null, newPassword: 'Difference-Engine-1822' })),
      ),
      await fetch(url('/users/me/step-up'), bearer(accessToken, json({ password: {}, code: '123456' }))),
      await fetch(url('/users/me/step-up'), bearer(accessToken, json({}))),
      await fetch(url('/auth/login/mfa'), json({ ticket: 'x', code: null })),
    ].map((res) => res.status);
    expect(statuses).toEqual([400, 400, 400, 400, 400, 400]);
    expect((await fetch(url('/users/me'), bearer(accessToken))).status).toBe(200);
  });

  it('stay refused to a session that never proved itself, even when another session of the account did', async () => {
    const account = await register(api.url);
    const mine = await login(api.url, account);
    const other = await login(api.url, account);
    await stepUp(api.url, other.accessToken, { password: PASSWORD });
    expect((await fetch(url('/users/me'), bearer(mine.accessToken, { method: 'DELETE' }))).status).toBe(403);
  });
});

describe('the new-device e-mail', () => {
  it('goes out when a browser without the device cookie signs in, not on the first sign-in or a known browser', async () => {
    const account = await register(api.url);
    const first = await login(api.url, account);
    const known = deviceCookie(first.response)!;
    const fromKnown = await fetch(
      url('/auth/login'),
      json({ email: account.email, password: account.password }, { cookie: `device=${known}` }),
    );
    expect(fromKnown.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect((await emailsTo(account.email)).filter((m) => /New sign-in/.test(m.subject))).toHaveLength(0);

    const elsewhere = await fetch(
      url('/auth/login'),
      json(
        { email: account.email, password: account.password },
        { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' },
      ),
    );
    expect(elsewhere.status).toBe(200);
    const mail = await waitForEmail(account.email, /New sign-in to your account/);
    expect(mail.text).toContain('Firefox on Linux');
    expect(mail.text).toContain('http://localhost:3000/settings#sessions');
  });
});
