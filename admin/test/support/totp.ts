/**
 * Codes of an operator's authenticator app, as the tests type them. The panel accepts each code
 * once (a code of a 30-second step no newer than the last accepted is refused), and accepts the
 * step before and after the current one; so a test that signs the same account in twice within
 * one step types the next step's code, and waits for the step after that only when both are spent.
 */
import { Secret, TOTP } from 'otpauth';

const PERIOD_MS = 30_000;

/** The newest step each secret's codes were typed for, in this test process. */
const spent = new Map<string, number>();

export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

export const totpOf = (secret: string): TOTP => new TOTP({ secret: Secret.fromBase32(secret) });

/** The code of the current step (what the app shows now), without remembering it. */
export function codeNow(secret: string): string {
  return totpOf(secret).generate();
}

/** Remembers that codes of `step` and older are spent for this secret (typed by other means). */
export function markSpent(secret: string, step: number): void {
  spent.set(secret, Math.max(spent.get(secret) ?? -Infinity, step));
}

/** The current step of a secret's codes. */
export const stepNow = (secret: string): number => totpOf(secret).counter();

/** A code the panel has not accepted yet: this step's, else the next one's, else (waiting) a later one. */
export async function freshCode(secret: string): Promise<string> {
  const totp = totpOf(secret);
  for (;;) {
    const now = totp.counter();
    const step = Math.max(now, (spent.get(secret) ?? -Infinity) + 1);
    if (step <= now + 1) {
      markSpent(secret, step);
      return totp.generate({ timestamp: step * PERIOD_MS });
    }
    await new Promise((resolve) => setTimeout(resolve, (now + 1) * PERIOD_MS - Date.now() + 50));
  }
}
