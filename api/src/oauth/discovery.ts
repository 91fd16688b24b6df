import type { AppConfig } from '../config/config.js';
import { OIDC_SCOPES, API_SCOPES } from '../policy/scopes.js';
import { ID_TOKEN_ALG } from './signing-keys.service.js';
import { issuerOf } from './issuer.js';

/**
 * The authorization server's metadata (RFC 8414) and the OpenID Provider's (OpenID Connect
 * Discovery 1.0): one document serves both. The authorization endpoint is the web app's consent
 * page; the rest are the API's.
 */
export function discoveryDocument(config: AppConfig): Record<string, unknown> {
  const issuer = issuerOf(config);
  const api = `${issuer}/api/v1`;
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    token_endpoint: `${api}/auth/token`,
    userinfo_endpoint: `${api}/oauth/userinfo`,
    jwks_uri: `${api}/oauth/jwks`,
    revocation_endpoint: `${api}/oauth/revoke`,
    introspection_endpoint: `${api}/oauth/introspect`,
    scopes_supported: [...OIDC_SCOPES, ...API_SCOPES],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [ID_TOKEN_ALG],
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'nonce',
      'azp',
      'name',
      'email',
      'email_verified',
    ],
    authorization_response_iss_parameter_supported: true,
  };
}
