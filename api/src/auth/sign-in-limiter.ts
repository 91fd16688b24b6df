/**
 * Limits password sign-ins (the JSON sign-in and the OAuth password grant alike) the way OWASP's
 * "device cookie" design does, so that guessing is slow but nobody can lock an owner out:
 *
 * - Only failures count. An attempt reserves one unit in each bucket it belongs to before the
 *   password is checked (so a burst of parallel guesses cannot all slip past the count) and a
 *   success gives the units back.
 * - A browser that has proven an account's password holds a device cookie for that account. Its
 *   failures count against its own bucket (RATE_LIMIT_LOGIN_DEVICE), and a successful sign-in
 *   clears that bucket.
 * - Every other attempt counts against the account's bucket for unknown devices
 *   (RATE_LIMIT_LOGIN_ACCOUNT). An attacker who spends it blocks only unknown devices: the owner's
 *   browser keeps its own allowance.
 * - Every attempt also counts against its client IP (RATE_LIMIT_LOGIN_IP), whatever the account.
 *
 * The account key is the id of the account whose password is checked (or the normalised address
 * when no account has it), decided by the same look-up that finds the password hash, so nothing
 * else in the request can move the count elsewhere.
 */
import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { AppConfig, RateLimit } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { TooManyRequests } from '../http/problem.js';

export interface SignInKeys {
  /** `user:<id>`, or `email:<normalised address>` when no account has the address. */
  readonly account: string;
  readonly ip: string;
  /** The device id from a valid device cookie for this account, if the request has one. */
  readonly device: string | null;
}

/** A reserved attempt. Unless it succeeds, its units stay spent: that is what a failure is. */
export interface SignInAttempt {
  /** The password was right: the attempt does not count, and its device starts afresh. */
  succeeded(): Promise<void>;
}

const bucket = (limit: RateLimit) => new RateLimiterMemory({ points: limit.limit, duration: limit.ttlMs / 1000 });

@Injectable()
export class SignInLimiter {
  private readonly byAccount: RateLimiterMemory;
  private readonly byDevice: RateLimiterMemory;
  private readonly byIp: RateLimiterMemory;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.byAccount = bucket(config.rateLimits.loginAccount);
    this.byDevice = bucket(config.rateLimits.loginDevice);
    this.byIp = bucket(config.rateLimits.loginIp);
  }

  /** Reserves the attempt, or throws TooManyRequests (and reserves nothing) when a bucket is spent. */
  async begin(keys: SignInKeys): Promise<SignInAttempt> {
    const reserved: [RateLimiterMemory, string][] = [
      [this.byIp, keys.ip],
      keys.device === null ? [this.byAccount, keys.account] : [this.byDevice, keys.device],
    ];
    const results = await Promise.allSettled(reserved.map(([limiter, key]) => limiter.consume(key)));
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    const giveBack = () => Promise.all(reserved.map(([limiter, key]) => limiter.reward(key)));
    if (refused.length > 0) {
      await giveBack(); // a refused attempt checked no password
      const waitMs = Math.max(...refused.map((r) => (r instanceof RateLimiterRes ? r.msBeforeNext : 1000)));
      throw new TooManyRequests(Math.max(1, Math.ceil(waitMs / 1000)));
    }
    return {
      succeeded: async () => {
        await giveBack();
        if (keys.device !== null) await this.byDevice.delete(keys.device);
      },
    };
  }
}
