/**
 * The two cookies of the auth routes, both httpOnly, SameSite=Strict, scoped to /api/v1/auth and
 * Secure unless the app runs on plain http://localhost:
 *
 * - `refresh_token`: the browser's session. The routes that read it accept only requests whose
 *   Origin is the web app's own, so another site cannot make a browser spend it.
 * - `device`: proof that this browser once signed in to an account (OWASP's "device cookie"). It
 *   names no one: a random id and an HMAC over it, the account's id and when the account's
 *   password last changed, so it is worth nothing for another account, cannot be forged without
 *   the server's secret, and a new password forgets every browser that proved the old one. The
 *   web app's sign-in and the control panel's both read and set it (one cookie at each of their
 *   two paths), so a browser proven at one is proven at the other. See sign-in-limiter.ts.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ForbiddenException } from '@nestjs/common';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/config.js';
import type { UserDto } from '../users/dto/user.dto.js';

export const REFRESH_COOKIE = 'refresh_token';
export const DEVICE_COOKIE = 'device';
export const AUTH_COOKIE_PATH = '/api/v1/auth';
/** Where passwords are proven: the API's auth routes and the control panel's sign-in form. */
export const DEVICE_COOKIE_PATHS = [AUTH_COOKIE_PATH, '/cp/login'] as const;
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 365 * 86_400;

function isPlainLocalhost(publicUrl: string): boolean {
  const url = new URL(publicUrl);
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

function cookieOptions(config: AppConfig): CookieSerializeOptions {
  return { httpOnly: true, secure: !isPlainLocalhost(config.publicUrl), sameSite: 'strict', path: AUTH_COOKIE_PATH };
}

function cookieOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.cookies[name];
  return value === '' ? undefined : value;
}

export function setRefreshCookie(reply: FastifyReply, config: AppConfig, token: string, expiresAt: Date): void {
  void reply.setCookie(REFRESH_COOKIE, token, { ...cookieOptions(config), expires: expiresAt });
}

export function clearRefreshCookie(reply: FastifyReply, config: AppConfig): void {
  void reply.clearCookie(REFRESH_COOKIE, cookieOptions(config));
}

export const refreshCookieOf = (request: FastifyRequest) => cookieOf(request, REFRESH_COOKIE);
export const deviceCookieOf = (request: FastifyRequest) => cookieOf(request, DEVICE_COOKIE);

export function setDeviceCookie(reply: FastifyReply, config: AppConfig, value: string): void {
  for (const path of DEVICE_COOKIE_PATHS) {
    void reply.setCookie(DEVICE_COOKIE, value, {
      ...cookieOptions(config),
      path,
      maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
    });
  }
}

/**
 * Answers a browser sign-in: the refresh token and the device cookie as cookies, the access token
 * and the account in the body.
 */
export function replyWithSession(
  reply: FastifyReply,
  config: AppConfig,
  signedIn: {
    readonly accessToken: string;
    readonly expiresIn: number;
    readonly refreshToken: string;
    readonly refreshExpiresAt: Date;
    readonly user: UserDto;
    readonly deviceCookie?: string;
  },
): { accessToken: string; expiresIn: number; user: UserDto } {
  if (signedIn.deviceCookie !== undefined) setDeviceCookie(reply, config, signedIn.deviceCookie);
  setRefreshCookie(reply, config, signedIn.refreshToken, signedIn.refreshExpiresAt);
  return { accessToken: signedIn.accessToken, expiresIn: signedIn.expiresIn, user: signedIn.user };
}

/** Refuses cookie-authenticated requests that a browser did not send from the web app itself. */
export function assertSameOrigin(request: FastifyRequest, config: AppConfig): void {
  const origin = request.headers.origin;
  const site = request.headers['sec-fetch-site'];
  if (origin !== new URL(config.publicUrl).origin || (site !== undefined && site !== 'same-origin')) {
    throw new ForbiddenException('Cross-site request refused: this endpoint only answers the web app.');
  }
}

/** The account a device cookie is for: its id, and when its password last changed. */
export interface DeviceAccount {
  readonly id: string;
  readonly passwordChangedAt: Date | null;
}

/**
 * Issues and checks device cookies: `<random id>.<HMAC-SHA256(key, account + random id)>`, where
 * the account is its id and, once its password has changed, when it did.
 */
export class DeviceCookies {
  private readonly key: Buffer;

  constructor(secret: string) {
    // A key of its own, so a device cookie can never pass for anything else signed with the secret.
    this.key = createHmac('sha256', secret).update('nuell device cookie v1').digest();
  }

  private mac(account: DeviceAccount, deviceId: string): Buffer {
    // Accounts whose password never changed keep the original input, so their cookies stay valid.
    const changed = account.passwordChangedAt ? `.${account.passwordChangedAt.getTime()}` : '';
    return createHmac('sha256', this.key).update(`${account.id}${changed}.${deviceId}`).digest();
  }

  issue(account: DeviceAccount): string {
    const deviceId = randomBytes(16).toString('base64url');
    return `${deviceId}.${this.mac(account, deviceId).toString('base64url')}`;
  }

  /** The device id if `value` is a device cookie this server issued for this account as it is now, else null. */
  deviceOf(value: string | undefined, account: DeviceAccount): string | null {
    const [deviceId, mac, extra] = (value ?? '').split('.');
    if (!deviceId || !mac || extra !== undefined || !/^[\w-]{22}$/.test(deviceId)) return null;
    const given = Buffer.from(mac, 'base64url');
    const expected = this.mac(account, deviceId);
    return given.length === expected.length && timingSafeEqual(given, expected) ? deviceId : null;
  }
}
