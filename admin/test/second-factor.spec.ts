/**
 * Operators must use a second factor, over HTTP against the real panel and API: the first
 * sign-in sets up an authenticator app before anything of the panel opens (a wrong first code
 * changes nothing; the recovery codes are shown once), every later sign-in asks for a code that
 * works once, a recovery code works once, a pending sign-in ends after five minutes or five wrong
 * codes, the code step is limited like the password, and an operator resets another account's
 * two-step sign-in (audited, the owner e-mailed), offered only when there is something to reset.
 */
import { login, register } from '../../api/test/support/accounts.js';
import { waitForEmail } from '../../api/test/support/mail.js';
import {
  enrolTotp,
  operator,
  type Operator,
  PanelClient,
  signedIn,
  startPanel,
  usePanelAndApi,
} from './support/panel.js';
import { codeNow, stepNow, totpOf } from './support/totp.js';

const { panel, api } = usePanelAndApi();

const RECOVERY_CODE = /\b[a-z2-9]{5}-[a-z2-9]{5}\b/g;

/** A code of the secret that is not the one the app shows now (nor the steps beside it). */
function wrongCodeFor(secret: string): string {
  const totp = totpOf(secret);
  const step = totp.counter();
  const near = new Set([-1, 0, 1].map((d) => totp.generate({ timestamp: (step + d) * 30_000 })));
  for (let n = 0; ; n++) {
    const candidate = String(123_456 + n * 7_919).slice(-6);
    if (!near.has(candidate)) return candidate;
  }
}

/** The session id in the panel's cookie. */
const sidOf = (client: PanelClient) => decodeURIComponent(client.cookie!.split('=')[1]!).slice(2).split('.')[0]!;

/** What the panel answers to pages of the panel: where they send the browser. */
async function bounces(client: PanelClient): Promise<(string | null)[]> {
  const answers = [];
  for (const path of ['/cp', '/cp/api/dashboard', '/cp/resources/User']) {
    const response = await client.get(path);
    answers.push(response.status === 302 ? response.headers.get('location') : `${response.status}`);
  }
  return answers;
}

