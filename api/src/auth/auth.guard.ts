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
import type { Scope } from '../policy/scopes.js';
import { AccessTokenService, InvalidAccessToken } from './access-token.service.js';
import { SessionsRepository } from './sessions.repository.js';

/** Thrown for any authentication failure; the filter adds `WWW-Authenticate`. */
export class InvalidCredentials extends UnauthorizedException {
  constructor(detail = 'A valid access token is required.') {
    super(detail);
  }
}

/**
 * The global guard: every route needs a valid bearer token unless marked @Public() (a
 * @PublicReadsCaller() route checks a token only when one is sent). Beyond the
 * signature it checks, on every request, that the account is still active and the session was
 * not revoked, so a suspension, a password change or a sign-out takes effect on the very next request.
 * Roles and scopes come last (403).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenService,
    private readonly sessions: SessionsRepository,
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

    let claims;
    try {
      claims = await this.tokens.verify(token);
    } catch (error) {
      if (error instanceof InvalidAccessToken) throw new InvalidCredentials('The access token is invalid or expired.');
      throw error;
    }
    const account = await this.sessions.principalOf(claims.userId, claims.sessionId);
    if (!account) throw new InvalidCredentials('The session has ended; sign in again.');
    // The role comes from the database, so a demotion applies at once as well.
    const { role, verified } = account;
    request.principal = { ...claims, role, emailVerified: verified, via: 'session' };
    return request.principal;
  }
}
