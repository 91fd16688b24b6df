/**
 * Who may call a route: shared plumbing that every feature's controllers use, enforced by the
 * global AuthGuard (auth/auth.guard.ts). Routes are private by default; each access rule is one
 * decorator that sets both what the guard checks and what the OpenAPI document says, so the two
 * cannot drift apart.
 */
import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiOAuth2, ApiSecurity } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiProblem } from '../http/problem-responses.js';
import type { Scope } from './scopes.js';

export const USER_ROLES = ['user', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const PUBLIC_KEY = 'nuell:public';
export const ROLES_KEY = 'nuell:roles';
export const SCOPES_KEY = 'nuell:scopes';
export const READS_CALLER_KEY = 'nuell:reads-caller';

const UNAUTHENTICATED = 'Missing, invalid or expired access token, or an ended session';

/** Open to anyone: every other route needs a valid access token (deny by default). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/**
 * Open to anyone, but answering a signed-in caller more (an author sees their own draft): without
 * an Authorization header the caller is anonymous; with one, the token must be valid as on any
 * other route (401 otherwise, so a client refreshes an expired token rather than silently reading
 * as anyone). No scope is needed: the token only says who is asking. Read it with
 * @OptionalPrincipal().
 */
export const PublicReadsCaller = (whatTheCallerGets: string) =>
  applyDecorators(
    SetMetadata(PUBLIC_KEY, true),
    SetMetadata(READS_CALLER_KEY, true),
    // Either requirement: none, or a bearer token.
    ApiSecurity({}),
    ApiBearerAuth(),
    ApiProblem(
      401,
      `A token was sent but is invalid or expired, or its session ended (send none to read as anyone; signed in: ${whatTheCallerGets})`,
    ),
  );

export interface ScopeRule {
  /** Other reasons the route answers 403, for the document (the handler enforces them). */
  readonly forbidden?: string;
}

/** A signed-in caller whose token carries `scope` (403 otherwise). On a controller, every route. */
export function RequiresScope(scope: Scope, rule: ScopeRule = {}) {
  const refusals = [`the token lacks the ${scope} scope`, ...(rule.forbidden ? [rule.forbidden] : [])];
  return applyDecorators(
    SetMetadata(SCOPES_KEY, [scope]),
    ApiBearerAuth(),
    ApiOAuth2([scope]),
    ApiProblem(401, UNAUTHENTICATED),
    ApiProblem(403, `Refused: ${refusals.join('; ')}`),
  );
}

/** A signed-in caller with this role, read from the database on every request (403 otherwise). */
export const RequiresRole = (...roles: UserRole[]) =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth(),
    ApiProblem(401, UNAUTHENTICATED),
    ApiProblem(403, `Refused: only for ${roles.join(', ')}`),
  );

/**
 * How the caller signed in: a first-party session (the web app, the password grant), a personal
 * access token, or a third-party app's token.
 */
export type PrincipalVia = 'session' | 'pat' | 'app';

/** Who is calling, as the AuthGuard established it. */
export interface Principal {
  readonly userId: string;
  /** The account's role for a session; always `user` for a personal access token or an app. */
  readonly role: UserRole;
  readonly scopes: readonly Scope[];
  /** The session (refresh-token family) for a session or an app; the token's id for a personal access token. */
  readonly sessionId: string;
  readonly emailVerified: boolean;
  readonly via: PrincipalVia;
  /** The app's client_id when `via` is `app`. */
  readonly clientId?: string;
}

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a public route');
  return principal;
});

/** Who is calling on a @PublicReadsCaller() route: undefined for an anonymous caller. */
export const OptionalPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().principal,
);
