/**
 * The second step of an operator's sign-in. Operators can change every account, so the panel
 * never opens on a password alone: once the password is proven (sign-in.ts), the session holds
 * only a pending sign-in (`pendingSignIn`: who, since when, which step) and no operator, and the
 * operator gate lets nothing through on it. An operator with an authenticator app enters its
 * code (or a recovery code) at /cp/login/code, checked by the API's TotpService with the same
 * limits as passwords and the same refusal of a code used before. An operator without one sets
 * it up first at /cp/login/enrol (the QR code, the key to type, the first code), sees the ten
 * recovery codes once at /cp/login/enrolled, and is signed in on Continue.
 *
 * Each step must follow the one before within five minutes, and five wrong codes end the
 * pending sign-in, as an MFA ticket of the API ends; either way the operator starts again with
 * the password. Completing the sign-in gets a new session id again (the one the pending state
 * had is worth nothing after), the device cookie the password earned, and the page asked for.
 */
import { parse as parseCookies } from 'cookie';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { HttpException } from '@nestjs/common';
import {
  auditClient,
  DEVICE_COOKIE,
  DEVICE_COOKIE_MAX_AGE_SECONDS,
  DEVICE_COOKIE_PATHS,
  TooManyRequests,
  ValidationProblem,
} from '@nuell/api';
import type { PendingSignIn } from './panel-session.js';
import { codePage, enrolPage, recoveryCodesPage } from './second-step-pages.js';
import type { SignInDependencies } from './sign-in.js';

/** How long each step of a pending sign-in waits for the next. */
export const PENDING_SIGN_IN_MS = 5 * 60_000;
/** Wrong codes a pending sign-in takes before it ends (the API's MFA tickets take as many). */
export const PENDING_FAILURES = 5;
/** The panel's own device cookie before it shared the API's: still read, cleared at sign-in. */
export const LEGACY_DEVICE_COOKIE = 'panel_device';
const MAX_CODE = 64;

export const TOO_MANY = 'Too many failed sign-ins. Wait a few minutes and try again.';
/**
 * The password page's messages (keys of the panel's translations, admin-options.ts: the page's
 * state is written into an inline script, where only plain keys are certain to stay inert).
 */
export const EXPIRED = 'signInExpired';
export const TOO_MANY_CODES = 'tooManyWrongCodes';

type Step = PendingSignIn['step'];
type Pending = PendingSignIn & { readonly failures?: number };

/** The path of each step's page, under the sign-in page's. */
export function stepPath(loginPath: string, step: Step): string {
  return `${loginPath}/${step}`;
}

/** Whether a pending sign-in may still go on. */
export function isLive(pending: PendingSignIn | undefined): pending is PendingSignIn {
  return pending !== undefined && Date.now() - pending.at < PENDING_SIGN_IN_MS;
}

/**
 * The operator as the pages show it. The e-mail lands in an inline script of every AdminJS page
 * (see security-headers.ts), so an address that could close that script is not shown.
 */
export function shownEmail(email: string): string {
  return email.includes('<') ? 'operator' : email;
}

/** A code as typed; null when nothing usable was sent (empty, too long, a NUL). */
function typed(body: unknown, name: string): string | null {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value.trim() !== '' && value.length <= MAX_CODE && !value.includes('\0')
    ? value.trim()
    : null;
}

/** The sentence of a refused code, from the service's field error. */
function wrongCodeMessage(error: ValidationProblem): string {
  return error.errors.map((e) => e.detail).join(' ') || 'The code is incorrect or was already used.';
}

export interface SecondStepHelpers {
  /** The password page with a message key (a pending sign-in that ended), leading back to `back`. */
  readonly passwordPage: (response: Response, status: number, message: string, back: string | null) => Promise<unknown>;
}

