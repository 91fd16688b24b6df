/**
 * docs/security.md: hashing runs on libuv's thread pool, never on the event loop. Shown by what the
 * event loop gets done while a hash is computed, not by how long anything takes: requests that
 * start after a hash has started are answered before it ends. A hash computed on the event loop
 * would let none of them even begin until it was over.
 */
import { PasswordHasher } from '../src/users/password-hasher.js';
import { PASSWORD } from './support/accounts.js';
import { useTestApp } from './support/app.js';

// A costly hash (64 MiB, 10 passes), so that it is still running while requests come and go.
const api = useTestApp({ env: { ARGON2_MEMORY_KIB: String(64 * 1024), ARGON2_TIME_COST: '10' } });

/** How many health probes began and were answered while `work` was still running. */
async function answeredDuring(work: () => Promise<unknown>): Promise<number> {
  let done = false;
  const running = work().finally(() => {
    done = true;
  });
  const busy = () => !done;
  // The hasher starts its job a microtask later: let it start before the first probe.
  await new Promise((resolve) => setImmediate(resolve));
  let answered = 0;
  while (busy()) {
    expect((await fetch(`${api.url}/api/health/live`)).status).toBe(200);
    if (busy()) answered++;
  }
  await running;
  return answered;
}

describe('password hashing', () => {
  it('leaves the event loop serving requests while a hash is computed', async () => {
    const hasher = api.app.get(PasswordHasher);
    let hash = '';
    expect(
      await answeredDuring(async () => {
        hash = await hasher.hash(PASSWORD);
      }),
    ).toBeGreaterThan(0);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=65536,p=1,t=10\$/);
  });

  it('leaves the event loop serving requests while a password is verified', async () => {
    const hasher = api.app.get(PasswordHasher);
    const hash = await hasher.hash(PASSWORD);
    let verified = false;
    expect(
      await answeredDuring(async () => {
        verified = await hasher.verify(hash, PASSWORD);
      }),
    ).toBeGreaterThan(0);
    expect(verified).toBe(true);
  });
});
