import { DataSource } from 'typeorm';
import { bearer, login, refresh, refreshCookie, register, WEB_ORIGIN } from './support/accounts.js';
import { OperatorAccountService } from '../src/auth/operator-account.service.js';
import { useTestApp } from './support/app.js';

const api = useTestApp();
let db: DataSource;
beforeAll(() => {
  db = api.app.get(DataSource);
});

const me = (token: string) => fetch(`${api.url}/api/v1/users/me`, bearer(token));
const auditCount = async (action: string, targetId: string) =>
  Number(
    (
      await db.query<{ n: string }[]>(
        `SELECT count(*) AS n FROM audit_log WHERE action = $1 AND (target_id = $2 OR actor_id = $2)`,
        [action, targetId],
      )
    )[0]!.n,
  );

describe('POST /auth/refresh', () => {
  it('answers a new access token and rotates the cookie', async () => {
    const account = await register(api.url);
    const first = await login(api.url, account);
    const res = await refresh(api.url, first.refreshToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { accessToken: string; expiresIn: number };
    expect(body.expiresIn).toBe(900);
    expect((await me(body.accessToken)).status).toBe(200);
    const rotated = refreshCookie(res);
    expect(rotated).toBeDefined();
    expect(rotated).not.toBe(first.refreshToken);
  });

  it.each([
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['a look-alike Origin', { origin: 'http://localhost:3000.evil.example' }],
    ['no Origin at all', {}],
    ['a cross-site fetch', { origin: WEB_ORIGIN, 'sec-fetch-site': 'cross-site' }],
  ])('refuses %s with 403 and sets no cookie', async (_case, headers: Record<string, string>) => {
    const { refreshToken } = await login(api.url, await register(api.url));
    const res = await fetch(`${api.url}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { cookie: `refresh_token=${refreshToken}`, ...headers },
    });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie()).toEqual([]);
    // The refused request did not spend the token.
    expect((await refresh(api.url, refreshToken)).status).toBe(200);
  });

  it('refuses a form post from another site (415 before anything else)', async () => {
    const { refreshToken } = await login(api.url, await register(api.url));
    const res = await fetch(`${api.url}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: {
        cookie: `refresh_token=${refreshToken}`,
        origin: 'https://evil.example',
        'content-type': 'text/plain',
      },
      body: 'x',
    });
    expect(res.status).toBe(415);
  });

  it('answers 401 without a cookie', async () => {
    const res = await fetch(`${api.url}/api/v1/auth/refresh`, { method: 'POST', headers: { origin: WEB_ORIGIN } });
    expect(res.status).toBe(401);
  });

  it('revokes the whole family when a rotated token is replayed, grandparent included', async () => {
    const account = await register(api.url);
    const rt1 = (await login(api.url, account)).refreshToken;
    const r2 = await refresh(api.url, rt1);
    const rt2 = refreshCookie(r2)!;
    const access2 = ((await r2.json()) as { accessToken: string }).accessToken;
    const rt3 = refreshCookie(await refresh(api.url, rt2))!;

    const replay = await refresh(api.url, rt1);
    expect(replay.status).toBe(401);
    expect(replay.headers.getSetCookie().join()).toMatch(/refresh_token=;/); // told to drop it
    expect((await refresh(api.url, rt3)).status).toBe(401);
    expect((await me(access2)).status).toBe(401);
    expect(await auditCount('refresh_token_reuse', account.id)).toBe(1);
  });

  it('lets exactly one of 20 concurrent refreshes with one token succeed; the others end the session', async () => {
    const account = await register(api.url);
    const { refreshToken } = await login(api.url, account);
    const answers = await Promise.all(Array.from({ length: 20 }, () => refresh(api.url, refreshToken)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(19);
    // The losers presented a rotated token: the family is revoked, the winner's new token included.
    const winner = refreshCookie(answers[statuses.indexOf(200)]!);
    expect((await refresh(api.url, winner!)).status).toBe(401);
    expect(await auditCount('refresh_token_reuse', account.id)).toBeGreaterThanOrEqual(1);
  });

  it('slides 7 days per refresh but never past the 30-day absolute end', async () => {
    const account = await register(api.url);
    const { refreshToken } = await login(api.url, account);
    const live = async () =>
      (
        await db.query<{ expires_at: Date; family_expires_at: Date }[]>(
          `SELECT expires_at, family_expires_at FROM sessions WHERE user_id = $1 AND revoked_at IS NULL`,
          [account.id],
        )
      )[0]!;
    const days = (d: Date) => (d.getTime() - Date.now()) / 86_400_000;
    expect(days((await live()).expires_at)).toBeCloseTo(7, 1);
    expect(days((await live()).family_expires_at)).toBeCloseTo(30, 1);

    // The family is an hour from its absolute end: a refresh must not slide past it.
    await db.query(`UPDATE sessions SET family_expires_at = now() + interval '1 hour' WHERE user_id = $1`, [
      account.id,
    ]);
    const res = await refresh(api.url, refreshToken);
    expect(res.status).toBe(200);
    const capped = await live();
    expect(capped.expires_at.getTime()).toBe(capped.family_expires_at.getTime());

    // Once the absolute end has passed, refreshing is over.
    await db.query(`UPDATE sessions SET family_expires_at = now(), expires_at = now() WHERE user_id = $1`, [
      account.id,
    ]);
    expect((await refresh(api.url, refreshCookie(res)!)).status).toBe(401);
  });
});

describe('POST /auth/logout', () => {
  it('revokes the session server-side and clears the cookie', async () => {
    const { accessToken, refreshToken } = await login(api.url, await register(api.url));
    const res = await fetch(`${api.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { cookie: `refresh_token=${refreshToken}`, origin: WEB_ORIGIN },
    });
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie().join()).toMatch(/refresh_token=;.*Path=\/api\/v1\/auth/);
    expect((await refresh(api.url, refreshToken)).status).toBe(401);
    expect((await me(accessToken)).status).toBe(401);
  });

  it('refuses a cross-site logout', async () => {
    const { refreshToken } = await login(api.url, await register(api.url));
    const res = await fetch(`${api.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { cookie: `refresh_token=${refreshToken}`, origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect((await refresh(api.url, refreshToken)).status).toBe(200);
  });
});

describe('suspending an account', () => {
  it('refuses its access token on the very next request, its refresh and its login', async () => {
    const account = await register(api.url);
    const { accessToken, refreshToken } = await login(api.url, account);
    expect((await me(accessToken)).status).toBe(200);

    await api.app.get(OperatorAccountService).suspend(null, account.id, { reason: 'Spam' }); // as the control panel suspends

    expect((await me(accessToken)).status).toBe(401);
    expect((await refresh(api.url, refreshToken)).status).toBe(401);
    await expect(login(api.url, account)).rejects.toThrow(/403/);
    expect(await auditCount('user_suspended', account.id)).toBe(1);
    const live = await db.query<unknown[]>(`SELECT 1 FROM sessions WHERE user_id = $1 AND revoked_at IS NULL`, [
      account.id,
    ]);
    expect(live).toHaveLength(0);
  });
});

describe('/users/me/sessions', () => {
  it('lists live sessions with device, IP, times and which one is current', async () => {
    const account = await register(api.url);
    const phone = await fetch(`${api.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Mozilla/5.0 (Linux; Android 15) AppleWebKit/537.36 Chrome/140.0 Mobile Safari/537.36',
      },
      body: JSON.stringify({ email: account.email, password: account.password }),
    });
    expect(phone.status).toBe(200);
    const { accessToken } = await login(api.url, account);

    const res = await fetch(`${api.url}/api/v1/users/me/sessions`, bearer(accessToken));
    expect(res.status).toBe(200);
    const sessions = (await res.json()) as Record<string, unknown>[];
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    expect(sessions).toContainEqual(
      expect.objectContaining({
        device: 'Chrome on Android',
        ip: '127.0.0.1',
        current: false,
        createdAt: expect.any(String),
      }),
    );
  });

  it('ends one session, or all but the current one', async () => {
    const account = await register(api.url);
    const a = await login(api.url, account);
    const b = await login(api.url, account);
    const c = await login(api.url, account);
    const list = (await (await fetch(`${api.url}/api/v1/users/me/sessions`, bearer(c.accessToken))).json()) as {
      id: string;
      current: boolean;
    }[];
    const [sessionA] = await db.query<{ family_id: string }[]>(
      `SELECT family_id FROM sessions WHERE user_id = $1 ORDER BY created_at LIMIT 1`,
      [account.id],
    );
    expect(list.map((s) => s.id)).toContain(sessionA!.family_id);

    const del = await fetch(
      `${api.url}/api/v1/users/me/sessions/${sessionA!.family_id}`,
      bearer(c.accessToken, { method: 'DELETE' }),
    );
    expect(del.status).toBe(204);
    expect((await me(a.accessToken)).status).toBe(401);
    expect((await me(b.accessToken)).status).toBe(200);

    const others = await fetch(`${api.url}/api/v1/users/me/sessions`, bearer(c.accessToken, { method: 'DELETE' }));
    expect(others.status).toBe(204);
    expect((await me(b.accessToken)).status).toBe(401);
    expect((await me(c.accessToken)).status).toBe(200);
  });

  it('answers 400 for a malformed id and 404 for a session that is not yours', async () => {
    const mine = await login(api.url, await register(api.url));
    const theirs = await register(api.url);
    await login(api.url, theirs);
    const [other] = await db.query<{ family_id: string }[]>(`SELECT family_id FROM sessions WHERE user_id = $1`, [
      theirs.id,
    ]);
    const base = `${api.url}/api/v1/users/me/sessions`;
    expect((await fetch(`${base}/not-a-uuid`, bearer(mine.accessToken, { method: 'DELETE' }))).status).toBe(400);
    expect((await fetch(`${base}/${other!.family_id}`, bearer(mine.accessToken, { method: 'DELETE' }))).status).toBe(
      404,
    );
  });
});
