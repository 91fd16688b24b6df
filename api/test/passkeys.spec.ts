import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { OperatorAccountService } from '../src/auth/operator-account.service.js';
import { type Account, bearer, deviceCookie, json, login, refreshCookie, register } from './support/accounts.js';
import { useTestApp, withTestApp } from './support/app.js';
import { FLAGS, SoftAuthenticator } from './support/authenticator.js';
import { emailsTo, waitForEmail } from './support/mail.js';
import { stepUp } from './support/totp.js';

const api = useTestApp();

const CHROME_ON_LINUX =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';
const SIGN_IN_REFUSED = 'This passkey could not sign you in.';

interface Options<T> {
  readonly challengeId: string;
  readonly options: T;
}
type CreationOptions = Options<PublicKeyCredentialCreationOptionsJSON>;
type RequestOptions = Options<PublicKeyCredentialRequestOptionsJSON>;

interface PasskeyBody {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly backedUp: boolean;
  readonly deviceType: string | null;
}

/** POST a JSON body, as the signed-in user when a token is given, from Chrome on Linux. */
function post(path: string, body: unknown, token?: string, base = api.url): Promise<Response> {
  const init = json(body, { 'user-agent': CHROME_ON_LINUX });
  return fetch(`${base}/api/v1${path}`, token ? bearer(token, init) : init);
}

