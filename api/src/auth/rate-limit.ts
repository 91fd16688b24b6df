/**
 * Rate limits on the abuse-prone routes, with @nestjs/throttler. Each limit is a named throttler
 * that only routes opting in with @RateLimit() use; its counter key is the limit's name plus what
 * it tracks (an IP, an account, a user), not the route, so `/auth/login` and the OAuth password
 * grant share one counter per account. Counters live in ThrottlerStorage: the in-memory default
 * serves one API instance; several instances need a shared implementation (see docs/security.md).
 */
import { applyDecorators, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import {
  ThrottlerException,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
} from '@nestjs/throttler';

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/config.js';
import type { AuthenticatedRequest } from './auth.decorators.js';

export type LimitName = keyof AppConfig['rateLimits'];
const LIMITS_KEY = 'nuell:rate-limits';

/** Applies these named limits to a route. */
export const RateLimit = (...names: LimitName[]) => applyDecorators(SetMetadata(LIMITS_KEY, names));

type Tracker = (request: FastifyRequest) => string | null;

/** The e-mail a password attempt is for: `email` (JSON login) or `username` (OAuth password grant). */
function accountOf(request: FastifyRequest): string | null {
  const body = request.body as Record<string, unknown> | undefined;
  const id = body?.email ?? (body?.grant_type === 'password' ? body.username : undefined);
  return typeof id === 'string' && id.trim() !== '' ? `account:${id.trim().toLowerCase()}` : null;
}

const byIp: Tracker = (request) => `ip:${request.ip}`;
/** Password grants only: refresh-token grants at /auth/token are not sign-in attempts. */
const passwordAttemptByIp: Tracker = (request) => {
  const body = request.body as Record<string, unknown> | undefined;
  return body?.grant_type === 'refresh_token' ? null : byIp(request);
};
const byUser: Tracker = (request) => {
  const principal = (request as AuthenticatedRequest).principal;
  return principal ? `user:${principal.userId}` : byIp(request);
};

const TRACKERS: Record<LimitName, Tracker> = {
  loginAccount: accountOf,
  loginIp: passwordAttemptByIp,
  signupIp: byIp,
  passwordForgot: byIp,
  verifyResend: byUser,
  preview: byUser,
  passwordCheck: byUser,
};

function trackerFor(name: LimitName, context: ExecutionContext): string | null {
  const handler = context.getHandler();
  const names = (Reflect.getMetadata(LIMITS_KEY, handler) as LimitName[] | undefined) ?? [];
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

  protected override throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire || detail.timeToExpire));
    void reply.header('retry-after', String(seconds));
    throw new ThrottlerException(`Too many attempts. Try again in ${seconds} seconds.`);
  }
}
