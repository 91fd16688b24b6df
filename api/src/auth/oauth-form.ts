/**
 * Reads a token request (RFC 6749 §4.1.3, §4.3, §6): a form-encoded body whose fields must each
 * come once, as strings. Whatever is wrong with it is an OAuthError, checked in the order clients
 * expect: the content type, the grant type, the scope, then the grant's own fields. A registered
 * app (authenticated by client-auth.ts) may use the authorization code and its own refresh tokens,
 * with the scopes apps have; a first-party client the password grant and the session's refresh.
 */
import { FIRST_PARTY_SCOPES, isScope, type Scope } from '../policy/scopes.js';
import { InvalidClient, OAuthError } from './oauth-errors.js';

export type TokenRequest =
  | { readonly grant: 'password'; readonly username: string; readonly password: string; readonly scopes?: Scope[] }
  | { readonly grant: 'refresh_token'; readonly refreshToken: string; readonly scopes?: Scope[] }
  | {
      readonly grant: 'authorization_code';
      readonly code: string;
      readonly redirectUri: string | undefined;
      readonly codeVerifier: string | undefined;
    };

function field(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new OAuthError('invalid_request', `${name} must be given once, as a string`);
  return value;
}

function required(body: Record<string, unknown>, name: string): string {
  const value = field(body, name);
  if (!value) throw new OAuthError('invalid_request', `${name} is required`);
  return value;
}

/**
 * The scopes a password or refresh grant asks for: first-party ones only. `profile` is read as it
 * meant before the API scopes were split (read and change the profile, manage the account), so
 * scripts written against that keep working.
 */
function parseScope(value: string | undefined): Scope[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const requested = value
    .trim()
    .split(/\s+/)
    .flatMap((s) => (s === 'profile' ? ['profile:read', 'profile:write', 'account'] : [s]));
  const unknown = requested.filter((s) => !isScope(s));
  if (unknown.length > 0) throw new OAuthError('invalid_scope', `unknown scope: ${unknown.join(' ')}`);
  const appOnly = requested.filter((s) => !(FIRST_PARTY_SCOPES as readonly string[]).includes(s));
  if (appOnly.length > 0) {
    throw new OAuthError('invalid_scope', `${appOnly.join(' ')}: only for apps, through the authorization code flow`);
  }
  return [...new Set(requested as Scope[])];
}

/** The scopes an app's refresh asks for: known ones, taken as they are (`profile` is OpenID Connect's). */
function parseAppScope(value: string | undefined): Scope[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const requested = value.trim().split(/\s+/);
  const unknown = requested.filter((s) => !isScope(s));
  if (unknown.length > 0) throw new OAuthError('invalid_scope', `unknown scope: ${unknown.join(' ')}`);
  return [...new Set(requested as Scope[])];
}

/** `forApp`: the caller authenticated as a registered app. */
export function readTokenRequest(contentType: string | undefined, body: unknown, forApp = false): TokenRequest {
  if (!contentType?.startsWith('application/x-www-form-urlencoded')) {
    throw new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded');
  }
  const form = (body ?? {}) as Record<string, unknown>;
  const grant = required(form, 'grant_type');
  if (grant === 'authorization_code') {
    if (!forApp) throw new InvalidClient('the authorization code grant needs the app’s client_id');
    return {
      grant,
      code: required(form, 'code'),
      redirectUri: field(form, 'redirect_uri'),
      codeVerifier: field(form, 'code_verifier'),
    };
  }
  if (forApp && grant === 'password') {
    throw new OAuthError('unauthorized_client', 'apps use the authorization code grant, never the password grant');
  }
  const scopes = forApp ? parseAppScope(field(form, 'scope')) : parseScope(field(form, 'scope'));
  const scoped = scopes ? { scopes } : {};
  if (grant === 'password') {
    return { grant, username: required(form, 'username'), password: required(form, 'password'), ...scoped };
  }
  if (grant === 'refresh_token') return { grant, refreshToken: required(form, 'refresh_token'), ...scoped };
  throw new OAuthError(
    'unsupported_grant_type',
    `grant_type ${grant} is not supported; use authorization_code, refresh_token or password`,
  );
}
