/**
 * The real panel on the run's PostgreSQL, listening on a random loopback port, next to the real
 * API (the API's own test app), so a test signs in like an operator, works through AdminJS's JSON
 * API under /cp/api, and checks the effect where users meet it: in the API.
 */
import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { freePort } from '../../../scripts/lib/embedded-postgres.mjs';
import { register, type Account } from '../../../api/test/support/accounts.js';
import { startTestApp, testEnv, type TestApp } from '../../../api/test/support/app.js';
import { ensureMigrated } from '../../../api/test/support/database.js';
import { createPanel } from '../../src/app.js';
import { loadPanelConfig, type PanelConfig } from '../../src/config.js';
import { SESSION_COOKIE } from '../../src/auth/panel-session.js';

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

/** A new account made an operator (an active admin). */
export async function operator(api: TestApp, overrides: Partial<Omit<Account, 'id'>> = {}): Promise<Account> {
  const account = await register(api.url, { displayName: 'Operator', ...overrides });
  await api.db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [account.id]);
  return account;
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

  /** POSTs the sign-in form; the answer is not followed (302 on success). */
  async signIn(email: string, password: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.keep(
      await fetch(`${this.panel.url}/cp/login`, {
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