function call(method: string, path: string, token: string, body?: unknown): Promise<Response> {
  return fetch(
    `${api.url}/api/v1${path}`,
    bearer(token, {
      method,
      headers: { 'user-agent': CHROME_ON_LINUX, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
}

async function ok<T>(res: Response, status = 200): Promise<T> {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

interface Member {
  readonly account: Account;
  readonly token: string;
}

/** A signed-in account that has just confirmed it is them with its password (step-up). */
async function member(): Promise<Member> {
  const account = await register(api.url);
  const { accessToken } = await login(api.url, account);
  await stepUp(api.url, accessToken, { password: account.password });
  return { account, token: accessToken };
}

async function registrationOptions(token: string): Promise<CreationOptions> {
  return ok<CreationOptions>(await post('/users/me/passkeys/options', {}, token));
}

/** Registers a passkey the way the settings page does; answers the authenticator and the passkey. */
async function addPasskey(
  token: string,
  authenticator = new SoftAuthenticator(),
  name?: string,
): Promise<{ authenticator: SoftAuthenticator; passkey: PasskeyBody }> {
  const { challengeId, options } = await registrationOptions(token);
  const res = await post(
    '/users/me/passkeys',
    { challengeId, credential: authenticator.create(options), ...(name === undefined ? {} : { name }) },
    token,
  );
  return { authenticator, passkey: await ok<PasskeyBody>(res, 201) };
}

async function signInOptions(base = api.url): Promise<RequestOptions> {
  return ok<RequestOptions>(await post('/auth/passkey/options', {}, undefined, base));
}

/** The sign-in page's passkey button: options, the authenticator's answer, the sign-in. */
async function passkeySignIn(
  authenticator: SoftAuthenticator,
  bend: Parameters<SoftAuthenticator['get']>[1] = {},
): Promise<Response> {
  const { challengeId, options } = await signInOptions();
  return post('/auth/passkey', { challengeId, credential: authenticator.get(options, bend) });
}

async function auditOf(userId: string, action: string): Promise<Record<string, unknown>[]> {
  const rows = await api.db.query<{ data: Record<string, unknown> }[]>(
    `SELECT data FROM audit_log WHERE action = $1 AND (target_id = $2 OR actor_id = $2) ORDER BY created_at, id`,
    [action, userId],
  );
  return rows.map((row) => row.data);
}

/** Makes the caller's session's proof of presence older than the step-up window. */
async function forgetProof(userId: string): Promise<void> {
  await api.db.query(`UPDATE sessions SET proven_at = now() - interval '11 minutes' WHERE user_id = $1`, [userId]);
}

async function problemOf(res: Response): Promise<Record<string, unknown>> {
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await res.json()) as Record<string, unknown>;
}

describe('passkeys: registration', () => {
  it('asks for a discoverable, user-verifying passkey of this site, excluding those the account has', async () => {
    const { account, token } = await member();
    const first = await registrationOptions(token);
    expect(first.challengeId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.options).toMatchObject({
      rp: { id: 'localhost', name: 'nuell' },
      user: { name: account.email, displayName: account.displayName },
      attestation: 'none',
      timeout: 300_000,
      excludeCredentials: [],
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    });
    // The user handle says nothing about the person: the account's id, not its address.
    expect(Buffer.from(first.options.user.id, 'base64url').toString('hex')).toBe(account.id.replaceAll('-', ''));
    expect(first.options.pubKeyCredParams).toContainEqual({ alg: -7, type: 'public-key' });

    const { authenticator } = await addPasskey(token);
    const second = await registrationOptions(token);
    expect(second.options.challenge).not.toBe(first.options.challenge);
    expect(second.options.excludeCredentials).toEqual([
      { id: authenticator.id, type: 'public-key', transports: ['internal', 'hybrid'] },
    ]);
  });

  it('keeps the passkey, named after the browser unless named, audits it and e-mails the owner', async () => {
    const { account, token } = await member();
    const { passkey } = await addPasskey(token);
    expect(passkey).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Chrome on Linux',
      createdAt: expect.any(String),
      lastUsedAt: null,
      backedUp: false,
      deviceType: 'singleDevice',
    });
    // A second one from the same browser gets a name of its own; a given name is kept.
    expect((await addPasskey(token)).passkey.name).toBe('Chrome on Linux 2');
    expect((await addPasskey(token, new SoftAuthenticator(), '  Work laptop ')).passkey.name).toBe('Work laptop');

    const [row] = await api.db.query<{ counter: string; transports: string; public_key: Buffer }[]>(
      `SELECT counter, transports, public_key FROM passkeys WHERE id = $1`,
      [passkey.id],
    );
    expect(row).toEqual({ counter: '0', transports: 'internal,hybrid', public_key: expect.any(Buffer) });

    expect(await auditOf(account.id, 'passkey_added')).toEqual([
      expect.objectContaining({ passkey: passkey.id, name: 'Chrome on Linux' }),
      expect.objectContaining({ name: 'Chrome on Linux 2' }),
      expect.objectContaining({ name: 'Work laptop' }),
    ]);
    await waitForEmail(account.email, /sign-in method was added/, 3);
    // The queue sends in any order: one e-mail per passkey, each naming it.
    const added = (await emailsTo(account.email)).filter((e) => /sign-in method was added/.test(e.subject));
    expect(added.map((e) => /You added the passkey “(.*?)” to your account/.exec(e.text)?.[1]).sort()).toEqual([
      'Chrome on Linux',
      'Chrome on Linux 2',
      'Work laptop',
    ]);
    for (const email of added) expect(email.text).toContain('http://localhost:3000/settings#security');
  });

  it('needs a recent proof of presence to start (403 step-up-required)', async () => {
    const { account, token } = await member();
    await forgetProof(account.id);
    const res = await post('/users/me/passkeys/options', {}, token);
    expect(res.status).toBe(403);
    expect(await problemOf(res)).toMatchObject({ type: 'https://nuell.dev/problems/step-up-required' });
    expect(await api.db.query(`SELECT 1 FROM webauthn_challenges WHERE user_id = $1`, [account.id])).toEqual([]);
  });

  it("refuses an answer for another site, another request, another account's challenge, or without user verification", async () => {
    const { account, token } = await member();
    const other = await member();
    const cases: [string, (options: CreationOptions) => Promise<Response>][] = [
      [
        'origin',
        ({ challengeId, options }) =>
          post(
            '/users/me/passkeys',
            { challengeId, credential: new SoftAuthenticator('https://evil.example').create(options) },
            token,
          ),
      ],
      [
        'rp id',
        ({ challengeId, options }) =>
          post(
            '/users/me/passkeys',
            { challengeId, credential: new SoftAuthenticator().create(options, { rpId: 'evil.example' }) },
            token,
          ),
      ],
      [
        'challenge',
        ({ challengeId, options }) =>
          post(
            '/users/me/passkeys',
            { challengeId, credential: new SoftAuthenticator().create(options, { challenge: 'AAAA' }) },
            token,
          ),
      ],
      [
        'type',
        ({ challengeId, options }) =>
          post(
            '/users/me/passkeys',
            { challengeId, credential: new SoftAuthenticator().create(options, { type: 'webauthn.get' }) },
            token,
          ),
      ],
      [
        'no user verification',
        ({ challengeId, options }) =>
          post(
            '/users/me/passkeys',
            { challengeId, credential: new SoftAuthenticator().create(options, { flags: FLAGS.UP | FLAGS.AT }) },
            token,
          ),
      ],
    ];
    for (const [name, answer] of cases) {
      const res = await answer(await registrationOptions(token));
      expect([name, res.status]).toEqual([name, 400]);
      expect((await problemOf(res)).errors).toEqual([
        expect.objectContaining({ field: 'credential', detail: expect.stringMatching(/could not be added/) }),
      ]);
    }
    // A challenge is the account's own: another account's, answered correctly, is no good.
    const theirs = await registrationOptions(other.token);
    const res = await post(
      '/users/me/passkeys',
      { challengeId: theirs.challengeId, credential: new SoftAuthenticator().create(theirs.options) },
      token,
    );
    expect(res.status).toBe(400);
    expect((await problemOf(res)).errors).toEqual([expect.objectContaining({ field: 'challengeId' })]);
    expect(await api.db.query(`SELECT 1 FROM passkeys WHERE user_id = $1`, [account.id])).toEqual([]);
  });

  it('takes each challenge once', async () => {
    const { token } = await member();
    const { challengeId, options } = await registrationOptions(token);
    expect(
      (await post('/users/me/passkeys', { challengeId, credential: new SoftAuthenticator().create(options) }, token))
        .status,
    ).toBe(201);
    const again = await post(
      '/users/me/passkeys',
      { challengeId, credential: new SoftAuthenticator().create(options) },
      token,
    );
    expect(again.status).toBe(400);
    expect((await problemOf(again)).errors).toEqual([
      expect.objectContaining({
        field: 'challengeId',
        detail: expect.stringMatching(/expired or was already answered/),
      }),
    ]);
  });

  it('answers 400 naming the field for a body that is not a browser answer, never 500', async () => {
    const { token } = await member();
    const { challengeId, options } = await registrationOptions(token);
    const good = new SoftAuthenticator().create(options);
    const bodies: [unknown, string][] = [
      [{ challengeId }, 'credential'],
      [{ challengeId, credential: 'a string' }, 'credential'],
      [{ challengeId, credential: { ...good, id: 'not base64url!' } }, 'credential'],
      [{ challengeId, credential: { ...good, type: 'password' } }, 'credential'],
      [
        { challengeId, credential: { ...good, response: { clientDataJSON: good.response.clientDataJSON } } },
        'credential',
      ],
      [{ challengeId, credential: { ...good, response: { ...good.response, transports: [1] } } }, 'credential'],
      [{ challengeId: 'not-a-uuid', credential: good }, 'challengeId'],
      [{ challengeId, credential: good, name: 'x'.repeat(81) }, 'name'],
      [{ challengeId, credential: good, name: '   ' }, 'name'],
      [{ challengeId, credential: good, extra: true }, 'extra'],
    ];
    for (const [body, field] of bodies) {
      const res = await post('/users/me/passkeys', body, token);
      expect([field, res.status]).toEqual([field, 400]);
      expect((await problemOf(res)).errors).toEqual([expect.objectContaining({ field })]);
    }
    // Well formed but nonsense: the attestation object is no CBOR at all.
    const nonsense = await post(
      '/users/me/passkeys',
      { challengeId, credential: { ...good, response: { ...good.response, attestationObject: 'AAAA' } } },
      token,
    );
    expect(nonsense.status).toBe(400);
    expect((await problemOf(nonsense)).errors).toEqual([expect.objectContaining({ field: 'credential' })]);
  });

  it('refuses an answer whose signed credential id is not the one it names (an id too long to store, 400 not 500)', async () => {
    const { token } = await member();
    const { challengeId, options } = await registrationOptions(token);
    // 800 bytes in the signed data (1,067 base64url characters, over the 1,024 kept) and a short id outside it.
    const answer = new SoftAuthenticator(undefined, undefined, Buffer.alloc(800, 7)).create(options);
    const short = new SoftAuthenticator().id;
    const res = await post(
      '/users/me/passkeys',
      { challengeId, credential: { ...answer, id: short, rawId: short } },
      token,
    );
    expect(res.status).toBe(400);
    expect((await problemOf(res)).errors).toEqual([expect.objectContaining({ field: 'credential' })]);
  });
});

describe('passkeys: sign-in', () => {
  it('signs in with a registered passkey: an access token for /users/me, the cookies, a login audited as by passkey', async () => {
    const { account, token } = await member();
    const { authenticator, passkey } = await addPasskey(token);

    const options = await signInOptions();
    expect(options.options).toMatchObject({ rpId: 'localhost', userVerification: 'required', timeout: 300_000 });
    // Discoverable credentials: the browser offers whichever passkey of this site it holds.
    expect(options.options.allowCredentials ?? []).toEqual([]);

    const res = await post('/auth/passkey', {
      challengeId: options.challengeId,
      credential: authenticator.get(options.options),
    });
    const body = await ok<{ accessToken: string; expiresIn: number; user: { id: string } }>(res);
    expect(body).toEqual({
      accessToken: expect.any(String),
      expiresIn: 900,
      user: expect.objectContaining({ id: account.id }),
    });
    expect(refreshCookie(res)).toBeDefined();
    expect(deviceCookie(res)).toBeDefined();
    const me = await fetch(`${api.url}/api/v1/users/me`, bearer(body.accessToken));
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: account.id, email: account.email });

    expect(await auditOf(account.id, 'login')).toContainEqual(expect.objectContaining({ method: 'passkey' }));
    const [row] = await api.db.query<{ counter: string; last_used_at: Date | null }[]>(
      `SELECT counter, last_used_at FROM passkeys WHERE id = $1`,
      [passkey.id],
    );
    expect(row).toEqual({ counter: '1', last_used_at: expect.any(Date) });
    const listed = await ok<PasskeyBody[]>(await call('GET', '/users/me/passkeys', token));
    expect(listed[0]?.lastUsedAt).toEqual(expect.any(String));
  });

  it('takes each sign-in challenge once, and not after it expired', async () => {
    const { token } = await member();
    const { authenticator } = await addPasskey(token);
    const { challengeId, options } = await signInOptions();
    expect((await post('/auth/passkey', { challengeId, credential: authenticator.get(options) })).status).toBe(200);
    const replay = await post('/auth/passkey', { challengeId, credential: authenticator.get(options) });
    expect(replay.status).toBe(401);
    expect((await problemOf(replay)).detail).toMatch(/expired or was already used/);

    const late = await signInOptions();
    await api.db.query(`UPDATE webauthn_challenges SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      late.challengeId,
    ]);
    const expired = await post('/auth/passkey', {
      challengeId: late.challengeId,
      credential: authenticator.get(late.options),
    });
    expect(expired.status).toBe(401);
    // A challenge of another ceremony is no sign-in challenge either.
    const registration = await registrationOptions(token);
    const crossed = await post('/auth/passkey', {
      challengeId: registration.challengeId,
      credential: authenticator.get({ challenge: registration.options.challenge, rpId: 'localhost' }),
    });
    expect(crossed.status).toBe(401);
  });

  it('refuses an answer from another origin or for another RP ID, unsigned by the passkey, or without user verification', async () => {
    const { account, token } = await member();
    const { authenticator } = await addPasskey(token);
    const refusals = [
      await passkeySignIn(authenticator, { origin: 'https://evil.example' }),
      await passkeySignIn(authenticator, { origin: 'http://localhost:3001' }),
      await passkeySignIn(authenticator, { rpId: 'evil.example' }),
      await passkeySignIn(authenticator.impostor()),
      await passkeySignIn(authenticator, { flags: FLAGS.UP }),
      await passkeySignIn(authenticator, { challenge: 'bm90IHRoZSBjaGFsbGVuZ2U' }),
    ];
    for (const res of refusals) {
      expect(res.status).toBe(401);
      expect(res.headers.getSetCookie()).toEqual([]);
      expect(await problemOf(res)).toMatchObject({ status: 401, detail: SIGN_IN_REFUSED });
    }
    expect(await auditOf(account.id, 'passkey_login_failed')).toEqual(
      Array.from({ length: refusals.length }, () => expect.objectContaining({ reason: 'verification' })),
    );
    // The passkey itself still works.
    expect((await passkeySignIn(authenticator)).status).toBe(200);
  });

  it('refuses a counter that did not move on (a cloned authenticator), and lets one that keeps none through', async () => {
    const { account, token } = await member();
    const { authenticator, passkey } = await addPasskey(token);
    expect((await passkeySignIn(authenticator)).status).toBe(200); // counter 1
    expect((await passkeySignIn(authenticator)).status).toBe(200); // counter 2
    for (const counter of [1, 2, 0]) {
      const res = await passkeySignIn(authenticator, { counter });
      expect([counter, res.status]).toEqual([counter, 401]);
    }
    expect(await auditOf(account.id, 'passkey_login_failed')).toEqual([
      expect.objectContaining({ reason: 'counter_went_back', passkey: passkey.id, stored: 2, received: 1 }),
      expect.objectContaining({ reason: 'counter_went_back', stored: 2, received: 2 }),
      expect.objectContaining({ reason: 'counter_went_back', stored: 2, received: 0 }),
    ]);
    expect((await passkeySignIn(authenticator)).status).toBe(200); // counter 3

    const synced = (await addPasskey(token, Object.assign(new SoftAuthenticator(), { counts: false }))).authenticator;
    expect((await passkeySignIn(synced)).status).toBe(200);
    expect((await passkeySignIn(synced)).status).toBe(200);
  });

  it('refuses a passkey the site does not know, or one that was removed, saying so', async () => {
    const { account, token } = await member();
    const stranger = await passkeySignIn(new SoftAuthenticator());
    expect(stranger.status).toBe(401);
    expect((await problemOf(stranger)).detail).toMatch(/not registered here, or it was removed/);

    const { authenticator, passkey } = await addPasskey(token);
    expect((await call('DELETE', `/users/me/passkeys/${passkey.id}`, token)).status).toBe(204);
    const removed = await passkeySignIn(authenticator);
    expect(removed.status).toBe(401);
    expect((await problemOf(removed)).detail).toMatch(/not registered here, or it was removed/);
    expect(await auditOf(account.id, 'passkey_login_failed')).toEqual([]); // no account to pin it on
    const [failure] = await api.db.query<{ data: Record<string, unknown> }[]>(
      `SELECT data FROM audit_log WHERE action = 'passkey_login_failed' AND data->>'credentialId' = $1`,
      [authenticator.id],
    );
    expect(failure?.data).toMatchObject({ reason: 'unknown_passkey' });
  });

  it("answers a suspended account's passkey 403 account-suspended, as a right password", async () => {
    const { account, token } = await member();
    const { authenticator } = await addPasskey(token);
    await api.app.get(OperatorAccountService).suspend(null, account.id, { reason: 'Spam', message: 'Write to us.' });
    const res = await passkeySignIn(authenticator);
    expect(res.status).toBe(403);
    expect(await problemOf(res)).toMatchObject({
      type: 'https://nuell.dev/problems/account-suspended',
      message: 'Write to us.',
      until: null,
    });
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await auditOf(account.id, 'passkey_login_failed')).toEqual([
      expect.objectContaining({ reason: 'inactive' }),
    ]);
  });

  it('answers 400 for a body that is not a browser answer, and 401 for one that is well formed nonsense', async () => {
    const { challengeId, options } = await signInOptions();
    const good = new SoftAuthenticator().get(options);
    const bodies: [unknown, string[], RegExp][] = [
      [{}, ['challengeId', 'credential'], /./],
      [{ challengeId, credential: [] }, ['credential'], /the object the browser answered/],
      [
        { challengeId, credential: { ...good, response: { ...good.response, signature: 42 } } },
        ['credential'],
        /credential\.response\.signature must be a base64url string/,
      ],
      [
        { challengeId, credential: { ...good, response: { ...good.response, userHandle: {} } } },
        ['credential'],
        /userHandle must be a string/,
      ],
      [{ challengeId, credential: { ...good, id: 'x'.repeat(1025) } }, ['credential'], /at most 1024/],
      [{ challengeId: 42, credential: good }, ['challengeId'], /UUID/],
    ];
    for (const [body, fields, detail] of bodies) {
      const res = await post('/auth/passkey', body);
      expect([body, res.status]).toEqual([body, 400]);
      const { errors } = (await problemOf(res)) as { errors: { field: string; detail: string }[] };
      expect(errors.map((e) => e.field)).toEqual(fields);
      expect(errors.at(-1)?.detail).toMatch(detail);
    }
    const { token } = await member();
    const { authenticator } = await addPasskey(token);
    const fresh = await signInOptions();
    const real = authenticator.get(fresh.options);
    const res = await post('/auth/passkey', {
      challengeId: fresh.challengeId,
      credential: { ...real, response: { ...real.response, authenticatorData: 'AAAA', clientDataJSON: 'AAAA' } },
    });
    expect(res.status).toBe(401);
  });

  it('limits the sign-in options per address', async () => {
    await withTestApp({ env: { RATE_LIMIT_PASSKEY_OPTIONS: '2/1m' } }, async (limited) => {
      expect((await post('/auth/passkey/options', {}, undefined, limited.url)).status).toBe(200);
      expect((await post('/auth/passkey/options', {}, undefined, limited.url)).status).toBe(200);
      const refused = await post('/auth/passkey/options', {}, undefined, limited.url);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    });
  });

  it('clears expired challenges away as new ones are made', async () => {
    const stale = await signInOptions();
    await api.db.query(`UPDATE webauthn_challenges SET expires_at = now() - interval '1 minute' WHERE id = $1`, [
      stale.challengeId,
    ]);
    await signInOptions();
    expect(await api.db.query(`SELECT 1 FROM webauthn_challenges WHERE id = $1`, [stale.challengeId])).toEqual([]);
  });
});

describe('passkeys: list, rename, remove', () => {
  it("lists the account's own passkeys, oldest first", async () => {
    const { token } = await member();
    const other = await member();
    await addPasskey(other.token, new SoftAuthenticator(), 'Theirs');
    expect(await ok(await call('GET', '/users/me/passkeys', token))).toEqual([]);
    const a = (await addPasskey(token, new SoftAuthenticator(), 'Phone')).passkey;
    const b = (await addPasskey(token, new SoftAuthenticator(), 'Laptop')).passkey;
    expect(await ok(await call('GET', '/users/me/passkeys', token))).toEqual([a, b]);
  });

  it('renames without a step-up, audited; not anyone else’s', async () => {
    const { account, token } = await member();
    const other = await member();
    const { passkey } = await addPasskey(token);
    const theirs = (await addPasskey(other.token)).passkey;
    await forgetProof(account.id);
    const renamed = await ok<PasskeyBody>(
      await call('PATCH', `/users/me/passkeys/${passkey.id}`, token, { name: ' Desk key ' }),
    );
    expect(renamed).toEqual({ ...passkey, name: 'Desk key' });
    expect(await auditOf(account.id, 'passkey_renamed')).toEqual([
      expect.objectContaining({ passkey: passkey.id, from: 'Chrome on Linux', to: 'Desk key' }),
    ]);
    expect((await call('PATCH', `/users/me/passkeys/${theirs.id}`, token, { name: 'Mine now' })).status).toBe(404);
    expect((await call('PATCH', `/users/me/passkeys/not-a-uuid`, token, { name: 'x' })).status).toBe(400);
    expect((await call('PATCH', `/users/me/passkeys/${passkey.id}`, token, { name: 'a\u0007b' })).status).toBe(400);
    expect((await call('PATCH', `/users/me/passkeys/${passkey.id}`, token, {})).status).toBe(400);
  });

  it('removes with a recent step-up only, audited and e-mailed; not anyone else’s', async () => {
    const { account, token } = await member();
    const other = await member();
    const { passkey } = await addPasskey(token, new SoftAuthenticator(), 'Old phone');
    const theirs = (await addPasskey(other.token)).passkey;
    expect((await call('DELETE', `/users/me/passkeys/${theirs.id}`, token)).status).toBe(404);

    await forgetProof(account.id);
    const refused = await call('DELETE', `/users/me/passkeys/${passkey.id}`, token);
    expect(refused.status).toBe(403);
    expect(await problemOf(refused)).toMatchObject({ type: 'https://nuell.dev/problems/step-up-required' });
    expect(await ok(await call('GET', '/users/me/passkeys', token))).toHaveLength(1);

    await api.db.query(`UPDATE sessions SET proven_at = now() WHERE user_id = $1`, [account.id]);
    expect((await call('DELETE', `/users/me/passkeys/${passkey.id}`, token)).status).toBe(204);
    expect(await ok(await call('GET', '/users/me/passkeys', token))).toEqual([]);
    expect((await call('DELETE', `/users/me/passkeys/${passkey.id}`, token)).status).toBe(404);
    expect(await auditOf(account.id, 'passkey_removed')).toEqual([
      expect.objectContaining({ passkey: passkey.id, name: 'Old phone' }),
    ]);
    const email = await waitForEmail(account.email, /sign-in method was removed/);
    expect(email.text).toContain('The passkey “Old phone” was removed from your account');
    expect(email.text).toContain('http://localhost:3000/settings#security');
    expect((await emailsTo(other.account.email)).filter((e) => /removed/.test(e.subject))).toEqual([]);
  });
});

describe('passkeys: step-up', () => {
  async function stepUpOptions(token: string): Promise<RequestOptions> {
    return ok<RequestOptions>(await post('/users/me/step-up/passkey/options', {}, token));
  }

  it('proves presence with a passkey of the account, after which the guarded routes let it through', async () => {
    const { account, token } = await member();
    const { authenticator, passkey } = await addPasskey(token);
    await forgetProof(account.id);
    expect((await post('/users/me/passkeys/options', {}, token)).status).toBe(403);

    const { challengeId, options } = await stepUpOptions(token);
    expect(options).toMatchObject({
      rpId: 'localhost',
      userVerification: 'required',
      allowCredentials: [{ id: authenticator.id, type: 'public-key', transports: ['internal', 'hybrid'] }],
    });
    const before = Date.now();
    const { until } = await ok<{ until: string }>(
      await post('/users/me/step-up/passkey', { challengeId, credential: authenticator.get(options) }, token),
    );
    // Ten minutes from now (the database's clock, give or take).
    expect(Date.parse(until) - before).toBeGreaterThan(9 * 60_000);
    expect(Date.parse(until) - before).toBeLessThan(11 * 60_000);
    expect((await post('/users/me/passkeys/options', {}, token)).status).toBe(200);
    // The first is member()'s, with the password.
    expect(await auditOf(account.id, 'step_up')).toEqual([
      expect.objectContaining({ method: 'password' }),
      expect.objectContaining({ method: 'passkey', passkey: passkey.id }),
    ]);
  });

  it("refuses another account's passkey, a used challenge and a bad signature, audited as failed step-ups", async () => {
    const { account, token } = await member();
    const other = await member();
    const mine = (await addPasskey(token)).authenticator;
    const theirs = (await addPasskey(other.token)).authenticator;
    await forgetProof(account.id);

    const first = await stepUpOptions(token);
    const wrongAccount = await post(
      '/users/me/step-up/passkey',
      { challengeId: first.challengeId, credential: theirs.get({ ...first.options, allowCredentials: [] }) },
      token,
    );
    expect(wrongAccount.status).toBe(400);
    expect((await problemOf(wrongAccount)).errors).toEqual([expect.objectContaining({ field: 'credential' })]);
    const reused = await post(
      '/users/me/step-up/passkey',
      { challengeId: first.challengeId, credential: mine.get(first.options) },
      token,
    );
    expect(reused.status).toBe(400);
    expect((await problemOf(reused)).errors).toEqual([expect.objectContaining({ field: 'challengeId' })]);

    const second = await stepUpOptions(token);
    const forged = await post(
      '/users/me/step-up/passkey',
      { challengeId: second.challengeId, credential: mine.impostor().get(second.options) },
      token,
    );
    expect(forged.status).toBe(400);
    // Another account's step-up challenge is not this one's.
    const foreign = await stepUpOptions(other.token);
    const crossed = await post(
      '/users/me/step-up/passkey',
      { challengeId: foreign.challengeId, credential: mine.get(foreign.options) },
      token,
    );
    expect(crossed.status).toBe(400);

    expect((await post('/users/me/passkeys/options', {}, token)).status).toBe(403);
    expect((await auditOf(account.id, 'step_up')).filter((d) => d.method === 'passkey')).toEqual([]);
    expect((await auditOf(account.id, 'step_up_failed')).map((d) => [d.method, d.reason])).toEqual([
      ['passkey', 'other_account'],
      ['passkey', 'challenge'],
      ['passkey', 'verification'],
      ['passkey', 'challenge'],
    ]);
  });

  it('answers 409 to an account without passkeys', async () => {
    const { token } = await member();
    const res = await post('/users/me/step-up/passkey/options', {}, token);
    expect(res.status).toBe(409);
    expect((await problemOf(res)).detail).toMatch(/no passkey/);
  });

  it('is needed after a passkey sign-in too: signing in is no proof of presence', async () => {
    const { authenticator } = await addPasskey((await member()).token);
    const { accessToken } = await ok<{ accessToken: string }>(await passkeySignIn(authenticator));
    expect((await post('/users/me/passkeys/options', {}, accessToken)).status).toBe(403);
    const { challengeId, options } = await stepUpOptions(accessToken);
    await ok(
      await post('/users/me/step-up/passkey', { challengeId, credential: authenticator.get(options) }, accessToken),
    );
    expect((await post('/users/me/passkeys/options', {}, accessToken)).status).toBe(200);
  });
});
