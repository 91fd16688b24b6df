import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  type AuthenticatedRequest,
  type Principal,
  PUBLIC_KEY,
  READS_CALLER_KEY,
  ROLES_KEY,
  SCOPES_KEY,
  type UserRole,
} from '../policy/access.js';
import { isApiScope, type Scope } from '../policy/scopes.js';
import { PersonalAccessTokensRepository } from '../tokens/personal-access-tokens.repository.js';
import { hasValidChecksum, isPersonalAccessTokenLike } from '../tokens/token-format.js';
import { AccessTokenService, InvalidAccessToken } from './access-token.service.js';
import { hashToken } from './opaque-token.js';
import { SessionsRepository } from './sessions.repository.js';

/** Thrown for any authentication failure; the filter adds `WWW-Authenticate`. */
export class InvalidCredentials extends UnauthorizedException {
  constructor(detail = 'A valid access token is required.') {
    super(detail);
  }
}

/**
 * The global guard: every route needs a valid bearer token unless marked @Public() (a
 * @PublicReadsCaller() route checks a token only when one is sent). The bearer is an access token
 * (a JWT, of a first-party session or an app) or a personal access token (`nuell_pat_…`). Beyond
 * the signature it checks, on every request, that the account is still active and the session or
 * personal token was not revoked, so a suspension, a password change, a sign-out or a revocation
 * takes effect on the very next request. Roles and scopes come last (403).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenService,
    private readonly sessions: SessionsRepository,
    private readonly personalTokens: PersonalAccessTokensRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
      // A public route that reads its caller: a sent token must be valid, none means anonymous.
      const readsCaller = this.reflector.getAllAndOverride<boolean>(READS_CALLER_KEY, targets);
      if (readsCaller && request.headers.authorization !== undefined) await this.authenticate(request);
      return true;
    }

    const { role, scopes: granted } = await this.authenticate(request);
    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(role)) throw new ForbiddenException('Your role does not allow this.');
    const scopes = this.reflector.getAllAndOverride<Scope[] | undefined>(SCOPES_KEY, targets);
    if (scopes?.some((s) => !granted.includes(s))) {
      throw new ForbiddenException(
        `This token lacks the scope ${scopes.filter((s) => !granted.includes(s)).join(' ')}.`,
      );
    }
    return true;
  }

  /** The caller of a valid bearer token of a live session and active account, set on the request; 401 otherwise. */
  private async authenticate(request: AuthenticatedRequest): Promise<Principal> {
    const [scheme, token, extra] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token || extra !== undefined) throw new InvalidCredentials();
    request.principal = isPersonalAccessTokenLike(token)
      ? await this.personalAccessToken(token)
      : await this.accessToken(token);
    return request.principal;
  }

  /**
   * An access token (a JWT) of a live session: a first-party one (the web app, the password grant),
   * or an app's when it names the client it was issued to. The role comes from the database, so a
   * demotion applies at once; an app acts as `user` even for an operator's account, so an
   * operator's powers never pass to someone else's code.
   */
  private async accessToken(token: string): Promise<Principal> {
    let claims;
    try {
      claims = await this.tokens.verify(token);
    } catch (error) {
      if (error instanceof InvalidAccessToken) throw new InvalidCredentials('The access token is invalid or expired.');
      throw error;
    }
    const { userId, scopes, sessionId, clientId } = claims;
    // An app's token needs its family to be that app's, and the app not suspended (principalOf).
    const account = await this.sessions.principalOf(userId, sessionId, clientId);
    if (!account) throw new InvalidCredentials('The session has ended; sign in again.');
    const caller = { userId, scopes, sessionId, emailVerified: account.verified };
    return clientId === undefined
      ? { ...caller, role: account.role, via: 'session' }
      : { ...caller, role: 'user', via: 'app', clientId };
  }

  /**
   * A personal access token: a mistyped or made-up one is refused by its checksum without a query;
   * otherwise one statement finds it live, of an active account. It acts as `user` whatever the
   * account's role, and holds API scopes only, whatever its row says.
   */
  private async personalAccessToken(token: string): Promise<Principal> {
    if (!hasValidChecksum(token)) throw new InvalidCredentials('The personal access token is invalid.');
    const found = await this.personalTokens.authenticate(hashToken(token));
    if (!found) throw new InvalidCredentials('The personal access token is invalid, expired or revoked.');
    return {
      userId: found.userId,
      role: 'user',
      scopes: found.scopes.filter(isApiScope),
      sessionId: found.id,
      emailVerified: found.emailVerified,
      via: 'pat',
    };
  }
}
