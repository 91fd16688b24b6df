/**
 * The real panel on the run's PostgreSQL, listening on a random loopback port, next to the real
 * API (the API's own test app), so a test signs in like an operator (password, then the code of
 * the operator's authenticator app), works through AdminJS's JSON API under /cp/api, and checks
 * the effect where users meet it: in the API.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { freePort } from '../../../scripts/lib/embedded-postgres.mjs';
import { json, type Login, refreshCookie, register, type Account } from '../../../api/test/support/accounts.js';
import { startTestApp, testEnv, type TestApp } from '../../../api/test/support/app.js';
import { ensureMigrated } from '../../../api/test/support/database.js';
import { createPanel } from '../../src/app.js';
import { loadPanelConfig, type PanelConfig } from '../../src/config.js';
import { SESSION_COOKIE } from '../../src/auth/panel-session.js';
import { codeNow, markSpent, newTotpSecret, stepNow } from './totp.js';

export interface TestPanel {
  readonly app: NestExpressApplication;
  readonly config: PanelConfig;
  readonly db: DataSource;
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  close(): Promise<void>;
}

export async function startPanel(
  env: Record<string, string> = {},
  options: { logStream?: DestinationStream } = {},
): Promise<TestPanel> {
  await ensureMigrated();
  const port = await freePort();
  const config = loadPanelConfig(
    testEnv({ ADMIN_PORT: String(port), ADMIN_URL: `http://127.0.0.1:${port}/cp`, ...env }),
  );
  const app = await createPanel(config, options);
  await app.listen(port, '127.0.0.1');
  return { app, config, db: app.get(DataSource), url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** The panel and the API for one test file: started before its tests, closed after them. */
export function usePanelAndApi(env: Record<string, string> = {}): { panel: TestPanel; api: TestApp } {
  const started: { panel?: TestPanel; api?: TestApp } = {};
  beforeAll(async () => {
    started.api = await startTestApp();
    started.panel = await startPanel(env);
  });
  afterAll(async () => {
    await started.panel?.close();
    await started.api?.close();
  });
  // Read when a test runs, not when the file is loaded: the objects exist only after beforeAll.
  const lazy = (key: keyof typeof started): object =>
    new Proxy(
      {},
      {
        get(_target, property) {
          const value = started[key];
          if (!value) throw new Error('the panel starts in beforeAll: use it inside a test or a later hook');
          return Reflect.get(value, property) as unknown;
        },
      },
    );
  return { panel: lazy('panel') as TestPanel, api: lazy('api') as TestApp };
}

/** An operator and the secret of its authenticator app (null: not set up yet). */
export type Operator = Account & { readonly totpSecret: string | null };

/** Enrols an account in two-step sign-in with a new secret (a confirmed app, as after enrolment). */
export async function enrolTotp(db: DataSource, userId: string): Promise<string> {
  const secret = newTotpSecret();
  await db.query(
    `INSERT INTO totp_factors (id, user_id, secret, confirmed_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (user_id) DO UPDATE SET secret = EXCLUDED.secret, confirmed_at = now(), last_step = NULL`,
    [randomUUID(), userId, secret],
  );
  return secret;
}

/**
 * A new account made an operator (an active admin), with its authenticator app set up (the
 * secret returned), as every operator has after their first sign-in; `enrolled: false` for one
 * whose first sign-in is still ahead.
 */
export async function operator(
  api: TestApp,
  overrides: Partial<Omit<Account, 'id'>> = {},
  { enrolled = true }: { enrolled?: boolean } = {},
): Promise<Operator> {
  const account = await register(api.url, { displayName: 'Operator', ...overrides });
  await api.db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [account.id]);
  return { ...account, totpSecret: enrolled ? await enrolTotp(api.db, account.id) : null };
}

/**
 * An operator's sign-in to the web app (the API's two steps: the password, then the app's code
 * with the MFA ticket); the last step's code is forgotten first, as at the panel's sign-in.
 */
export async function operatorLogin(api: TestApp, account: Pick<Operator, 'email' | 'password'>): Promise<Login> {
  const first = await fetch(`${api.url}/api/v1/auth/login`, json({ email: account.email, password: account.password }));
  if (first.status !== 403) throw new Error(`login answered ${first.status}: ${await first.text()}`);
  const { ticket } = (await first.json()) as { ticket: string };
  const [[factor]] = await api.db.query<[{ secret: string }[], number]>(
    `UPDATE totp_factors t SET last_step = NULL FROM users u
      WHERE u.id = t.user_id AND lower(u.email) = lower($1) RETURNING t.secret`,
    [account.email],
  );
  if (!factor) throw new Error(`${account.email} has no authenticator app`);
  markSpent(factor.secret, stepNow(factor.secret));
  const res = await fetch(`${api.url}/api/v1/auth/login/mfa`, json({ ticket, code: codeNow(factor.secret) }));
  if (res.status !== 200) throw new Error(`login/mfa answered ${res.status}: ${await res.text()}`);
  const { accessToken } = (await res.clone().json()) as { accessToken: string };
  return { accessToken, refreshToken: refreshCookie(res)!, response: res };
}

