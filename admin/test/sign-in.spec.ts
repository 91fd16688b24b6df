/**
 * Operators only, and safely: who may sign in, the sign-in limits, the session cookie, the
 * cross-site refusal, sessions that end when the account stops being an operator, and the sign-in
 * form: the address kept after a refusal, and deep links that survive sign-in.
 */
import { bearer, json, login, register, verify } from '../../api/test/support/accounts.js';
import { linkIn, waitForEmail } from '../../api/test/support/mail.js';
import { operator, operatorLogin, PanelClient, signedIn, startPanel, usePanelAndApi } from './support/panel.js';

const { panel, api } = usePanelAndApi();

/** The login page without its per-answer nonce and the address typed (kept in the form), to compare answers. */
const page = async (response: Response) =>
  (await response.text()).replace(/nonce="[^"]+"/g, 'nonce=""').replace(/"email":"[^"]*"/g, '"email":""');

/** The state AdminJS renders the sign-in page with (`window.__APP_STATE__`), as the page reads it. */
function loginState(html: string): { action?: string; errorMessage?: string; email?: string; next?: string } {
  const quoted = /window\.__APP_STATE__ = JSON\.parse\('([^']*)'\);/.exec(html)?.[1];
  if (quoted === undefined) throw new Error('no sign-in state in the page');
  // The page's own JSON.parse of a JS string literal: what the server wrote needs no unescaping.
  expect(quoted).not.toMatch(/[\\<>]/);
  const state = JSON.parse(quoted) as Record<string, string>;
  return {
    ...state,
    ...(state.email ? { email: decodeURIComponent(state.email) } : {}),
    ...(state.next ? { next: decodeURIComponent(state.next) } : {}),
  };
}

/**
 * Signs in at `action` (the page's form action, with its `next`): the password, then the code of
 * the account's app; the last answer is not followed.
 */
async function signInAt(client: PanelClient, action: string, email: string, password: string): Promise<Response> {
  return client.completeSignIn(await client.password(email, password, {}, action), email);
}

