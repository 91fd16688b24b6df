/**
 * Operators sign in at /cp/login with the API's own checks (AuthService.checkOperatorCredentials:
 * the argon2id hasher, the sign-in limits that count failures per account and per IP, and the
 * audit log), and only active admins pass. A user's, a banned admin's, a wrong password and an
 * unknown address all get the same answer. A successful sign-in gets a new session id, so a
 * session id planted before it is worth nothing; like the API, it also gets the device cookie
 * that keeps this browser's own allowance of failures when someone else spends the account's.
 * It is the API's one device cookie (set at both sign-in paths), so a browser that proved the
 * password in the web app is known here too.
 *
 * After sign-in, every request checks again that the account is an active admin and that the
 * sign-in is under 12 hours old: a ban or a demotion ends a panel session on its next request.
 */
import { parse as parseCookies } from 'cookie';
import type AdminJS from 'adminjs';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import {
  type AuthService,
  auditClient,
  DEVICE_COOKIE,
  DEVICE_COOKIE_MAX_AGE_SECONDS,
  DEVICE_COOKIE_PATHS,
  LoginFailed,
  TooManyRequests,
  type UsersRepository,
} from '@nuell/api';
import { type PanelConfig, SESSION_MAX_MS } from '../config.js';

/** The panel's own device cookie before it shared the API's: still read, cleared at sign-in. */
const LEGACY_DEVICE_COOKIE = 'panel_device';
const MAX_EMAIL = 254;
const MAX_PASSWORD = 1024;

export interface SignInDependencies {
  readonly admin: AdminJS;
  readonly auth: AuthService;
  readonly users: UsersRepository;
  readonly config: PanelConfig;
}

/**
 * The operator as the pages show it. The e-mail lands in an inline script of every page (see
 * security-headers.ts), so an address that could close that script is not shown.
 */
function shownEmail(email: string): string {
  return email.includes('<') ? 'operator' : email;
}

/** A form field as given; null when it cannot be an e-mail or a password (empty, too long, a NUL). */
function field(body: unknown, name: string, max: number): string | null {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' && value.length <= max && !value.includes('\0') ? value : null;
}

export function signInRoutes(router: Router, { admin, auth, config }: SignInDependencies): void {
  const { loginPath, rootPath, logoutPath } = admin.options;
  const page = (response: Response, status: number, errorMessage: string | null) =>
    admin.renderLogin({ action: loginPath, errorMessage }).then((html) => response.status(status).send(html));
  const relative = (path: string) => path.slice(rootPath.length);

  router.get(relative(loginPath), (_request, response, next) => {
    page(response, 200, null).catch(next);
  });

  router.post(
    relative(loginPath),
    express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 }),
    (request: Request, response: Response, next) => {
      const email = field(request.body, 'email', MAX_EMAIL);
      const password = field(request.body, 'password', MAX_PASSWORD);
      if (email === null || password === null) {
        // Nothing that could be an account was given: refused before any look-up (a NUL would
        // otherwise reach PostgreSQL, which cannot take one).
        page(response, 400, 'invalidCredentials').catch(next);
        return;
      }
      const client = auditClient(request.ip, request.headers['user-agent']);
      const cookies = parseCookies(request.headers.cookie ?? '');
      auth
        .checkOperatorCredentials(email, password, client, cookies[DEVICE_COOKIE] ?? cookies[LEGACY_DEVICE_COOKIE])
        .then(
          ({ user, deviceCookie }) => {
            for (const path of DEVICE_COOKIE_PATHS) {
              response.cookie(DEVICE_COOKIE, deviceCookie, {
                httpOnly: true,
                sameSite: 'strict',
                secure: config.secureCookies,
                path,
                maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS * 1000,
              });
            }
            if (cookies[LEGACY_DEVICE_COOKIE] !== undefined)
              response.clearCookie(LEGACY_DEVICE_COOKIE, { path: loginPath });
            request.session.regenerate((error) => {
              if (error) {
                next(error);
                return;
              }
              request.session.adminUser = { id: user.id, email: shownEmail(user.email), title: 'Operator' };
              request.session.signedInAt = Date.now();
              request.session.save((saveError) => {
                if (saveError) next(saveError);
                else response.redirect(302, rootPath);
              });
            });
          },
          (error: unknown) => {
            if (error instanceof TooManyRequests) {
              response.setHeader('Retry-After', String(error.retryAfterSeconds));
              page(response, 429, 'tooManyRequests').catch(next);
            } else if (error instanceof LoginFailed) {
              page(response, 401, 'invalidCredentials').catch(next);
            } else {
              next(error);
            }
          },
        );
    },
  );

  // Signing out is a change, so it is a POST (with the origin check every POST gets); a GET, which
  // an image or a link anywhere on the origin could make, only offers the button.
  // A sign-out of a live session is audited (who, from where) before the session ends.
  router.post(relative(logoutPath), (request, response, next) => {
    const operator = request.session.adminUser;
    const recorded = operator
      ? auth.panelSignedOut(operator.id, auditClient(request.ip, request.headers['user-agent']))
      : Promise.resolve();
    recorded.then(() => {
      request.session.destroy(() => {
        response.redirect(303, loginPath);
      });
    }, next);
  });
  router.get(relative(logoutPath), (request, response) => {
    if (!request.session.adminUser) {
      response.redirect(302, loginPath);
      return;
    }
    response
      .status(200)
      .type('html')
      .send(signOutPage(logoutPath, rootPath, request.session.adminUser.email));
  });
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A page with one button, for a sign-out reached by the menu's link or typed in the address bar,
 * in the panel's own look (its sign-in page's colours; the panel has no dark theme).
 */
function signOutPage(logoutPath: string, rootPath: string, operator: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign out · nuell control panel</title></head>
<body style="margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center; background: #f6f7fb; color: #0c1e29; font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif">
<main style="box-sizing: border-box; width: min(26rem, calc(100vw - 2rem)); padding: 2rem; background: #fff; border-radius: 6px; box-shadow: 0 2px 12px rgba(12, 30, 41, 0.12)">
<p style="margin: 0 0 0.5rem; font-size: 0.8rem; color: #6c757d">nuell control panel</p>
<h1 style="margin: 0 0 0.75rem; font-size: 1.35rem">Sign out?</h1>
<p style="margin: 0 0 1.5rem; line-height: 1.5">You are signed in as <strong>${escapeHtml(operator)}</strong>. Signing out ends your control panel session in this browser.</p>
<form method="post" action="${logoutPath}" style="display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin: 0">
<button type="submit" autofocus style="font: inherit; font-size: 0.95rem; padding: 0.65rem 1.5rem; border: 0; border-radius: 4px; background: #3040d6; color: #fff; cursor: pointer">Sign out</button>
<a href="${rootPath}" style="color: #3040d6">Back to the control panel</a>
</form>
</main>
</body>
</html>`;
}

/** Lets a request through only for a live sign-in of an account that is still an active admin. */
export function operatorGate({ admin, users }: SignInDependencies): RequestHandler {
  const { loginPath } = admin.options;
  return (request, response, next) => {
    const operator = request.session.adminUser;
    const since = request.session.signedInAt;
    const check =
      operator && since !== undefined && Date.now() - since < SESSION_MAX_MS
        ? users.findById(operator.id).then((account) => account?.isActive === true && account.role === 'admin')
        : Promise.resolve(false);
    check.then(
      (allowed) => {
        if (allowed) {
          next();
          return;
        }
        request.session.destroy(() => {
          response.redirect(302, loginPath);
        });
      },
      (error: unknown) => {
        next(error);
      },
    );
  };
}
