import argon2 from 'argon2';
import type { AppConfig } from '../config/config.js';

/**
 * argon2id with the configured cost (at least OWASP's floor: 19 MiB, t=2, p=1; enforced by the
 * configuration). argon2 hashes on libuv's thread pool, so hashing never blocks the event loop.
 */
export class PasswordHasher {
  constructor(private readonly params: AppConfig['argon2']) {}

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id, ...this.params });
  }

  verify(hash: string, password: string): Promise<boolean> {
    return argon2.verify(hash, password);
  }
}
