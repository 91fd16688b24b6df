import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { TypedProblem } from '../http/problem.js';
import {
  type AuthenticatedRequest,
  PUBLIC_KEY,
  ROLES_KEY,
  SCOPES_KEY,
  type UserRole,
  VERIFIED_KEY,
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

/** 403 with its own problem type, so the web app can offer to resend the verification e-mail. */
export class EmailNotVerified extends TypedProblem {
  constructor() {
    super(
      403,
      'email-not-verified',
      'Verify your e-mail address before publishing: follow the link we sent you, or ask for a new one.',
    );
  }
}

/**
 * The global guard: every route needs a valid bearer token unless marked @Public(). Beyond the
 * signature it checks, on every request, that the account is still active and the session was
 * not revoked, so a ban, a password change or a sign-out takes effect on the very next request.
 * Roles, scopes and, where publishing, a verified address come last (403).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenService,
    private readonly sessions: SessionsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
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
    request.principal = { ...claims, role, emailVerified: verified };

    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(role)) throw new ForbiddenException('Your role does not allow this.');
    const scopes = this.reflector.getAllAndOverride<Scope[] | undefined>(SCOPES_KEY, targets);
    if (scopes?.some((s) => !claims.scopes.includes(s))) {
      throw new ForbiddenException(
        `This token lacks the scope ${scopes.filter((s) => !claims.scopes.includes(s)).join(' ')}.`,
      );
    }
    const publishing = this.reflector.getAllAndOverride<boolean | undefined>(VERIFIED_KEY, targets);
    if (publishing && this.config.requireVerifiedEmail && !verified) throw new EmailNotVerified();
    return true;
  }
}
