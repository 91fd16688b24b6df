import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import pLimit, { type LimitFunction } from 'p-limit';
import type { AppConfig } from '../config/config.js';

/**
 * argon2id with the configured cost (at least OWASP's floor: 19 MiB, t=2, p=1; enforced by the
 * configuration). argon2 hashes on libuv's thread pool, so it never blocks the event loop; and at
 * most `concurrency` hashes run at once (default: one core fewer than the machine has), so a storm
 * of sign-ins queues instead of taking every core from the requests the event loop serves.
 */
export class PasswordHasher {
  private dummy?: Promise<string>;
  private readonly limit: LimitFunction;
  private readonly params: Omit<AppConfig['argon2'], 'concurrency'>;

  constructor({ concurrency, ...params }: AppConfig['argon2']) {
    this.params = params;
    this.limit = pLimit(concurrency);
  }

  hash(password: string): Promise<string> {
    return this.limit(() => argon2.hash(password, { type: argon2.argon2id, ...this.params }));
  }

  verify(hash: string, password: string): Promise<boolean> {
    return this.limit(() => argon2.verify(hash, password));
  }

  /**
   * Verifies against the account's hash, or against a throwaway hash of the same cost when there
   * is no account, so an unknown e-mail takes as long as a wrong password.
   */
  async verifyOrWaste(hash: string | undefined, password: string): Promise<boolean> {
    if (hash !== undefined) return this.verify(hash, password);
    this.dummy ??= this.hash(randomBytes(16).toString('hex'));
    await this.verify(await this.dummy, password);
    return false;
  }

  /** True when the hash was made with other (older) parameters and should be redone. */
  needsRehash(hash: string): boolean {
    return argon2.needsRehash(hash, { ...this.params });
  }
}
