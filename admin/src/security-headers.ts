/**
 * The panel's Content-Security-Policy. AdminJS's pages need inline scripts (the initial state and
 * the mount call) and support no nonce, so each HTML answer gets a fresh nonce, added to its
 * script elements here: no other inline script runs, and nothing is loaded from elsewhere. This
 * is sound because those pages hold nothing a user typed: their state is the panel's
 * configuration and the signed-in operator, whose e-mail is only shown when it is plain (see
 * sign-in.ts); records arrive later as JSON.
 *
 * Styles stay 'unsafe-inline' (the design system's styled-components inject them); images may
 * come over https so moderators see what a post shows. The rest comes from Nest's
 * useSecurityHeaders (nosniff, Referrer-Policy, frame protection, HSTS in production).
 */
import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const HTML_PAGE = /^\s*<!DOCTYPE html>/i;

export function withContentSecurityPolicy(): RequestHandler {
  return (_request, response, next) => {
    const nonce = randomBytes(16).toString('base64');
    response.setHeader('Content-Security-Policy', contentSecurityPolicy(nonce));
    const send = response.send.bind(response);
    response.send = (body?: unknown) =>
      send(
        typeof body === 'string' && HTML_PAGE.test(body)
          ? body.replaceAll('<script', `<script nonce="${nonce}"`)
          : body,
      );
    next();
  };
}