describe('operator sign-in', () => {
  it('lets an active admin in, with a fresh session cookie scoped to /cp', async () => {
    const ada = await operator(api);
    const client = new PanelClient(panel);
    const response = await client.signIn(ada.email, ada.password);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/cp');

    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('nuell_panel='))!;
    expect(cookie).toMatch(/; Path=\/cp(;|$)/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).not.toMatch(/; Secure/); // plain http on localhost
    expect(cookie).not.toMatch(/Domain=/i);
    const expires = Date.parse(/Expires=([^;]+)/.exec(cookie)![1]!);
    expect(Math.round((expires - Date.now()) / 60_000)).toBe(30); // idle timeout

    expect((await client.get('/cp')).status).toBe(200);
    const [entry] = await api.db.query(`SELECT ip FROM audit_log WHERE action = 'panel_login' AND actor_id = $1`, [
      ada.id,
    ]);
    expect(entry.ip).toBeTruthy();
  });

  it('refuses a user, a suspended admin, a wrong password and an unknown e-mail alike, and audits each', async () => {
    const [user, banned, ada] = [await register(api.url), await operator(api), await operator(api)];
    await api.db.query('UPDATE users SET is_active = false WHERE id = $1', [banned.id]);
    const answers = await Promise.all(
      [
        [user.email, user.password],
        [banned.email, banned.password],
        [ada.email, 'Wrong-Horse-Battery-9'],
        ['nobody-here@example.test', 'Correct-Horse-Battery-9'],
      ].map(async ([email, password]) => {
        const response = await new PanelClient(panel).signIn(email!, password!);
        return { status: response.status, cookie: response.headers.getSetCookie().join(), body: await page(response) };
      }),
    );
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([401]));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(answers.every((a) => !a.cookie.includes('nuell_panel='))).toBe(true);
    expect(answers[0]!.body).toContain('invalidCredentials');

    const reasons = await api.db.query<{ reason: string }[]>(
      `SELECT data->>'reason' AS reason FROM audit_log
        WHERE action = 'panel_login_failed' AND data->>'email' = ANY($1) ORDER BY created_at`,
      [[user.email, banned.email, ada.email, 'nobody-here@example.test']],
    );
    expect(reasons.map((r) => r.reason).sort()).toEqual(
      ['inactive', 'not_admin', 'unknown_email', 'wrong_password'].sort(),
    );
  });

  it('gives a new session id at sign-in: the one held before stops working', async () => {
    const ada = await operator(api);
    const client = await signedIn(panel, ada);
    const before = client.cookie;
    expect((await client.signIn(ada.email, ada.password)).status).toBe(302);
    expect(client.cookie).not.toBe(before);

    const stale = new PanelClient(panel);
    stale.cookie = before;
    expect((await stale.get('/cp/api/dashboard')).status).toBe(302);
  });

  it('answers 429 with Retry-After once an account has too many failures, and then checks no password', async () => {
    const limited = await startPanel({ RATE_LIMIT_LOGIN_ACCOUNT: '3/15m' });
    try {
      const ada = await operator(api);
      for (let i = 0; i < 3; i++) {
        expect((await new PanelClient(limited).signIn(ada.email, `Wrong-Horse-Battery-${i}`)).status).toBe(401);
      }
      const refused = await new PanelClient(limited).signIn(ada.email, ada.password);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.text()).toContain('tooManyRequests');
    } finally {
      await limited.close();
    }
  });

  it('answers 400, not 500, to a NUL in the e-mail or the password', async () => {
    const ada = await operator(api);
    for (const [email, password] of [
      [`${ada.email}\u0000`, ada.password],
      [ada.email, `${ada.password}\u0000`],
    ]) {
      const response = await new PanelClient(panel).signIn(email!, password!);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('invalidCredentials');
    }
  });

  it('limits failures per client address too, whatever the account', async () => {
    const limited = await startPanel({ RATE_LIMIT_LOGIN_IP: '2/15m' });
    try {
      const [a, b, c] = [await operator(api), await operator(api), await operator(api)];
      expect((await new PanelClient(limited).signIn(a.email, 'Wrong-Horse-Battery-1')).status).toBe(401);
      expect((await new PanelClient(limited).signIn(b.email, 'Wrong-Horse-Battery-2')).status).toBe(401);
      expect((await new PanelClient(limited).signIn(c.email, c.password)).status).toBe(429);
    } finally {
      await limited.close();
    }
  });
});

describe('device cookies', () => {
  it('a browser that proved the password in the web app keeps its allowance at the panel', async () => {
    // One deployment: the panel shares the API's counters and secret.
    const limited = await startPanel({
      RATE_LIMIT_LOGIN_ACCOUNT: '2/15m',
      DEPLOYMENT_NAME: api.config.deploymentName,
      JWT_SECRET: api.config.jwt.secret,
    });
    try {
      const ada = await operator(api);
      // Ada signs in to the web app in this browser: the device cookie is set for the panel's path too.
      const web = await operatorLogin(api, ada);
      const cookies = web.response.headers.getSetCookie().filter((c) => c.startsWith('device='));
      expect(cookies.map((c) => /Path=([^;]+)/.exec(c)?.[1]).sort()).toEqual(['/api/v1/auth', '/cp/login']);
      const device = cookies[0]!.split(';')[0]!;
      // Someone spends the account's budget for unknown browsers at the public sign-in.
      for (let i = 0; i < 2; i++) {
        const wrong = await fetch(
          `${api.url}/api/v1/auth/login`,
          json({ email: ada.email, password: 'Wrong-1-Horse' }),
        );
        expect(wrong.status).toBe(401);
      }
      expect((await new PanelClient(limited).signIn(ada.email, ada.password)).status).toBe(429);
      expect((await new PanelClient(limited).signIn(ada.email, ada.password, { cookie: device })).status).toBe(302);
    } finally {
      await limited.close();
    }
  });

  it('the panel sets the same cookie for the web app to read', async () => {
    const ada = await operator(api);
    const response = await new PanelClient(panel).signIn(ada.email, ada.password);
    const cookies = response.headers.getSetCookie().filter((c) => c.startsWith('device='));
    expect(cookies.map((c) => /Path=([^;]+)/.exec(c)?.[1]).sort()).toEqual(['/api/v1/auth', '/cp/login']);
    expect(cookies.every((c) => /HttpOnly/i.test(c) && /SameSite=Strict/i.test(c))).toBe(true);
  });
});