export type Form = Record<string, string>;

/**
 * A browser-like client for the panel: it keeps the session cookie and sends the panel's own
 * Origin with every change, as the panel's pages do.
 */
export class PanelClient {
  cookie: string | undefined;
  readonly origin: string;

  constructor(readonly panel: TestPanel) {
    this.origin = new URL(panel.url).origin;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.cookie ? { cookie: this.cookie } : {}), ...extra };
  }

  private keep(response: Response): Response {
    const set = response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (set) this.cookie = set.split(';')[0];
    return response;
  }

  /** POSTs the password form (to `action`, the form's action with its `next`); the answer is not followed. */
  async password(
    email: string,
    password: string,
    headers: Record<string, string> = {},
    action = '/cp/login',
  ): Promise<Response> {
    return this.keep(
      await fetch(`${this.panel.url}${action}`, {
        method: 'POST',
        redirect: 'manual',
        headers: this.headers({
          'content-type': 'application/x-www-form-urlencoded',
          origin: this.origin,
          ...headers,
        }),
        body: new URLSearchParams({ email, password }).toString(),
      }),
    );
  }

  /** POSTs a form of the sign-in's second step (`{ code }` or `{ recoveryCode }`), not following the answer. */
  async secondStep(
    form: Record<string, string>,
    path = '/cp/login/code',
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const cookie = [this.cookie, headers.cookie].filter(Boolean).join('; ');
    return this.keep(
      await fetch(`${this.panel.url}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: this.origin,
          ...headers,
          ...(cookie ? { cookie } : {}),
        },
        body: new URLSearchParams(form).toString(),
      }),
    );
  }

  /**
   * After the password step: when it asks for the code, enters the code of the account's app
   * (its secret read from the database) and answers the second step's answer; else `first`.
   * The step's last accepted code is forgotten first, so that signing the same account in many
   * times within one 30-second step works (second-factor.spec.ts tests the refusal of a reused code).
   */
  async completeSignIn(first: Response, email: string, headers: Record<string, string> = {}): Promise<Response> {
    if (first.status !== 302 || first.headers.get('location') !== '/cp/login/code') return first;
    await first.arrayBuffer();
    // An UPDATE answers [rows, count].
    const [[factor]] = await this.panel.db.query<[{ secret: string }[], number]>(
      `UPDATE totp_factors t SET last_step = NULL FROM users u
        WHERE u.id = t.user_id AND lower(u.email) = lower($1) RETURNING t.secret`,
      [email],
    );
    if (!factor) throw new Error(`${email} has no authenticator app to take a code from`);
    markSpent(factor.secret, stepNow(factor.secret));
    return this.secondStep({ code: codeNow(factor.secret) }, '/cp/login/code', headers);
  }

  /**
   * Signs in as an operator does: the password, then the code of the account's app; the last
   * answer is not followed (302 to the panel on success; a refused password's answer as it is).
   */
  async signIn(email: string, password: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.completeSignIn(await this.password(email, password, headers), email, headers);
  }

  async get(path: string): Promise<Response> {
    return this.keep(await fetch(`${this.panel.url}${path}`, { redirect: 'manual', headers: this.headers() }));
  }

  /** GET of AdminJS's JSON API; fails the test on anything but 200. */
  async json<T = any>(path: string): Promise<T> {
    const response = await this.get(path);
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** POSTs a multipart form as the panel's pages do. */
  async post(path: string, form: Form = {}, headers: Record<string, string> = {}): Promise<Response> {
    const body = new FormData();
    for (const [name, value] of Object.entries(form)) body.append(name, value);
    return this.keep(
      await fetch(`${this.panel.url}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: this.headers({ origin: this.origin, ...headers }),
        body,
      }),
    );
  }

  /** A record action (POST), answered with AdminJS's JSON. */
  async act<T = any>(resource: string, id: string, action: string, form: Form = {}): Promise<T> {
    const response = await this.post(`/cp/api/resources/${resource}/records/${id}/${action}`, form);
    if (response.status !== 200) throw new Error(`${action} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }
}

/** A client already signed in as this account. */
export async function signedIn(panel: TestPanel, account: Pick<Account, 'email' | 'password'>): Promise<PanelClient> {
  const client = new PanelClient(panel);
  const response = await client.signIn(account.email, account.password);
  if (response.status !== 302) throw new Error(`sign-in answered ${response.status}`);
  // The headers come before express-session's last write of the new session; the body after it.
  await response.arrayBuffer();
  return client;
}

export const uniqueText = (tag: string) => `${tag}-${randomBytes(4).toString('hex')}`;
