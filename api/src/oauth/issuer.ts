import type { AppConfig } from '../config/config.js';

/**
 * The authorization server's issuer identifier (RFC 8414, OpenID Connect Discovery): the public
 * origin, without a trailing slash, as `iss` in ID tokens and authorization responses (RFC 9207).
 */
export const issuerOf = (config: AppConfig): string => new URL(config.publicUrl).origin;