describe('cross-site requests', () => {
  it('refuses a change from another origin, or without one, even with the operator cookie', async () => {
    const ada = await operator(api);
    const target = await register(api.url, { displayName: 'Target' });
    const client = await signedIn(panel, ada);
    const path = `/cp/api/resources/User/records/${target.id}/suspend`;
    const form = { reason: 'Testing the cross-site refusal' };

    const foreign = await client.post(path, form, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const crossSite = await client.post(path, form, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    const noOrigin = await fetch(`${panel.url}${path}`, { method: 'POST', headers: { cookie: client.cookie! } });
    expect(noOrigin.status).toBe(403);
    const [row] = await api.db.query('SELECT is_active FROM users WHERE id = $1', [target.id]);
    expect(row.is_active).toBe(true);

    // The same request from the panel itself goes through.
    expect((await client.post(path, form, { 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    const [after] = await api.db.query('SELECT is_active FROM users WHERE id = $1', [target.id]);
    expect(after.is_active).toBe(false);
  });

  it('refuses a sign-in posted from another origin', async () => {
    const ada = await operator(api);
    const response = await new PanelClient(panel).signIn(ada.email, ada.password, { origin: 'https://evil.example' });
    expect(response.status).toBe(403);
  });
});

describe('panel sessions', () => {
  it('end on the next request once the operator is suspended or demoted', async () => {
    const [ada, bob] = [await operator(api), await operator(api)];
    const [adaClient, bobClient] = [await signedIn(panel, ada), await signedIn(panel, bob)];
    expect((await adaClient.get('/cp/api/dashboard')).status).toBe(200);

    await api.db.query('UPDATE users SET is_active = false WHERE id = $1', [ada.id]);
    const banned = await adaClient.get('/cp/api/dashboard');
    expect(banned.status).toBe(302);
    expect(banned.headers.get('location')).toBe('/cp/login');

    await api.db.query(`UPDATE users SET role = 'user' WHERE id = $1`, [bob.id]);
    expect((await bobClient.get('/cp/api/dashboard')).status).toBe(302);
  });

  it('end 12 hours after sign-in, however busy', async () => {
    const ada = await operator(api);
    const client = await signedIn(panel, ada);
    const sid = decodeURIComponent(client.cookie!.split('=')[1]!).slice(2).split('.')[0];
    const [, updated] = await panel.db.query<[unknown, number]>(
      `UPDATE panel_sessions SET sess = jsonb_set(sess::jsonb, '{signedInAt}', to_jsonb($2::bigint))::json WHERE sid = $1`,
      [sid, Date.now() - 12 * 3_600_000 - 1_000],
    );
    expect(updated).toBe(1);
    expect((await client.get('/cp/api/dashboard')).status).toBe(302);
  });

  it('end at sign-out, which is a POST from the panel: a GET or a foreign POST ends nothing', async () => {
    const ada = await operator(api);
    const client = await signedIn(panel, ada);

    // What `<img src="/cp/logout">` in a post would do: it offers a button and changes nothing.
    const offered = await client.get('/cp/logout');
    expect(offered.status).toBe(200);
    const html = await offered.text();
    expect(html).toMatch(/<form method="post" action="\/cp\/logout"/);
    expect(html).toContain(`signed in as <strong>${ada.email}</strong>`);
    expect((await client.post('/cp/logout', {}, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await client.get('/cp/api/dashboard')).status).toBe(200);

    const signedOut = await client.post('/cp/logout');
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get('location')).toBe('/cp/login');
    expect((await client.get('/cp/api/dashboard')).status).toBe(302);
    // Signed out, the page has nothing to offer.
    expect((await client.get('/cp/logout')).headers.get('location')).toBe('/cp/login');
  });

  it.each([
    ['signs out everywhere in the web app', 'sign-out-everywhere'],
    ['changes the password', 'password-change'],
    ['resets the password', 'password-reset'],
  ] as const)('end when the operator %s', async (_, event) => {
    const ada = await operator(api);
    const client = await signedIn(panel, ada);
    expect((await client.get('/cp/api/dashboard')).status).toBe(200);
    const { accessToken } = await operatorLogin(api, ada);
    const v1 = `${api.url}/api/v1`;
    if (event === 'sign-out-everywhere') {
      expect((await fetch(`${v1}/users/me/sessions`, bearer(accessToken, { method: 'DELETE' }))).status).toBe(204);
    } else if (event === 'password-change') {
      const body = { currentPassword: ada.password, newPassword: 'Brand-New-Secret-77' };
      expect((await fetch(`${v1}/users/me/password`, bearer(accessToken, json(body)))).status).toBe(204);
    } else {
      expect((await fetch(`${v1}/auth/password/forgot`, json({ email: ada.email }))).status).toBe(202);
      const { token } = linkIn(await waitForEmail(ada.email, /Reset your password/));
      const reset = await fetch(`${v1}/auth/password/reset`, json({ token, password: 'Brand-New-Secret-77' }));
      expect(reset.status).toBe(204);
    }
    const after = await client.get('/cp/api/dashboard');
    expect(after.status).toBe(302);
    expect(after.headers.get('location')).toBe('/cp/login');
  });

  it('are stored in PostgreSQL, so another panel process (same secret) knows them', async () => {
    const ada = await operator(api);
    const client = await signedIn(panel, ada);
    const other = await startPanel({ JWT_SECRET: panel.config.api.jwt.secret });
    try {
      const twin = new PanelClient(other);
      twin.cookie = client.cookie;
      expect((await twin.get('/cp/api/dashboard')).status).toBe(200);
    } finally {
      await other.close();
    }
  });
});

describe('pages', () => {
  it('carry a Content-Security-Policy whose nonce is on every script of the page, and frame protection', async () => {
    const response = await new PanelClient(panel).get('/cp/login');
    const csp = response.headers.get('content-security-policy')!;
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    const html = await response.text();
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.every((tag) => tag.includes(`nonce="${nonce}"`))).toBe(true);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('send a visitor without a session to the sign-in page, which leads back to the page asked for', async () => {
    const response = await new PanelClient(panel).get('/cp/resources/User');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/cp/login?next=%2Fcp%2Fresources%2FUser');
  });
});

describe('deep links and the sign-in form', () => {
  it('keeps the address after a wrong password, written into the page so that nothing in it can run', async () => {
    const ada = await operator(api);
    const wrong = await new PanelClient(panel).signIn(ada.email, 'Wrong-Horse-Battery-9');
    expect(wrong.status).toBe(401);
    const state = loginState(await wrong.text());
    expect(state).toMatchObject({ email: ada.email, errorMessage: 'invalidCredentials', action: '/cp/login' });

    const nasty = `o'brien"</script><script>alert(1)</script>\\@example.test`;
    const refused = await new PanelClient(panel).signIn(nasty, 'Wrong-Horse-Battery-9');
    expect(refused.status).toBe(401);
    const html = await refused.text();
    expect(html).not.toContain('alert(1)');
    expect(html).not.toContain("o'brien");
    expect(loginState(html).email).toBe(nasty);

    // A password left empty keeps the address too (400, nothing looked up).
    const empty = await new PanelClient(panel).signIn(ada.email, '');
    expect(empty.status).toBe(400);
    expect(loginState(await empty.text()).email).toBe(ada.email);
  });

  it('returns to the page asked for, query included, after sign-in', async () => {
    const ada = await operator(api);
    const target = await register(api.url);
    for (const asked of [
      `/cp/resources/User/records/${target.id}/show`,
      '/cp/resources/User?filters.role=admin&page=2',
    ]) {
      const client = new PanelClient(panel);
      const bounced = await client.get(asked);
      expect(bounced.status).toBe(302);
      const location = bounced.headers.get('location')!;
      expect(location).toBe(`/cp/login?next=${encodeURIComponent(asked)}`);

      const form = await client.get(location);
      expect(form.status).toBe(200);
      const state = loginState(await form.text());
      expect(state.next).toBe(asked);
      expect(state.errorMessage).toBeNull();

      // A wrong password first: the page still leads back.
      const wrong = await signInAt(client, state.action!, ada.email, 'Wrong-Horse-Battery-9');
      expect(wrong.status).toBe(401);
      expect(loginState(await wrong.text())).toMatchObject({ next: asked, email: ada.email });

      const signedInNow = await signInAt(client, state.action!, ada.email, ada.password);
      expect(signedInNow.status).toBe(302);
      expect(signedInNow.headers.get('location')).toBe(asked);
    }
  });

  it('goes to the dashboard instead of a page outside the panel, or the sign-in and sign-out pages', async () => {
    const ada = await operator(api);
    for (const next of [
      '//evil.example/cp',
      'https://evil.example/cp/resources/User',
      '/\\evil.example/cp',
      '/elsewhere',
      '/cp/../api/v1/users/me',
      '/cp/logout',
      '/cp/login',
      '/cp/api/dashboard',
    ]) {
      const answer = await signInAt(
        new PanelClient(panel),
        `/cp/login?next=${encodeURIComponent(next)}`,
        ada.email,
        ada.password,
      );
      expect([next, answer.status, answer.headers.get('location')]).toEqual([next, 302, '/cp']);
    }
  });

  it('leads an edit whose session ended back to its page after sign-in', async () => {
    const ada = await operator(api);
    const author = await register(api.url);
    await verify(api.url, author);
    const { accessToken } = await login(api.url, author);
    const created = await fetch(`${api.url}/api/v1/posts`, bearer(accessToken, json({ content: 'Before the edit' })));
    const { id } = (await created.json()) as { id: string };
    const editPage = `/cp/resources/Post/records/${id}/edit`;

    const client = await signedIn(panel, ada);
    const sid = decodeURIComponent(client.cookie!.split('=')[1]!).slice(2).split('.')[0];
    await panel.db.query('DELETE FROM panel_sessions WHERE sid = $1', [sid]);

    // The edit page's save, as AdminJS's page sends it.
    const saved = await client.post(
      `/cp/api/resources/Post/records/${id}/edit`,
      { content: 'After the edit' },
      { referer: `${panel.url}${editPage}` },
    );
    expect(saved.status).toBe(302);
    expect(saved.headers.get('location')).toBe(`/cp/login?next=${encodeURIComponent(editPage)}`);
    const [row] = await api.db.query('SELECT content FROM posts WHERE id = $1', [id]);
    expect(row.content).toBe('Before the edit');

    // AdminJS says the session expired and reloads the sign-in page from the edit page.
    const form = await fetch(`${panel.url}/cp/login`, { headers: { referer: `${panel.url}${editPage}` } });
    const state = loginState(await form.text());
    expect(state.next).toBe(editPage);
    const back = await signInAt(client, state.action!, ada.email, ada.password);
    expect(back.headers.get('location')).toBe(editPage);

    // A page of another site is no way back.
    const foreign = await fetch(`${panel.url}/cp/login`, { headers: { referer: `https://evil.example${editPage}` } });
    expect(loginState(await foreign.text()).next).toBeUndefined();
  });
});
