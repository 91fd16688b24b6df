/**
 * Reads a token request (RFC 6749 §4.3, §6): a form-encoded body whose fields must each come once,
 * as strings. Whatever is wrong with it is an OAuthError, checked in the order clients expect: the
 * content type, the grant type, the scope, then the grant's own fields.
 */
import { FIRST_PARTY_SCOPES, isScope, type Scope } from '../policy/scopes.js';
import { OAuthError } from './oauth-errors.js';

export type TokenRequest =
  | { readonly grant: 'password'; readonly username: string; readonly password: string; readonly scopes?: Scope[] }
  | { readonly grant: 'refresh_token'; readonly refreshToken: string; readonly scopes?: Scope[] };

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

export function readTokenRequest(contentType: string | undefined, body: unknown): TokenRequest {
  if (!contentType?.startsWith('application/x-www-form-urlencoded')) {
    throw new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded');
  }
  const form = (body ?? {}) as Record<string, unknown>;
  const grant = required(form, 'grant_type');
  const scopes = parseScope(field(form, 'scope'));
  const scoped = scopes ? { scopes } : {};
  if (grant === 'password') {
    return { grant, username: required(form, 'username'), password: required(form, 'password'), ...scoped };
  }
  if (grant === 'refresh_token') return { grant, refreshToken: required(form, 'refresh_token'), ...scoped };
  throw new OAuthError('unsupported_grant_type', `grant_type ${grant} is not supported; use password or refresh_token`);
}
