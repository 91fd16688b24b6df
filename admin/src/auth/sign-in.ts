/**
 * Operators sign in at /cp/login with the API's own checks (AuthService.checkOperatorCredentials:
 * the argon2id hasher, the sign-in limits that count failures per account and per IP, and the
 * audit log), and only active admins pass. A user's, a suspended admin's, a wrong password and an
 * unknown address all get the same answer. The password is only the first step: the session then
 * holds a pending sign-in, and the second step (second-step.ts: the authenticator app's code, or
 * setting the app up at an operator's first sign-in) completes it. Each step gets a new session
 * id, so a session id planted before it is worth nothing; like the API, the completed sign-in
 * also gets the device cookie that keeps this browser's own allowance of failures when someone
 * else spends the account's. It is the API's one device cookie (set at both sign-in paths), so a
 * browser that proved the password in the web app is known here too.
 *
 * After sign-in, every request checks again that the account is an active admin and that the
 * sign-in is under 12 hours old: a suspension or a demotion ends a panel session on its next
 * request. A pending sign-in opens nothing: the gate sends it back to its step.
 *
 * A page asked for without a live session (a bookmark, a link in a ticket, a session that ended
 * during an edit) is where sign-in leads back to: the gate sends the browser to
 * `/cp/login?next=<the page>`, and AdminJS's own reload after its "session expired" notice
 * arrives with the page it left in Referer. Only a path under the panel is followed, never the
 * sign-in or sign-out page, never another origin. A refused sign-in keeps the address typed.
 */
import { parse as parseCookies } from 'cookie';
import type AdminJS from 'adminjs';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import {
  type AuthService,
  auditClient,
  DEVICE_COOKIE,
  LoginFailed,
  TooManyRequests,
  type TotpService,
  type UsersRepository,
} from '@nuell/api';
import { type PanelConfig, SESSION_MAX_MS } from '../config.js';
import { signOutPage } from './second-step-pages.js';
import { isLive, LEGACY_DEVICE_COOKIE, secondStepRoutes, stepPath } from './second-step.js';

const MAX_EMAIL = 254;
const MAX_PASSWORD = 1024;

export interface SignInDependencies {
  readonly admin: AdminJS;
  readonly auth: AuthService;
  readonly totp: TotpService;
  readonly users: UsersRepository;
  readonly config: PanelConfig;
}

/**
 * Text for the sign-in page's state, which AdminJS writes into an inline script as part of a
 * quoted JSON string: percent-encoded down to letters, digits and `-_.%`, so nothing in it can
 * end the string or the script. The page decodes it (components/login.tsx).
 */
export function forLoginPage(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * A page of the panel to return to after sign-in, as a path and query, or null: only a panel
 * path on the panel's own origin, not the sign-in or sign-out pages nor the JSON API (a
 * request of a page, not a page).
 */
export function returnPath(
  value: unknown,
  paths: { rootPath: string; loginPath: string; logoutPath: string },
): string | null {
  if (
    typeof value !== 'string' ||
    value === '' ||
    value.length > 2_000 ||
    !value.startsWith('/') ||
    value.startsWith('//')
  )
    return null;
  const base = 'http://panel.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return null;
  }
  const { rootPath, loginPath, logoutPath } = paths;
  const path = url.pathname;
  if (url.origin !== base || value.includes('\\')) return null;
  if (path !== rootPath && !path.startsWith(`${rootPath}/`)) return null;
  const bare = path.replace(/\/+$/, '');
  if ([loginPath, logoutPath].includes(bare) || bare.startsWith(`${loginPath}/`) || path.startsWith(`${rootPath}/api/`))
    return null;
  return `${path}${url.search}`;
}

/** The panel page a request came from (its Referer, when it is one of the panel's origins). */
function refererPath(request: Request, origins: readonly string[]): string | null {
  const referer = request.headers.referer;
  if (!referer) return null;
  try {
    const url = new URL(referer);
    return origins.includes(url.origin) ? `${url.pathname}${url.search}` : null;
  } catch {
    return null;
  }
}

/** A form field as given; null when it cannot be an e-mail or a password (empty, too long, a NUL). */
function field(body: unknown, name: string, max: number): string | null {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' && value.length <= max && !value.includes('\0') ? value : null;
}

