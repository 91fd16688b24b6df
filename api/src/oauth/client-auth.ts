/**
 * How apps authenticate at the token, revocation and introspection endpoints (RFC 6749 §2.3):
 * `client_secret_basic` (HTTP Basic) and `client_secret_post` (client_id and client_secret in the
 * form), as two passport strategies run by @nestjs/passport, and public apps naming themselves
 * with client_id alone (they have no secret; PKCE protects their codes). Credentials that do not
 * name a registered app (`nuell_app_…`), such as the `nuell-cli` that first-party scripts send
 * with the password grant, are not an app's: the request goes on as a first-party one.
 */
import { type ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { BasicStrategy } from 'passport-http';
import { Strategy as ClientPasswordStrategy } from 'passport-oauth2-client-password';
import { InvalidClient, OAuthError } from '../auth/oauth-errors.js';
import { CLIENT_ID_PREFIX } from './client-credentials.js';
import type { OAuthClient } from './oauth-client.entity.js';
import { OAuthClientsService } from './oauth-clients.service.js';

/** Who called: an app proven by its credentials (or a public app by its id), or nobody in particular. */
export type ClientCaller = { readonly app: OAuthClient } | { readonly app: null };

const FIRST_PARTY: ClientCaller = { app: null };

/** Checks one pair of credentials, whichever way they came. */
async function authenticate(clients: OAuthClientsService, clientId: unknown, secret: unknown): Promise<ClientCaller> {
  // The form parser makes a repeated field a list, and a JSON body may hold anything: only text is a credential.
  if (typeof clientId !== 'string' || typeof secret !== 'string') {
    throw new OAuthError('invalid_request', 'client_id and client_secret must each be given once, as text');
  }
  if (!clientId.startsWith(CLIENT_ID_PREFIX)) return FIRST_PARTY;
  const app = await clients.authenticate(clientId, secret);
  if (!app) throw new InvalidClient();
  return { app };
}

@Injectable()
export class ClientSecretBasicStrategy extends PassportStrategy(BasicStrategy, 'oauth-client-basic') {
  constructor(private readonly clients: OAuthClientsService) {
    super();
  }

  validate(clientId: string, secret: string): Promise<ClientCaller> {
    // RFC 6749 §2.3.1: both are form-urlencoded before they are put in the header.
    return authenticate(this.clients, decode(clientId), decode(secret));
  }
}

@Injectable()
export class ClientSecretPostStrategy extends PassportStrategy(ClientPasswordStrategy, 'oauth-client-post') {
  constructor(private readonly clients: OAuthClientsService) {
    super();
  }

  validate(clientId: unknown, secret: unknown): Promise<ClientCaller> {
    return authenticate(this.clients, clientId, secret);
  }
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/**
 * Runs both strategies; when neither found credentials, a public app may name itself with
 * client_id alone. Sets `request.caller` (ClientCaller). Wrong credentials: invalid_client (401).
 */
@Injectable()
export class ClientAuthGuard extends AuthGuard(['oauth-client-basic', 'oauth-client-post']) {
  constructor(private readonly clients: OAuthClientsService) {
    super({ property: 'caller', session: false });
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { caller?: ClientCaller }>();
    const body = (request.body ?? {}) as Record<string, unknown>;
    const header = request.headers.authorization;
    // Two ways at once is refused (RFC 6749 §2.3: "MUST NOT use more than one").
    if (header?.toLowerCase().startsWith('basic ') && body.client_secret !== undefined) {
      throw new InvalidClient('send the client credentials one way only');
    }
    await super.canActivate(context);
    if (request.caller?.app === null && typeof body.client_id === 'string' && body.client_secret === undefined) {
      if (body.client_id.startsWith(CLIENT_ID_PREFIX)) {
        const app = await this.clients.authenticate(body.client_id, undefined);
        if (!app) throw new InvalidClient();
        request.caller = { app };
      }
    }
    return true;
  }

  override handleRequest<T>(error: unknown, caller: T | false): T {
    if (error instanceof Error) throw error;
    if (error) throw new InvalidClient();
    return caller || (FIRST_PARTY as T);
  }
}

/** The caller the guard established. */
export const callerOf = (request: FastifyRequest): ClientCaller =>
  (request as FastifyRequest & { caller?: ClientCaller }).caller ?? FIRST_PARTY;
