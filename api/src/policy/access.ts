/**
 * Who may call a route: shared plumbing that every feature's controllers use, enforced by the
 * global AuthGuard (auth/auth.guard.ts). Routes are private by default; each access rule is one
 * decorator that sets both what the guard checks and what the OpenAPI document says, so the two
 * cannot drift apart.
 */
import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiOAuth2 } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiProblem } from '../http/problem-responses.js';
import type { Scope } from './scopes.js';

export const USER_ROLES = ['user', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const PUBLIC_KEY = 'nuell:public';
export const ROLES_KEY = 'nuell:roles';
export const SCOPES_KEY = 'nuell:scopes';
export const VERIFIED_KEY = 'nuell:verified-email';

const UNAUTHENTICATED = 'Missing, invalid or expired access token, or an ended session';

/** Open to anyone: every other route needs a valid access token (deny by default). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export interface ScopeRule {
  /**
   * Publishing: the account's e-mail address must be verified (403 `email-not-verified`
   * otherwise), unless REQUIRE_VERIFIED_EMAIL is false. Keeps sign-up from being a spam tool.
   */
  readonly verifiedEmail?: boolean;
  /** Other reasons the route answers 403, for the document (the handler enforces them). */
  readonly forbidden?: string;
}

/** A signed-in caller whose token carries `scope` (403 otherwise). On a controller, every route. */
export function RequiresScope(scope: Scope, rule: ScopeRule = {}) {
  const refusals = [
    `the token lacks the ${scope} scope`,
    ...(rule.verifiedEmail ? ['the address is not verified yet (type …/problems/email-not-verified)'] : []),
    ...(rule.forbidden ? [rule.forbidden] : []),
  ];
  return applyDecorators(
    SetMetadata(SCOPES_KEY, [scope]),
    ...(rule.verifiedEmail ? [SetMetadata(VERIFIED_KEY, true)] : []),
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

/** Who is calling, as the AuthGuard established it. */
export interface Principal {
  readonly userId: string;
  readonly role: UserRole;
  readonly scopes: readonly Scope[];
  readonly sessionId: string;
  readonly emailVerified: boolean;
}

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a public route');
  return principal;
});