export function signInRoutes(router: Router, deps: SignInDependencies): void {
  const { admin, auth, totp, config } = deps;
  const { loginPath, rootPath, logoutPath } = admin.options;
  const paths = { rootPath, loginPath, logoutPath };
  /** The sign-in page; `email` is what was typed (kept after a refusal), `back` the page to return to. */
  const page = (
    response: Response,
    status: number,
    errorMessage: string | null,
    { email, back }: { email?: string | null; back?: string | null } = {},
  ) =>
    admin
      .renderLogin({
        action: back ? `${loginPath}?next=${forLoginPage(back)}` : loginPath,
        errorMessage,
        ...(email ? { email: forLoginPage(email) } : {}),
        ...(back ? { next: forLoginPage(back) } : {}),
      })
      .then((html) => response.status(status).send(html));
  const relative = (path: string) => path.slice(rootPath.length);
  /** Where to go after sign-in: `next` in the query, else the panel page the browser came from. */
  const backTo = (request: Request) =>
    returnPath(request.query.next, paths) ?? returnPath(refererPath(request, config.origins), paths);

  router.get(relative(loginPath), (request, response, next) => {
    page(response, 200, null, { back: backTo(request) }).catch(next);
  });

  secondStepRoutes(router, deps, {
    passwordPage: (response, status, message, back) => page(response, status, message, { back }),
  });

  router.post(
    relative(loginPath),
    express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 }),
    (request: Request, response: Response, next) => {
      const email = field(request.body, 'email', MAX_EMAIL);
      const password = field(request.body, 'password', MAX_PASSWORD);
      const back = returnPath(request.query.next, paths);
      // What was typed stays in the form (a password manager's fill, or the operator's typing).
      const kept = { email, back };
      if (email === null || password === null) {
        // Nothing that could be an account was given: refused before any look-up (a NUL would
        // otherwise reach PostgreSQL, which cannot take one).
        page(response, 400, 'invalidCredentials', kept).catch(next);
        return;
      }
      const client = auditClient(request.ip, request.headers['user-agent']);
      const cookies = parseCookies(request.headers.cookie ?? '');
      auth
        .checkOperatorCredentials(email, password, client, cookies[DEVICE_COOKIE] ?? cookies[LEGACY_DEVICE_COOKIE])
        .then(
          ({ user, deviceCookie }) => {
            // The password is right: the session holds a pending sign-in, under a new id, and
            // the second step (the app's code, or setting the app up) completes it.
            totp.status(user.id).then((status) => {
              const step = status.enabled ? 'code' : 'enrol';
              request.session.regenerate((error) => {
                if (error) {
                  next(error);
                  return;
                }
                request.session.pendingSignIn = {
                  userId: user.id,
                  email: user.email,
                  at: Date.now(),
                  step,
                  back,
                  deviceCookie,
                };
                request.session.save((saveError) => {
                  if (saveError) next(saveError);
                  else response.redirect(302, stepPath(loginPath, step));
                });
              });
            }, next);
          },
          (error: unknown) => {
            if (error instanceof TooManyRequests) {
              response.setHeader('Retry-After', String(error.retryAfterSeconds));
              page(response, 429, 'tooManyRequests', kept).catch(next);
            } else if (error instanceof LoginFailed) {
              page(response, 401, 'invalidCredentials', kept).catch(next);
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

/**
 * Lets a request through only for a live sign-in of an account that is still an active admin.
 * Anyone else goes to the sign-in page, which leads back to the page asked for (for a request of
 * the JSON API, the page it was made from).
 */
export function operatorGate({ admin, users, config }: SignInDependencies): RequestHandler {
  const { loginPath, rootPath, logoutPath } = admin.options;
  const paths = { rootPath, loginPath, logoutPath };
  const signIn = (request: Request) => {
    const back = returnPath(request.originalUrl, paths) ?? returnPath(refererPath(request, config.origins), paths);
    return back ? `${loginPath}?next=${encodeURIComponent(back)}` : loginPath;
  };
  return (request, response, next) => {
    // Between the password and the second step: back to the step, the pending sign-in kept.
    const pending = request.session.pendingSignIn;
    if (!request.session.adminUser && isLive(pending)) {
      response.redirect(302, stepPath(loginPath, pending.step));
      return;
    }
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
          response.redirect(302, signIn(request));
        });
      },
      (error: unknown) => {
        next(error);
      },
    );
  };
}
