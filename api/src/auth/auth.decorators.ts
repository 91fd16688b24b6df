import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { UserRole } from '../users/user.entity.js';
import type { Scope } from './scopes.js';

export const PUBLIC_KEY = 'nuell:public';
export const ROLES_KEY = 'nuell:roles';
export const SCOPES_KEY = 'nuell:scopes';
export const VERIFIED_KEY = 'nuell:verified-email';

/** Open to anyone: every other route needs a valid access token (deny by default). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Only these roles may call the route (403 otherwise). */
export const Roles = (...roles: UserRole[]) => SetMetadata(ROLES_KEY, roles);

/** The access token must carry every one of these scopes (403 otherwise). */
export const Scopes = (...scopes: Scope[]) => SetMetadata(SCOPES_KEY, scopes);

/**
 * Publishing: the account's e-mail address must be verified (403 `email-not-verified` otherwise),
 * unless REQUIRE_VERIFIED_EMAIL is false. Keeps sign-up from being a spam tool.
 */
export const RequiresVerifiedEmail = () => SetMetadata(VERIFIED_KEY, true);

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
