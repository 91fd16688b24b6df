/**
 * What an app may be allowed: the API scopes and the OpenID Connect ones, never `account` (a rogue
 * app must not be able to take an account over).
 */
import { API_SCOPES, OIDC_SCOPES, type Scope } from '../policy/scopes.js';

export const APP_SCOPES = [...API_SCOPES, ...OIDC_SCOPES] as const satisfies readonly Scope[];
export type AppScope = (typeof APP_SCOPES)[number];

export const isAppScope = (value: string): value is AppScope => (APP_SCOPES as readonly string[]).includes(value);
