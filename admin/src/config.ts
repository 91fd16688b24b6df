/**
 * The panel's configuration: the API's (database, secrets, mail, sign-in limits, argon2; the
 * panel runs the API's services, so it validates the same variables the same way) plus the two
 * variables of its own, where the panel listens and where operators open it.
 */
import { createHmac } from 'node:crypto';
import { type AppConfig, ConfigError, loadConfig } from '@nuell/api';

export const ROOT_PATH = '/cp';
/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = 30 * 60_000;
/** …and this long after its sign-in, whatever happens. */
export const SESSION_MAX_MS = 12 * 3_600_000;

export interface PanelConfig {
  readonly api: AppConfig;
  readonly host: string;
  readonly port: number;
  /** Where operators open the panel, e.g. https://example.com/cp. */
  readonly url: string;
  /** Origins whose requests may change anything (the panel's own). */
  readonly origins: readonly string[];
  /** The session cookie is Secure unless the panel is plain http on localhost. */
  readonly secureCookies: boolean;
  /** Signs the session cookie; derived from JWT_SECRET, so there is no other secret to manage. */
  readonly sessionSecret: string;
}

const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
const DEFAULT_PORT = 3002;

/**
 * The variables the panel reads beyond the API's, with the default each takes when unset, as it
 * would be written in the environment (ADMIN_URL has none: it follows PUBLIC_URL).
 */
export function panelEnvironmentDefaults(): Record<string, string | undefined> {
  return { ADMIN_PORT: String(DEFAULT_PORT), ADMIN_URL: undefined };
}

function parsePort(value: string | undefined, problems: string[]): number {
  if (value === undefined || value === '') return DEFAULT_PORT;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) problems.push('ADMIN_PORT: must be a port number (1–65535)');
  return port;
}

function parseUrl(value: string, problems: string[]): URL | undefined {
  try {
    const url = new URL(value);
    if (!['http:', 'https:'].includes(url.protocol) || url.pathname.replace(/\/$/, '') !== ROOT_PATH) throw new Error();
    return url;
  } catch {
    problems.push(`ADMIN_URL: must be the panel's address, an http(s) origin followed by ${ROOT_PATH}`);
    return undefined;
  }
}

/**
 * Reads and validates the configuration; throws ConfigError naming every bad variable.
 *
 * - ADMIN_PORT (3002): where the panel listens, on HOST like the API.
 * - ADMIN_URL (PUBLIC_URL + /cp): where operators open it. Only its origin may change anything;
 *   in development the panel's own address (http://localhost:ADMIN_PORT) is accepted too, so it
 *   works with and without the web app's dev proxy in front.
 */
export function loadPanelConfig(source: NodeJS.ProcessEnv = process.env): PanelConfig {
  const problems: string[] = [];
  let api: AppConfig | undefined;
  try {
    api = loadConfig(source);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const port = parsePort(source.ADMIN_PORT, problems);
  // Unset, ADMIN_URL follows PUBLIC_URL, which the API's configuration has already judged.
  const adminUrl = source.ADMIN_URL || (api && `${api.publicUrl}${ROOT_PATH}`);
  const url = adminUrl ? parseUrl(adminUrl, problems) : undefined;
  if (problems.length > 0 || !api || !url) throw new ConfigError(problems);

  const origins = new Set([url.origin]);
  if (api.env === 'development') {
    origins.add(`http://localhost:${port}`);
    origins.add(`http://127.0.0.1:${port}`);
  }
  return Object.freeze({
    api,
    host: api.host,
    port,
    url: `${url.origin}${ROOT_PATH}`,
    origins: [...origins],
    secureCookies: !(url.protocol === 'http:' && LOCAL_HOSTS.includes(url.hostname)),
    sessionSecret: createHmac('sha256', api.jwt.secret).update('nuell panel session v1').digest('base64url'),
  });
}
