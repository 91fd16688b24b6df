import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module.js';
import { RateLimitGuard } from './rate-limit.js';
import { RateLimits } from './rate-limits.js';

/**
 * Owns the rate-limit counters (RateLimits, in the `rate_limits` table or in memory) and the guard
 * that applies @RateLimit(). Whatever counts attempts (the guard, auth's sign-in limiter) imports
 * this module; the API registers the guard globally, after authentication (AuthHttpModule).
 */
@Module({
  imports: [MetricsModule],
  providers: [RateLimits, RateLimitGuard],
  exports: [RateLimits, RateLimitGuard],
})
export class RateLimitsModule {}
