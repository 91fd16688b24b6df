/**
 * The browser's refresh token lives in an httpOnly, SameSite=Strict cookie scoped to the auth
 * routes (Secure unless the app runs on plain http://localhost), and the routes that read it
 * accept only requests whose Origin is the web app's own (SECURITY.md items 15 and 26).
 */
import { ForbiddenException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/config.js';

export const REFRESH_COOKIE = 'refresh_token';
export const REFRESH_COOKIE_PATH = '/api/v1/auth';

function isPlainLocalhost(publicUrl: string): boolean {
  const url = new URL(publicUrl);
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

export function setRefreshCookie(reply: FastifyReply, config: AppConfig, token: string, expiresAt: Date): void {
  void reply.setCookie(REFRESH_COOKIE, token, {
    httpOnly: true,
    secure: !isPlainLocalhost(config.publicUrl),
    sameSite: 'strict',
    path: REFRESH_COOKIE_PATH,
    expires: expiresAt,
  });
}

export function clearRefreshCookie(reply: FastifyReply, config: AppConfig): void {
  void reply.clearCookie(REFRESH_COOKIE, {
    httpOnly: true,
    secure: !isPlainLocalhost(config.publicUrl),
    sameSite: 'strict',
    path: REFRESH_COOKIE_PATH,
  });
}

export function refreshCookieOf(request: FastifyRequest): string | undefined {
  const value = request.cookies[REFRESH_COOKIE];
  return value === '' ? undefined : value;
}

/** Refuses cookie-authenticated requests that a browser did not send from the web app itself. */
export function assertSameOrigin(request: FastifyRequest, config: AppConfig): void {
  const origin = request.headers.origin;
  const site = request.headers['sec-fetch-site'];
  if (origin !== new URL(config.publicUrl).origin || (site !== undefined && site !== 'same-origin')) {
    throw new ForbiddenException('Cross-site request refused: this endpoint only answers the web app.');
  }
}
