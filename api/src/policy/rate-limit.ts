/**
 * Request-count limits on the abuse-prone routes, with @nestjs/throttler. Each limit is a named
 * throttler that only routes opting in with @RateLimit() use; its counter key is the limit's name
 * plus what it tracks (an IP or a user), not the route. Counters live in ThrottlerStorage: the
 * in-memory default serves one API instance (see docs/security.md).
 *
 * Sign-in is limited elsewhere (sign-in-limiter.ts): it counts failures only, per account and per
 * device, which a request counter in front of the handler cannot do.
 */
import { applyDecorators, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerModuleOptions } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/config.js';
import { TooManyRequests } from '../http/problem.js';
import type { AuthenticatedRequest } from './access.js';

export type LimitName = 'signupIp' | 'passwordForgot' | 'verifyResend' | 'preview' | 'passwordCheck';
const LIMITS_KEY = 'nuell:rate-limits';

/** Applies these named limits to a route. */
export const RateLimit = (...names: LimitName[]) => applyDecorators(SetMetadata(LIMITS_KEY, names));

type Tracker = (request: FastifyRequest) => string;

const byIp: Tracker = (request) => `ip:${request.ip}`;
const byUser: Tracker = (request) => {
  const principal = (request as AuthenticatedRequest).principal;
  return principal ? `user:${principal.userId}` : byIp(request);
};

const TRACKERS: Record<LimitName, Tracker> = {
  signupIp: byIp,
  passwordForgot: byIp,
  verifyResend: byUser,
  preview: byUser,
  passwordCheck: byUser,
};

function trackerFor(name: LimitName, context: ExecutionContext): string | null {
  const names = (Reflect.getMetadata(LIMITS_KEY, context.getHandler()) as LimitName[] | undefined) ?? [];
  if (!names.includes(name)) return null;
  return TRACKERS[name](context.switchToHttp().getRequest<FastifyRequest>());
}

export function rateLimitOptions(config: AppConfig): ThrottlerModuleOptions {
  return {
    setHeaders: false,
    throttlers: (Object.keys(TRACKERS) as LimitName[]).map((name) => ({
      name,
      limit: config.rateLimits[name].limit,
      ttl: config.rateLimits[name].ttlMs,
      skipIf: (context: ExecutionContext) => trackerFor(name, context) === null,
      getTracker: (_request: Record<string, unknown>, context: ExecutionContext) => trackerFor(name, context) ?? '',
      generateKey: (_context: ExecutionContext, tracker: string) => `${name}|${tracker}`,
    })),
  };
}

/**
 * ThrottlerGuard that steps aside on routes without @RateLimit() (most of them, the feed
 * included) and answers 429 with a standard `Retry-After` (seconds) instead of per-limit headers.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  override canActivate(context: ExecutionContext): Promise<boolean> {
    if (!Reflect.hasMetadata(LIMITS_KEY, context.getHandler())) return Promise.resolve(true);
    return super.canActivate(context);
  }

  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new TooManyRequests(Math.max(1, Math.ceil(detail.timeToBlockExpire || detail.timeToExpire)));
  }
}
