/**
 * Request-count limits on the abuse-prone routes. A route opts in with @RateLimit(name); the limit
 * counts every request to it, per what it tracks (an IP or a user), not per route, in the shared
 * counters of rate-limits.ts. Routes without @RateLimit() (most of them, the feed included) cost
 * nothing. Like the access rules (policy/access.ts), the decorator sets both what the guard
 * enforces and the 429 the OpenAPI document shows, so the two cannot drift apart. Sign-in is
 * limited elsewhere (auth/sign-in-limiter.ts): it counts failures only, per account and per
 * device, which a counter in front of the handler cannot do.
 */
import { applyDecorators, type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ApiProblem } from '../http/problem-responses.js';
import type { AuthenticatedRequest } from '../policy/access.js';
import { ipLimitKey } from '../policy/client-address.js';
import { type LimitName, RateLimits } from './rate-limits.js';

export type RouteLimitName = Extract<
  LimitName,
  'signupIp' | 'passwordForgot' | 'verifyResend' | 'preview' | 'passwordCheck' | 'passkeyOptions'
>;
const LIMIT_KEY = 'nuell:rate-limit';

/** How the document words each limit's 429; a limit without its own wording says "Too Many Requests". */
const REFUSALS: Partial<Record<RouteLimitName, string>> = {
  signupIp: 'Too many sign-ups from this address',
  passwordCheck: 'Too many attempts to confirm the password',
  passkeyOptions: 'Too many passkey requests',
};

/** Applies this named limit to a route, and documents its 429. */
export const RateLimit = (name: RouteLimitName) =>
  applyDecorators(SetMetadata(LIMIT_KEY, name), ApiProblem(429, REFUSALS[name]));

type Tracker = (request: FastifyRequest) => string;

const byIp: Tracker = (request) => `ip:${ipLimitKey(request.ip)}`;
const byUser: Tracker = (request) => {
  const principal = (request as AuthenticatedRequest).principal;
  return principal ? `user:${principal.userId}` : byIp(request);
};

const TRACKERS: Record<RouteLimitName, Tracker> = {
  signupIp: byIp,
  passwordForgot: byIp,
  verifyResend: byUser,
  preview: byUser,
  passwordCheck: byUser,
  // Signed in (registration, step-up): per user; the sign-in itself has no user yet: per IP.
  passkeyOptions: byUser,
};

/**
 * Global guard, after the AuthGuard (so per-user limits know the user): counts the request
 * against the route's limit, or answers 429 with `Retry-After` (seconds).
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const name = this.reflector.get<RouteLimitName | undefined>(LIMIT_KEY, context.getHandler());
    if (name) await this.limits.consume(name, TRACKERS[name](context.switchToHttp().getRequest<FastifyRequest>()));
    return true;
  }
}