const auditCount = async (action: string, userId: string): Promise<number> => {
  const [row] = await api.db.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM audit_log WHERE action = $1 AND target_id = $2`,
    [action, userId],
  );
  return row!.n;
};

/** The recovery codes listed on a page (its list only). */
function codesOn(html: string): string[] {
  const list = /<ul data-recovery-codes[^>]*>([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return list.match(RECOVERY_CODE) ?? [];
}

/** The secret shown on the enrolment page (groups of four, spaces between). */
function secretOn(html: string): string {
  const shown = /data-secret[^>]*>([^<]+)</.exec(html)?.[1];
  if (!shown) throw new Error('no secret on the page');
  return shown.replace(/\s/g, '');
}

/** Goes through an operator's first sign-in to the end; answers the recovery codes shown. */
async function enrolThroughPanel(client: PanelClient, account: Operator): Promise<string[]> {
  const first = await client.password(account.email, account.password);
  expect(first.headers.get('location')).toBe('/cp/login/enrol');
  const page = await client.get('/cp/login/enrol');
  const secret = secretOn(await page.text());
  const confirmed = await client.secondStep({ code: codeNow(secret) }, '/cp/login/enrol');
  expect(confirmed.status).toBe(200);
  const codes = codesOn(await confirmed.text());
  const done = await client.secondStep({}, '/cp/login/enrolled');
  expect(done.status).toBe(302);
  await done.arrayBuffer();
  return codes;
}

describe("an operator's first sign-in", () => {
  it('sets up an authenticator app before anything of the panel opens, and shows the recovery codes once', async () => {
    const ada = await operator(api, {}, { enrolled: false });
    const client = new PanelClient(panel);

    const first = await client.password(ada.email, ada.password);
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe('/cp/login/enrol');
    // The browser earns its device cookie only once the sign-in is complete.
    expect(first.headers.getSetCookie().some((c) => c.startsWith('device='))).toBe(false);
    const pendingSid = sidOf(client);
    expect(await bounces(client)).toEqual(['/cp/login/enrol', '/cp/login/enrol', '/cp/login/enrol']);

    const page = await client.get('/cp/login/enrol');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Set up two-step sign-in');
    expect(html).toMatch(/Operators can change every account/);
    expect(html).toMatch(/<svg role="img" aria-label="QR code[^"]*"/);
    expect(html).toMatch(/<label for="enrol-code"[^>]*>Code<\/label>/);
    expect(html).toMatch(/<input id="enrol-code" name="code"[^>]*inputmode="numeric" autocomplete="one-time-code"/);
    const shown = /data-secret[^>]*>([^<]+)</.exec(html)![1]!;
    expect(shown).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
    const secret = secretOn(html);
    // A reload shows the same code to scan (the app may have it already).
    expect(secretOn(await (await client.get('/cp/login/enrol')).text())).toBe(secret);
    const [stored] = await api.db.query<{ secret: string; confirmed_at: Date | null }[]>(
      'SELECT secret, confirmed_at FROM totp_factors WHERE user_id = $1',
      [ada.id],
    );
    expect(stored).toEqual({ secret, confirmed_at: null });

    // A wrong code sets nothing up and says so; the same QR code stays.
    const wrong = await client.secondStep({ code: wrongCodeFor(secret) }, '/cp/login/enrol');
    expect(wrong.status).toBe(400);
    const refused = await wrong.text();
    expect(refused).toMatch(/role="alert"[^>]*>The code is incorrect or was already used/);
    expect(secretOn(refused)).toBe(secret);
    expect(await auditCount('mfa_enabled', ada.id)).toBe(0);
    expect(await bounces(client)).toEqual(['/cp/login/enrol', '/cp/login/enrol', '/cp/login/enrol']);

    const confirmed = await client.secondStep({ code: codeNow(secret) }, '/cp/login/enrol');
    expect(confirmed.status).toBe(200);
    const codesPage = await confirmed.text();
    expect(codesPage).toContain('Save these recovery codes');
    const codes = codesOn(codesPage);
    expect(new Set(codes).size).toBe(10);
    expect(await auditCount('mfa_enabled', ada.id)).toBe(1);
    // Still nothing of the panel before Continue; the codes are not shown again.
    expect(await bounces(client)).toEqual(['/cp/login/enrolled', '/cp/login/enrolled', '/cp/login/enrolled']);
    const again = await (await client.get('/cp/login/enrolled')).text();
    expect(codes.some((code) => again.includes(code))).toBe(false);
    expect(again).toContain('Two-step sign-in is on');

    const done = await client.secondStep({}, '/cp/login/enrolled');
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('/cp');
    expect(done.headers.getSetCookie().some((c) => c.startsWith('device='))).toBe(true);
    expect(sidOf(client)).not.toBe(pendingSid);
    expect((await client.get('/cp/api/dashboard')).status).toBe(200);

    // The session id of the pending sign-in is worth nothing now.
    const stale = new PanelClient(panel);
    stale.cookie = `nuell_panel=${encodeURIComponent(`s:${pendingSid}`)}`;
    expect((await stale.get('/cp/api/dashboard')).headers.get('location')).toBe('/cp/login');
  });

  it('refuses the steps out of order, and a POST of a step from another origin', async () => {
    const ada = await operator(api, {}, { enrolled: false });
    const client = new PanelClient(panel);
    // Without a password first, the steps lead to the password.
    expect((await client.get('/cp/login/code')).headers.get('location')).toBe('/cp/login');
    expect((await client.secondStep({ code: '123456' })).headers.get('location')).toBe('/cp/login');
    expect((await client.secondStep({}, '/cp/login/enrolled')).headers.get('location')).toBe('/cp/login');

    await client.password(ada.email, ada.password);
    // An operator without an app cannot skip to the code, nor to Continue.
    expect((await client.get('/cp/login/code')).headers.get('location')).toBe('/cp/login/enrol');
    expect((await client.secondStep({}, '/cp/login/enrolled')).headers.get('location')).toBe('/cp/login/enrol');
    expect(
      (await client.secondStep({ code: '123456' }, '/cp/login/enrol', { origin: 'https://evil.example' })).status,
    ).toBe(403);
  });
});

describe('later sign-ins', () => {
  it('ask for the code of the app, and each code works once', async () => {
    const ada = await operator(api);
    const secret = ada.totpSecret!;
    const client = new PanelClient(panel);
    const first = await client.password(ada.email, ada.password);
    expect(first.headers.get('location')).toBe('/cp/login/code');
    expect(await bounces(client)).toEqual(['/cp/login/code', '/cp/login/code', '/cp/login/code']);
    // The password alone is no sign-in: the audit log says so only once the code is in.
    expect(await auditCount('panel_login', ada.id)).toBe(0);

    const html = await (await client.get('/cp/login/code')).text();
    expect(html).toContain('Enter the 6-digit code from your authenticator app');
    expect(html).toMatch(/<label for="code"[^>]*>Code<\/label>/);
    expect(html).toMatch(/<input id="code" name="code"[^>]*inputmode="numeric" autocomplete="one-time-code"/);
    expect(html).toContain('href="/cp/login/code?with=recovery-code"');

    const wrong = await client.secondStep({ code: wrongCodeFor(secret) });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toMatch(/role="alert"[^>]*>The code is incorrect or was already used/);
    expect(await auditCount('mfa_failed', ada.id)).toBe(1);

    const code = codeNow(secret);
    const step = stepNow(secret);
    const right = await client.secondStep({ code });
    expect(right.status).toBe(302);
    expect(right.headers.get('location')).toBe('/cp');
    expect((await client.get('/cp/api/dashboard')).status).toBe(200);
    expect(await auditCount('panel_login', ada.id)).toBe(1);

    // The same code again, in another browser: refused, even within its 30 seconds.
    const other = new PanelClient(panel);
    await other.password(ada.email, ada.password);
    const replayed = await other.secondStep({ code });
    expect(replayed.status).toBe(400);
    expect(await bounces(other)).toEqual(['/cp/login/code', '/cp/login/code', '/cp/login/code']);
    // The next step's code is new.
    const next = await other.secondStep({ code: totpOf(secret).generate({ timestamp: (step + 1) * 30_000 }) });
    expect(next.status).toBe(302);
  });

  it('take a recovery code instead, once', async () => {
    const ada = await operator(api, {}, { enrolled: false });
    const codes = await enrolThroughPanel(new PanelClient(panel), ada);
    const [code] = codes;

    const client = new PanelClient(panel);
    await client.password(ada.email, ada.password);
    const form = await (await client.get('/cp/login/code?with=recovery-code')).text();
    expect(form).toMatch(/<label for="recovery-code"[^>]*>Recovery code<\/label>/);
    expect(form).toMatch(/<input id="recovery-code" name="recoveryCode"/);
    expect(form).toContain('href="/cp/login/code"');

    // Typed with capitals and spaces, as people do.
    const used = await client.secondStep({ recoveryCode: ` ${code!.toUpperCase()} ` });
    expect(used.status).toBe(302);
    expect((await client.get('/cp/api/dashboard')).status).toBe(200);
    expect(await auditCount('recovery_code_used', ada.id)).toBe(1);

    const again = new PanelClient(panel);
    await again.password(ada.email, ada.password);
    const refused = await again.secondStep({ recoveryCode: code! });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toMatch(/role="alert"[^>]*>The recovery code is incorrect or was already used/);
    // The form stays the recovery code's.
    expect(html).toContain('name="recoveryCode"');
  });

  it('start again with the password after five minutes', async () => {
    const ada = await operator(api);
    const client = new PanelClient(panel);
    await client.password(ada.email, ada.password);
    const [, updated] = await panel.db.query<[unknown, number]>(
      `UPDATE panel_sessions SET sess = jsonb_set(sess::jsonb, '{pendingSignIn,at}', to_jsonb($2::bigint))::json
        WHERE sid = $1`,
      [sidOf(client), Date.now() - 5 * 60_000 - 1_000],
    );
    expect(updated).toBe(1);

    const expired = await client.secondStep({ code: codeNow(ada.totpSecret!) });
    expect(expired.status).toBe(401);
    expect(await expired.text()).toContain('signInExpired');
    // Nothing is pending any more: the panel and the code page lead to the password.
    expect((await client.get('/cp/login/code')).headers.get('location')).toBe('/cp/login');
    expect((await client.get('/cp/resources/User')).headers.get('location')).toBe(
      '/cp/login?next=%2Fcp%2Fresources%2FUser',
    );
  });

  it('start again with the password after five wrong codes', async () => {
    const ada = await operator(api);
    const client = new PanelClient(panel);
    await client.password(ada.email, ada.password);
    const wrong = wrongCodeFor(ada.totpSecret!);
    for (let i = 0; i < 4; i++) expect((await client.secondStep({ code: wrong })).status).toBe(400);
    const fifth = await client.secondStep({ code: wrong });
    expect(fifth.status).toBe(401);
    expect(await fifth.text()).toContain('tooManyWrongCodes');
    expect((await client.secondStep({ code: codeNow(ada.totpSecret!) })).headers.get('location')).toBe('/cp/login');
  });

  it('are limited like passwords: 429 with Retry-After', async () => {
    const limited = await startPanel({ RATE_LIMIT_LOGIN_ACCOUNT: '3/15m' });
    try {
      const ada = await operator(api);
      const client = new PanelClient(limited);
      await client.password(ada.email, ada.password);
      const wrong = wrongCodeFor(ada.totpSecret!);
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await client.secondStep({ code: wrong })).status);
      expect(statuses.slice(0, 3)).toEqual([400, 400, 400]);
      expect(statuses[3]).toBe(429);
      const refused = await client.secondStep({ code: codeNow(ada.totpSecret!) });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.text()).toMatch(/role="alert"[^>]*>Too many failed sign-ins/);
    } finally {
      await limited.close();
    }
  });
});

interface RecordJson {
  params: Record<string, unknown>;
  recordActions: { name: string }[];
}

describe('Reset two-step sign-in', () => {
  it("removes another account's app, recovery codes and passkeys, audited and e-mailed; offered only when set up", async () => {
    const ops = await operator(api);
    const client = await signedIn(panel, ops);
    const user = await register(api.url, { displayName: 'Lost Phone' });
    const show = async () =>
      (await client.json<{ record: RecordJson }>(`/cp/api/resources/User/records/${user.id}/show`)).record;

    // Nothing set up: nothing to reset, and the page says it is off.
    const before = await show();
    expect(before.params).toMatchObject({ twoStep: false, passkeys: 0 });
    expect(before.recordActions.map((a) => a.name)).not.toContain('resetSecondFactors');
    const nothing = await client.act('User', user.id, 'resetSecondFactors');
    expect(nothing.notice).toMatchObject({ type: 'error', message: `${user.email} has no two-step sign-in to reset.` });
    expect(await auditCount('mfa_reset', user.id)).toBe(0);

    await enrolTotp(api.db, user.id);
    await api.db.query(
      `INSERT INTO recovery_codes (id, user_id, code_hash) SELECT gen_random_uuid(), $1, md5(random()::text) FROM generate_series(1, 10)`,
      [user.id],
    );
    await api.db.query(
      `INSERT INTO passkeys (id, user_id, credential_id, public_key, name)
       SELECT gen_random_uuid(), $1, md5(random()::text), '\\x00', 'Key ' || i FROM generate_series(1, 2) i`,
      [user.id],
    );
    const enrolled = await show();
    expect(enrolled.params).toMatchObject({ twoStep: true, passkeys: 2 });
    expect(typeof enrolled.params.twoStepSince).toBe('string');
    expect(enrolled.recordActions.map((a) => a.name)).toContain('resetSecondFactors');
    // Its password alone no longer signs the user in to the app.
    expect(
      (
        await fetch(`${api.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: user.email, password: user.password }),
        })
      ).status,
    ).toBe(403);

    // The page asks first, naming the account and what follows; a GET changes nothing.
    const page = await client.json<{ confirmation: { question: string; consequence: string } }>(
      `/cp/api/resources/User/records/${user.id}/resetSecondFactors`,
    );
    expect(page.confirmation.question).toBe(`Reset two-step sign-in for ${user.email}?`);
    expect(page.confirmation.consequence).toMatch(
      /removes its authenticator app and recovery codes and its 2 passkeys/,
    );
    expect(page.confirmation.consequence).toMatch(/e-mailed/);
    expect((await show()).params.twoStep).toBe(true);

    const done = await client.act('User', user.id, 'resetSecondFactors');
    expect(done.notice).toMatchObject({ type: 'success' });
    expect(done.notice.message).toMatch(/signs in with the password alone/);
    const [left] = await api.db.query<{ totp: number; codes: number; passkeys: number }[]>(
      `SELECT (SELECT count(*)::int FROM totp_factors WHERE user_id = $1) AS totp,
              (SELECT count(*)::int FROM recovery_codes WHERE user_id = $1) AS codes,
              (SELECT count(*)::int FROM passkeys WHERE user_id = $1) AS passkeys`,
      [user.id],
    );
    expect(left).toEqual({ totp: 0, codes: 0, passkeys: 0 });
    const [entry] = await api.db.query<{ actor_id: string; ip: string | null }[]>(
      `SELECT actor_id, ip FROM audit_log WHERE action = 'mfa_reset' AND target_id = $1`,
      [user.id],
    );
    expect(entry).toMatchObject({ actor_id: ops.id });
    expect(entry!.ip).toBeTruthy();
    const email = await waitForEmail(user.email, /two-step sign-in was reset/);
    expect(email.text).toMatch(/An operator removed the authenticator app/);

    const after = await show();
    expect(after.params).toMatchObject({ twoStep: false, passkeys: 0 });
    expect(after.recordActions.map((a) => a.name)).not.toContain('resetSecondFactors');
    expect((await login(api.url, user)).accessToken).toBeTruthy();
  });

  it('makes another operator set up an app again at their next sign-in', async () => {
    const [ops, bob] = [await operator(api), await operator(api)];
    const client = await signedIn(panel, ops);
    await client.act('User', bob.id, 'resetSecondFactors');
    const next = await new PanelClient(panel).password(bob.email, bob.password);
    expect(next.headers.get('location')).toBe('/cp/login/enrol');
  });
});
