/**
 * Operator sessions: express-session with its store in PostgreSQL (connect-pg-simple, table
 * `panel_sessions`, created by the API's migrations), so any number of panel processes share them
 * and a restart signs nobody out. The cookie is httpOnly, SameSite=Strict, scoped to /cp, Secure
 * unless the panel is plain http on localhost; it lasts 30 minutes from the last request (server
 * side too), and the sign-in itself at most 12 hours (checked by the operator gate).
 */
import connectPgSimple from 'connect-pg-simple';
import type { CurrentAdmin } from 'adminjs';
import type { RequestHandler } from 'express';
import session from 'express-session';
import { type PanelConfig, ROOT_PATH, SESSION_IDLE_MS } from '../config.js';

export const SESSION_COOKIE = 'nuell_panel';

declare module 'express-session' {
  interface SessionData {
    /** The signed-in operator, as AdminJS reads it (its routes pass it to every action). */
    adminUser: CurrentAdmin & { id: string };
    /** When the operator signed in (epoch ms): a session never outlives SESSION_MAX_MS. */
    signedInAt: number;
    /**
     * A sign-in between its steps: the password is proven, the second factor not yet (see
     * second-step.ts). Never together with adminUser: nothing of the panel opens on it.
     */
    pendingSignIn: PendingSignIn;
  }
}

/** The sign-in's state between the password and the code (or the enrolment, then the recovery codes). */
export interface PendingSignIn {
  readonly userId: string;
  /** The address as the pages show it. */
  readonly email: string;
  /** When the last step was passed (epoch ms): the next must follow within PENDING_SIGN_IN_MS. */
  readonly at: number;
  /** `code`: asks for the app's code; `enrol`: sets up the app first; `enrolled`: shows the recovery codes. */
  readonly step: 'code' | 'enrol' | 'enrolled';
  /** The panel page to return to afterwards. */
  readonly back: string | null;
  /** The device cookie the password step earned, set once the sign-in is complete. */
  readonly deviceCookie: string;
  /** The enrolment's secret while the operator types its first code (the same QR code on a reload). */
  readonly enrolment?: { readonly secret: string; readonly otpauthUri: string };
}

export interface PanelSessions {
  readonly middleware: RequestHandler;
  close(): Promise<void>;
}

export function panelSessions(config: PanelConfig, onError: (message: string, error: unknown) => void): PanelSessions {
  const PgStore = connectPgSimple(session);
  const store = new PgStore({
    conObject: { connectionString: config.api.database.url, max: 4, connectionTimeoutMillis: 5_000 },
    tableName: 'panel_sessions',
    createTableIfMissing: false,
    errorLog: (message: string, error: unknown) => {
      onError(message, error);
    },
  });
  const middleware = session({
    store,
    name: SESSION_COOKIE,
    secret: config.sessionSecret,
    resave: false,
    saveUninitialized: false,
    // Every answer pushes the expiry on: 30 minutes idle, not 30 minutes after sign-in.
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'strict',
      path: ROOT_PATH,
      secure: config.secureCookies,
      maxAge: SESSION_IDLE_MS,
    },
  });
  // Typed as returning nothing, but it ends the pool asynchronously.
  const closeStore = store.close.bind(store) as () => Promise<void>;
  return { middleware, close: closeStore };
}