export function secondStepRoutes(
  router: Router,
  { admin, auth, totp, config }: SignInDependencies,
  { passwordPage }: SecondStepHelpers,
): void {
  const { loginPath, rootPath } = admin.options;
  const relative = (path: string) => path.slice(rootPath.length);
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 5 });
  const clientOf = (request: Request) => auditClient(request.ip, request.headers['user-agent']);
  const cookiesOf = (request: Request) => parseCookies(request.headers.cookie ?? '');

  const save = (request: Request) =>
    new Promise<void>((resolve, reject) => {
      request.session.save((error) => {
        if (error) reject(error as Error);
        else resolve();
      });
    });

  /**
   * The pending sign-in of this step, or null after answering: no sign-in under way goes back to
   * the password page, one that expired says so there, one at another step goes to that step.
   */
  async function pendingAt(request: Request, response: Response, step: Step): Promise<Pending | null> {
    const pending = request.session.pendingSignIn as Pending | undefined;
    if (!pending) {
      response.redirect(302, loginPath);
      return null;
    }
    if (Date.now() - pending.at >= PENDING_SIGN_IN_MS) {
      delete request.session.pendingSignIn;
      await save(request);
      await passwordPage(response, 401, EXPIRED, pending.back);
      return null;
    }
    if (pending.step !== step) {
      response.redirect(302, stepPath(loginPath, pending.step));
      return null;
    }
    return pending;
  }

  /** A wrong code: counted, and after PENDING_FAILURES the sign-in starts again. */
  async function failed(request: Request, pending: Pending): Promise<boolean> {
    const failures = (pending.failures ?? 0) + 1;
    if (failures >= PENDING_FAILURES) {
      delete request.session.pendingSignIn;
      await save(request);
      return false;
    }
    request.session.pendingSignIn = { ...pending, failures } as PendingSignIn;
    await save(request);
    return true;
  }

  /**
   * The operator is in: audited (only now, with both factors proven), a new session id with the
   * operator in it, the device cookie, the page asked for.
   */
  async function complete(
    request: Request,
    response: Response,
    pending: PendingSignIn,
    method: 'totp' | 'recovery_code' | 'enrolment',
  ): Promise<void> {
    await auth.panelSignedIn(pending.userId, clientOf(request), method);
    for (const path of DEVICE_COOKIE_PATHS) {
      response.cookie(DEVICE_COOKIE, pending.deviceCookie, {
        httpOnly: true,
        sameSite: 'strict',
        secure: config.secureCookies,
        path,
        maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS * 1000,
      });
    }
    if (cookiesOf(request)[LEGACY_DEVICE_COOKIE] !== undefined)
      response.clearCookie(LEGACY_DEVICE_COOKIE, { path: loginPath });
    await new Promise<void>((resolve, reject) => {
      request.session.regenerate((error) => {
        if (error) reject(error as Error);
        else resolve();
      });
    });
    request.session.adminUser = { id: pending.userId, email: shownEmail(pending.email), title: 'Operator' };
    request.session.signedInAt = Date.now();
    await save(request);
    response.redirect(302, pending.back ?? rootPath);
  }

  /** Runs an async handler, passing what it throws to Express. */
  const handle =
    (run: (request: Request, response: Response) => Promise<unknown>) =>
    (request: Request, response: Response, next: NextFunction) => {
      run(request, response).catch(next);
    };

  const tooMany = (response: Response, error: TooManyRequests) => {
    response.setHeader('Retry-After', String(error.retryAfterSeconds));
    return TOO_MANY;
  };

  // The code from the app, or a recovery code (`?with=recovery-code`).
  const codePath = stepPath(loginPath, 'code');
  const showCode = (
    response: Response,
    status: number,
    pending: PendingSignIn,
    recovery: boolean,
    error: string | null,
  ) =>
    response
      .status(status)
      .type('html')
      .send(
        codePage({
          action: codePath,
          operator: pending.email,
          recovery,
          otherWay: recovery ? codePath : `${codePath}?with=recovery-code`,
          startAgain: loginPath,
          error,
        }),
      );

  router.get(
    relative(codePath),
    handle(async (request, response) => {
      const pending = await pendingAt(request, response, 'code');
      if (pending) showCode(response, 200, pending, request.query.with === 'recovery-code', null);
    }),
  );

  router.post(
    relative(codePath),
    form,
    handle(async (request, response) => {
      const pending = await pendingAt(request, response, 'code');
      if (!pending) return;
      const recoveryCode = typed(request.body, 'recoveryCode');
      const code = typed(request.body, 'code');
      // The form sent: the recovery-code form has a `recoveryCode` field, the app's has `code`.
      const recovery = recoveryCode !== null || (request.body as Record<string, unknown>).recoveryCode !== undefined;
      const input = recoveryCode !== null ? { recoveryCode } : code !== null ? { code } : null;
      if (input === null) {
        showCode(
          response,
          400,
          pending,
          recovery,
          recovery ? 'Enter one of your recovery codes.' : 'Enter the 6-digit code.',
        );
        return;
      }
      let method: 'totp' | 'recovery_code';
      try {
        method = await totp.verify(
          pending.userId,
          input,
          clientOf(request),
          cookiesOf(request)[DEVICE_COOKIE] ?? cookiesOf(request)[LEGACY_DEVICE_COOKIE],
        );
      } catch (error) {
        if (error instanceof TooManyRequests) {
          showCode(response, 429, pending, recovery, tooMany(response, error));
        } else if (error instanceof ValidationProblem) {
          if (await failed(request, pending)) showCode(response, 400, pending, recovery, wrongCodeMessage(error));
          else await passwordPage(response, 401, TOO_MANY_CODES, pending.back);
        } else throw error;
        return;
      }
      await complete(request, response, pending, method);
    }),
  );

  // An operator without an app sets one up: the same secret on every showing until confirmed.
  const enrolPath = stepPath(loginPath, 'enrol');
  const showEnrol = (
    response: Response,
    status: number,
    pending: PendingSignIn,
    { secret, otpauthUri }: NonNullable<PendingSignIn['enrolment']>,
    error: string | null,
  ) => {
    response
      .status(status)
      .type('html')
      .send(
        enrolPage({ action: enrolPath, operator: pending.email, secret, otpauthUri, startAgain: loginPath, error }),
      );
  };

  router.get(
    relative(enrolPath),
    handle(async (request, response) => {
      const pending = await pendingAt(request, response, 'enrol');
      if (!pending) return;
      let enrolment = pending.enrolment;
      if (!enrolment) {
        try {
          const begun = await totp.begin({ id: pending.userId, email: pending.email });
          enrolment = { secret: begun.secret, otpauthUri: begun.otpauthUri };
        } catch (error) {
          // Set up meanwhile (another browser): this sign-in asks for the code instead.
          if (error instanceof HttpException && error.getStatus() === 409) {
            request.session.pendingSignIn = { ...pending, step: 'code' };
            await save(request);
            response.redirect(302, codePath);
            return;
          }
          throw error;
        }
        request.session.pendingSignIn = { ...pending, enrolment };
        await save(request);
      }
      showEnrol(response, 200, pending, enrolment, null);
    }),
  );

  router.post(
    relative(enrolPath),
    form,
    handle(async (request, response) => {
      const pending = await pendingAt(request, response, 'enrol');
      if (!pending) return;
      const enrolment = pending.enrolment;
      if (!enrolment) {
        response.redirect(303, enrolPath);
        return;
      }
      const code = typed(request.body, 'code');
      if (code === null) {
        showEnrol(response, 400, pending, enrolment, 'Enter the 6-digit code your app shows.');
        return;
      }
      let codes: string[];
      try {
        codes = await totp.confirm(pending.userId, code, clientOf(request));
      } catch (error) {
        if (error instanceof TooManyRequests) showEnrol(response, 429, pending, enrolment, tooMany(response, error));
        else if (error instanceof ValidationProblem) {
          // A wrong first code sets nothing up: the same QR code stays, and no failure is counted
          // against the sign-in (the limits count them).
          showEnrol(
            response,
            400,
            pending,
            enrolment,
            `${wrongCodeMessage(error)} Check that the app's clock is right, and enter the code it shows now.`,
          );
        } else throw error;
        return;
      }
      // The recovery codes are in this answer only; the session keeps that the app is set up.
      request.session.pendingSignIn = {
        userId: pending.userId,
        email: pending.email,
        at: Date.now(),
        step: 'enrolled',
        back: pending.back,
        deviceCookie: pending.deviceCookie,
      };
      await save(request);
      response
        .status(200)
        .type('html')
        .send(recoveryCodesPage(stepPath(loginPath, 'enrolled'), codes));
    }),
  );

  // After the recovery codes: Continue completes the sign-in. A reload (or a return to the
  // panel) offers Continue again, without the codes, which were shown once.
  const enrolledPath = stepPath(loginPath, 'enrolled');
  router.get(
    relative(enrolledPath),
    handle(async (request, response) => {
      const pending = await pendingAt(request, response, 'enrolled');
      if (!pending) return;
      response.status(200).type('html').send(recoveryCodesPage(enrolledPath, []));
    }),
  );
  router.post(
    relative(enrolledPath),
    handle(async (request, response) => {
      const pending = await pendingAt(request, response, 'enrolled');
      if (pending) await complete(request, response, pending, 'enrolment');
    }),
  );
}
