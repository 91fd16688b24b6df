/**
 * Limits password sign-ins (the JSON sign-in, the OAuth password grant and the control panel's
 * sign-in alike) the way OWASP's "device cookie" design does, so that guessing is slow but nobody
 * can lock an owner out:
 *
 * - Only failures count. An attempt reserves one unit in each bucket it belongs to before the
 *   password is checked (so a burst of parallel guesses cannot all slip past the count) and a
 *   success gives the units back.
 * - A browser that has proven an account's password holds a device cookie for that account. Its
 *   attempts count against its own bucket only (RATE_LIMIT_LOGIN_DEVICE), and a successful
 *   sign-in clears that bucket: neither the account's budget for unknown devices nor the per-IP
 *   budget that everyone behind the same NAT shares can lock it out.
 * - Every other attempt counts against the account's bucket for unknown devices
 *   (RATE_LIMIT_LOGIN_ACCOUNT) and against its client IP (RATE_LIMIT_LOGIN_IP, whatever the
 *   account; an IPv6 client by its /64, see policy/client-address.ts). An attacker who spends
 *   them blocks only unknown devices: the owner's browser keeps its own allowance.
 *
 * - A second step (a code from the app or a recovery code) also counts against the account's own
 *   bucket for codes (RATE_LIMIT_SECOND_FACTOR), whatever the device. A right password clears a
 *   device's bucket, and a password reset the account's: without a bucket of their own, whoever
 *   knows the password could sign in again and again for fresh guesses at the codes.
 *
 * Counters are shared by every replica (rate-limits/rate-limits.ts). The account key is the id of
 * the account whose password is checked (or a hash of the normalised address when no account has
 * it), decided by the same look-up that finds the password hash, so nothing else in the request
 * can move the count elsewhere.
 */
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { EntityManager } from 'typeorm';
import { TooManyRequests } from '../http/problem.js';
import { ipLimitKey } from '../policy/client-address.js';
import { type LimitName, RateLimits, retryAfterSeconds, windowEndOf } from '../rate-limits/rate-limits.js';

export interface SignInKeys {
  /** `user:<id>`, or `email:<normalised address>` when no account has the address. */
  readonly account: string;
  /** The client's address as the socket (or a trusted proxy) reports it. */
  readonly ip: string | null;
  /** The device id from a valid device cookie for this account, if the request has one. */
  readonly device: string | null;
  /** A second step's code: counted in the account's bucket for codes as well. */
  readonly secondStep?: boolean;
}

/** A reserved attempt. Unless it succeeds, its units stay spent: that is what a failure is. */
export interface SignInAttempt {
  /** The password was right: the attempt does not count, and its device starts afresh. */
  succeeded(): Promise<void>;
}

/** A counter key of bounded length for an address nobody has: the address itself may be long. */
export const unknownAccountKey = (address: string) => `email:${createHash('sha256').update(address).digest('hex')}`;

@Injectable()
export class SignInLimiter {
  private readonly byAccount: RateLimiterAbstract;
  private readonly byDevice: RateLimiterAbstract;
  private readonly byIp: RateLimiterAbstract;
  private readonly bySecondFactor: RateLimiterAbstract;

  constructor(private readonly limits: RateLimits) {
    this.byAccount = limits.limiter('loginAccount');
    this.byDevice = limits.limiter('loginDevice');
    this.byIp = limits.limiter('loginIp');
    this.bySecondFactor = limits.limiter('secondFactor');
  }

  /**
   * Clears the failures counted against the account for unknown devices, within `manager`'s
   * transaction: for a password reset, whose e-mailed link proves the mailbox. Its devices' buckets
   * need nothing, since the new password makes their cookies count no more; the per-IP bucket stays,
   * because it counts guesses at every account and a reset of one's own account must not refill it.
   */
  forgetAccountFailures(userId: string, manager: EntityManager): Promise<void> {
    return this.limits.clear('loginAccount', `user:${userId}`, manager);
  }

  /** Reserves the attempt, or throws TooManyRequests (and reserves nothing) when a bucket is spent. */
  async begin(keys: SignInKeys): Promise<SignInAttempt> {
    const reserved: [RateLimiterAbstract, string, LimitName][] =
      keys.device === null
        ? [
            [this.byIp, ipLimitKey(keys.ip), 'loginIp'],
            [this.byAccount, keys.account, 'loginAccount'],
          ]
        : [[this.byDevice, keys.device, 'loginDevice']];
    if (keys.secondStep) reserved.push([this.bySecondFactor, keys.account, 'secondFactor']);
    const results = await Promise.allSettled(reserved.map(([limiter, key]) => limiter.consume(key)));
    // The window each bucket counted the attempt in (a refusal counts too, until given back).
    const windows = results.map((r) => {
      const counted: unknown = r.status === 'fulfilled' ? r.value : r.reason;
      return counted instanceof RateLimiterRes ? windowEndOf(counted) : null;
    });
    const giveBack = () =>
      Promise.all(
        reserved.flatMap(([, key, name], i) => {
          const endsAt = windows[i];
          return endsAt == null ? [] : [this.limits.giveBack(name, key, endsAt)];
        }),
      );
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (refused.length > 0) {
      await giveBack(); // a refused attempt checked no password
      const storeFailure = refused.find((r) => r instanceof Error);
      if (storeFailure) throw storeFailure; // the counters' store failed: not the client's doing
      reserved.forEach(([, , name], i) => {
        if (results[i]?.status === 'rejected') this.limits.rejected(name);
      });
      throw new TooManyRequests(Math.max(...refused.map(retryAfterSeconds)));
    }
    return {
      succeeded: async () => {
        await giveBack();
        // A right code gives its units back and clears nothing: a device starts afresh only when the
        // password proves it, and the account's bucket for codes only empties with time.
        if (keys.device !== null && !keys.secondStep) await this.byDevice.delete(keys.device);
      },
    };
  }
}
