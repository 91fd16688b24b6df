/**
 * Operators sign in at /cp/login with the API's own checks (AuthService.checkOperatorCredentials:
 * the argon2id hasher, the sign-in limits that count failures per account and per IP, and the
 * audit log), and only active admins pass. A user's, a banned admin's, a wrong password and an
 * unknown address all get the same answer. A successful sign-in gets a new session id, so a
 * session id planted before it is worth nothing; like the API, it also gets a device cookie that
 * keeps this browser's own allowance of failures when someone else spends the account's.
 *
 * After sign-in, every request checks again that the account is an active admin and that the
 * sign-in is under 12 hours old: a ban or a demotion ends a panel session on its next request.
 */
import { parse as parseCookies } from 'cookie';
import type AdminJS from 'adminjs';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { type AuthService, LoginFailed, TooManyRequests, type UsersRepository } from '@nuell/api';
import { type PanelConfig, SESSION_MAX_MS } from '../config.js';

/** Like the API's `device` cookie (auth-cookies.ts in the API), for the panel's sign-in only. */
export const DEVICE_COOKIE = 'panel_device';
const DEVICE_COOKIE_MAX_AGE_MS = 365 * 86_400_000;
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

function field(body: unknown, name: string, max: number): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' && value.length <= max ? value : undefined;
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
      if (email === undefined || password === undefined) {
        page(response, 401, 'invalidCredentials').catch(next);
        return;
      }
      const agent = request.headers['user-agent'];
      const client = { ip: request.ip ?? null, userAgent: typeof agent === 'string' ? agent.slice(0, 512) : null };
      const device = parseCookies(request.headers.cookie ?? '')[DEVICE_COOKIE];
      auth.checkOperatorCredentials(email, password, client, device).then(
        ({ user, deviceCookie }) => {
          response.cookie(DEVICE_COOKIE, deviceCookie, {
            httpOnly: true,
            sameSite: 'strict',
            secure: config.secureCookies,
            path: loginPath,
            maxAge: DEVICE_COOKIE_MAX_AGE_MS,
          });
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

  router.get(relative(logoutPath), (request, response) => {
    request.session.destroy(() => {
      response.redirect(302, loginPath);
    });
  });
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
