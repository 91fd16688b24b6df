/** Small HTTP helpers for tests that need accounts; they go through the public API only. */
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { linkIn, waitForEmail } from './mail.js';

export const WEB_ORIGIN = 'http://localhost:3000';
export const PASSWORD = 'Correct-Horse-Battery-9';

export function uniqueEmail(tag = 'user'): string {
  return `${tag}-${randomBytes(5).toString('hex')}@example.test`;
}

export function json(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export function bearer(token: string, init: RequestInit = {}): RequestInit {
  return { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } };
}

export interface Account {
  readonly id: string;
  readonly email: string;
  readonly password: string;
  readonly displayName: string;
}

export async function register(baseUrl: string, overrides: Partial<Omit<Account, 'id'>> = {}): Promise<Account> {
  const account = { email: uniqueEmail(), password: PASSWORD, displayName: 'Test User', ...overrides };
  const res = await fetch(`${baseUrl}/api/v1/auth/register`, json(account));
  if (res.status !== 201) throw new Error(`register answered ${res.status}: ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  return { ...account, id };
}

export async function verify(baseUrl: string, account: Account): Promise<void> {
  const { token } = linkIn(await waitForEmail(account.email, /Confirm your e-mail/));
  const res = await fetch(`${baseUrl}/api/v1/auth/email/verify`, json({ token }));
  if (res.status !== 200) throw new Error(`verify answered ${res.status}: ${await res.text()}`);
}

export interface Login {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly response: Response;
}

/** A cookie's value from an answer's Set-Cookie headers. */
function setCookie(res: Response, name: string): string | undefined {
  const header = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  return header?.split(';')[0]?.slice(name.length + 1) || undefined;
}

/** The refresh cookie's value from a Set-Cookie header. */
export const refreshCookie = (res: Response) => setCookie(res, 'refresh_token');

/** The device cookie's value (sign-in limits) from a Set-Cookie header. */
export const deviceCookie = (res: Response) => setCookie(res, 'device');

export async function login(baseUrl: string, account: Pick<Account, 'email' | 'password'>): Promise<Login> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, json({ email: account.email, password: account.password }));
  if (res.status !== 200) throw new Error(`login answered ${res.status}: ${await res.text()}`);
  const { accessToken } = (await res.clone().json()) as { accessToken: string };
  return { accessToken, refreshToken: refreshCookie(res)!, response: res };
}

/** POST /auth/refresh as the web app would send it. */
export function refresh(baseUrl: string, refreshToken: string, origin = WEB_ORIGIN): Promise<Response> {
  return fetch(`${baseUrl}/api/v1/auth/refresh`, {
    method: 'POST',
    headers: { cookie: `refresh_token=${refreshToken}`, origin },
  });
}

/**
 * POSTs JSON with exactly these headers, Host included: fetch() may not send a forged Host, and a
 * test of "ignores the Host header" must be sure the header arrived.
 */
export function rawPost(url: string, body: unknown, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = httpRequest(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(payload);
  });
}
