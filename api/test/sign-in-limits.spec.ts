/**
 * Sign-in limits as an attacker would probe them: only failures count, the count belongs to the
 * account whose password was checked, and a browser that has proven the password keeps its own
 * allowance when someone else spends the account's (the device cookie).
 */
import { randomInt } from 'node:crypto';
import { deviceCookie as deviceOf, PASSWORD, register, type Account } from './support/accounts.js';
import { RateLimits, windowEndOf } from '../src/rate-limits/rate-limits.js';
import { useTestApp, withTestApp } from './support/app.js';

const LIMIT = 3;
const WRONG = 'Wrong-Password-1';

const api = useTestApp({
  env: {
    RATE_LIMIT_LOGIN_ACCOUNT: `${LIMIT}/15m`,
    RATE_LIMIT_LOGIN_DEVICE: `${LIMIT}/15m`,
    RATE_LIMIT_LOGIN_IP: '1000/15m',
  },
});

/** A fresh client address for every attempt, unless a test pins one: the per-IP limit stays out of the way. */
const anyIp = () => `198.18.${randomInt(256)}.${randomInt(1, 255)}`;

type Route = 'login' | 'token';
/** How each route answers a wrong password: problem details, or RFC 6749's invalid_grant. */
const REFUSED: Record<Route, number> = { login: 401, token: 400 };

interface Attempt {
  readonly status: number;
  /** The device cookie the answer set, if any. */
  readonly device: string | undefined;
  readonly response: Response;
}

async function send(route: Route, body: string, headers: Record<string, string>): Promise<Attempt> {
  const response = await fetch(`${api.url}/api/v1/auth/${route}`, {
    method: 'POST',
    headers: {
      'content-type': route === 'login' ? 'application/json' : 'application/x-www-form-urlencoded',
      ...headers,
    },
    body,
  });
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('device='));
  return { status: response.status, device: cookie?.split(';')[0]?.slice('device='.length), response };
}

/** One sign-in through either route, as a browser (device cookie) or a new client would send it. */
function signIn(
  route: Route,
  email: string,
  password: string,
  options: { device?: string; ip?: string } = {},
): Promise<Attempt> {
  const headers: Record<string, string> = { 'x-forwarded-for': options.ip ?? anyIp() };
  if (options.device) headers.cookie = `device=${options.device}`;
  const body =
    route === 'login'
      ? JSON.stringify({ email, password })
      : new URLSearchParams({ grant_type: 'password', username: email, password }).toString();
  return send(route, body, headers);
}

/** A JSON sign-in to another app (`withTestApp`), from a chosen address, with a device cookie if given. */
const attempt = (app: { url: string }, email: string, password: string, ip: string, device?: string) =>
  fetch(`${app.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': ip,
      ...(device ? { cookie: `device=${device}` } : {}),
    },
    body: JSON.stringify({ email, password }),
  });

/** Spends the account's budget for unknown devices with wrong guesses from many addresses. */
async function exhaust(account: Account): Promise<void> {
  for (let i = 0; i < LIMIT; i++) expect((await signIn('login', account.email, WRONG)).status).toBe(401);
}

describe('the count belongs to the account whose password is checked', () => {
  it.each<Route>(['login', 'token'])(
    'once spent, no guess is checked through /auth/%s (429, Retry-After)',
    async (route) => {
      const victim = await register(api.url);
      await exhaust(victim);
      for (let i = 0; i < 5; i++) {
        const attempt = await signIn(route, victim.email, i === 4 ? PASSWORD : WRONG);
        expect(attempt.status).toBe(429);
        expect(Number(attempt.response.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    },
  );

  it('extra form fields cannot move the count of the password grant to a decoy', async () => {
    const victim = await register(api.url);
    await exhaust(victim);
    const withDecoy = (password: string) =>
      send(
        'token',
        new URLSearchParams({
          grant_type: 'password',
          email: 'decoy@example.test',
          username: victim.email,
          password,
        }).toString(),
        { 'x-forwarded-for': anyIp() },
      );
    expect((await withDecoy(WRONG)).status).toBe(429);
    expect((await withDecoy(PASSWORD)).status).toBe(429);
  });

  it('a repeated username is refused before any password is checked', async () => {
    const victim = await register(api.url);
    const decoy = await register(api.url);
    await exhaust(victim);
    for (const order of [
      [decoy.email, victim.email],
      [victim.email, decoy.email],
    ]) {
      const body = `grant_type=password&username=${encodeURIComponent(order[0]!)}&username=${encodeURIComponent(order[1]!)}&password=${PASSWORD}`;
      const attempt = await send('token', body, { 'x-forwarded-for': anyIp() });
      expect(attempt.status).toBe(400);
      expect(await attempt.response.json()).toMatchObject({ error: 'invalid_request' });
    }
    // The decoy's budget is untouched and the victim's is still spent.
    expect((await signIn('token', decoy.email, PASSWORD)).status).toBe(200);
    expect((await signIn('token', victim.email, PASSWORD)).status).toBe(429);
  });

  it('a repeated JSON key counts against the account whose password is checked (the last one)', async () => {
    const victim = await register(api.url);
    const decoy = await register(api.url);
    await exhaust(victim);
    const body = `{"email":${JSON.stringify(decoy.email)},"email":${JSON.stringify(victim.email)},"password":"${PASSWORD}"}`;
    expect((await send('login', body, { 'x-forwarded-for': anyIp() })).status).toBe(429);
    expect((await signIn('login', decoy.email, PASSWORD)).status).toBe(200);
  });

  it.each<Route>(['login', 'token'])(
    'case and whitespace variants of the address share the count through /auth/%s',
    async (route) => {
      const victim = await register(api.url);
      const variants = [
        victim.email.toUpperCase(),
        `  ${victim.email}  `,
        `\t${victim.email.replace(/^./, (c) => c.toUpperCase())}`,
      ];
      for (const variant of variants) expect((await signIn(route, variant, WRONG)).status).toBe(REFUSED[route]);
      for (const variant of [victim.email, ...variants]) {
        expect((await signIn(route, variant, PASSWORD)).status).toBe(429);
      }
    },
  );

  it('unknown addresses are limited like known ones', async () => {
    const nobody = `nobody-${randomInt(1e9)}@example.test`;
    for (let i = 0; i < LIMIT; i++) expect((await signIn('login', nobody, WRONG)).status).toBe(401);
    expect((await signIn('token', nobody.toUpperCase(), WRONG)).status).toBe(429);
  });
});

describe('nobody can lock the owner out (device cookies)', () => {
  it.each<Route>(['login', 'token'])('a successful sign-in through /auth/%s sets a device cookie', async (route) => {
    const owner = await register(api.url);
    const attempt = await signIn(route, owner.email, PASSWORD);
    expect(attempt.status).toBe(200);
    const header = attempt.response.headers.getSetCookie().find((c) => c.startsWith('device='));
    expect(header).toMatch(/; HttpOnly/i);
    expect(header).toMatch(/; SameSite=Strict/i);
    expect(header).toMatch(/; Path=\/api\/v1\/auth(;|$)/);
    expect(header).toMatch(/; Max-Age=31536000(;|$)/); // a year: the device stays known
    expect(header).not.toMatch(/Domain=/i);
    expect(header).not.toContain(owner.email);
  });

  it("an attacker spending the account budget does not stop the owner's browser", async () => {
    const owner = await register(api.url);
    const { device } = await signIn('login', owner.email, PASSWORD);
    expect(device).toBeDefined();

    await exhaust(owner);
    expect((await signIn('login', owner.email, PASSWORD)).status).toBe(429); // a new device is refused
    // The owner's browser, with its device cookie, through either route.
    const again = await signIn('login', owner.email, PASSWORD, { device: device! });
    expect(again.status).toBe(200);
    expect((await signIn('token', owner.email, PASSWORD, { device: again.device! })).status).toBe(200);
  });

  it("failures from the owner's device are still limited, on their own budget", async () => {
    const owner = await register(api.url);
    const { device } = await signIn('login', owner.email, PASSWORD);
    for (let i = 0; i < LIMIT; i++) {
      expect((await signIn('login', owner.email, WRONG, { device: device! })).status).toBe(401);
    }
    expect((await signIn('login', owner.email, PASSWORD, { device: device! })).status).toBe(429);
    expect((await signIn('token', owner.email, WRONG, { device: device! })).status).toBe(429);
    // The device's failures did not spend the budget of other devices.
    expect((await signIn('login', owner.email, PASSWORD)).status).toBe(200);
  });

  it('a successful sign-in clears the failures its device caused', async () => {
    const owner = await register(api.url);
    let { device } = await signIn('login', owner.email, PASSWORD);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < LIMIT - 1; i++) {
        expect((await signIn('login', owner.email, WRONG, { device: device! })).status).toBe(401);
      }
      const success = await signIn('token', owner.email, PASSWORD, { device: device! });
      expect(success.status).toBe(200);
      device = success.device;
    }
  });

  it.each<Route>(['login', 'token'])('successes never count through /auth/%s', async (route) => {
    const owner = await register(api.url);
    const ip = anyIp();
    for (let i = 0; i < LIMIT * 3; i++) expect((await signIn(route, owner.email, PASSWORD, { ip })).status).toBe(200);
    // ... and the failures after them still have the whole budget.
    for (let i = 0; i < LIMIT; i++) {
      expect((await signIn(route, owner.email, WRONG, { ip })).status).toBe(REFUSED[route]);
    }
    expect((await signIn(route, owner.email, WRONG, { ip })).status).toBe(429);
  });

  it('a device cookie is worth nothing for another account, and a forged one is ignored', async () => {
    const owner = await register(api.url);
    const other = await register(api.url);
    const { device } = await signIn('login', other.email, PASSWORD);
    await exhaust(owner);
    const [id] = device!.split('.');
    for (const cookie of [device!, `${id}.${'A'.repeat(43)}`, 'garbage', `${device!}.extra`]) {
      expect((await signIn('login', owner.email, PASSWORD, { device: cookie })).status).toBe(429);
    }
  });

  it('parallel guesses cannot slip past the count', async () => {
    const victim = await register(api.url);
    const statuses = await Promise.all(
      Array.from({ length: 12 }, () => signIn('login', victim.email, WRONG).then((a) => a.status)),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(12 - LIMIT);
  });
});

describe('the per-IP limit', () => {
  it('counts failures from one address across accounts, and only failures', async () => {
    await withTestApp(
      {
        env: {
          RATE_LIMIT_LOGIN_IP: '4/15m',
          RATE_LIMIT_LOGIN_ACCOUNT: '1000/15m',
          RATE_LIMIT_LOGIN_DEVICE: '1000/15m',
        },
      },
      async (strict) => {
        const ip = '203.0.113.99';
        const accounts = await Promise.all([register(strict.url), register(strict.url)]);
        const attempt = (account: Account, password: string) =>
          fetch(`${strict.url}/api/v1/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
            body: JSON.stringify({ email: account.email, password }),
          }).then((r) => r.status);
        for (let i = 0; i < 6; i++) expect(await attempt(accounts[i % 2]!, PASSWORD)).toBe(200);
        for (let i = 0; i < 4; i++) expect(await attempt(accounts[i % 2]!, WRONG)).toBe(401);
        expect(await attempt(accounts[0], PASSWORD)).toBe(429);
        expect(await attempt(accounts[1], PASSWORD)).toBe(429);
      },
    );
  });
});

describe('proven devices, shared addresses and IPv6', () => {
  const strictIp = {
    env: { RATE_LIMIT_LOGIN_IP: '2/15m', RATE_LIMIT_LOGIN_ACCOUNT: '1000/15m', RATE_LIMIT_LOGIN_DEVICE: '3/15m' },
  };

  it('failures from everyone behind one address do not lock out a browser that proved its password there', async () => {
    await withTestApp(strictIp, async (app) => {
      const nat = '203.0.113.7';
      const [owner, stranger] = [await register(app.url), await register(app.url)];
      const device = deviceOf(await attempt(app, owner.email, PASSWORD, nat));
      expect(device).toBeDefined();
      // Someone else behind the same NAT spends the address's budget.
      for (let i = 0; i < 2; i++) expect((await attempt(app, stranger.email, WRONG, nat)).status).toBe(401);
      expect((await attempt(app, stranger.email, PASSWORD, nat)).status).toBe(429); // a new browser there waits
      // The owner's browser is held only by its own allowance.
      expect((await attempt(app, owner.email, PASSWORD, nat, device)).status).toBe(200);
    });
  });

  it("a proven device's failures spend its own allowance, not its address's", async () => {
    await withTestApp(strictIp, async (app) => {
      const ip = '203.0.113.8';
      const [owner, neighbour] = [await register(app.url), await register(app.url)];
      const device = deviceOf(await attempt(app, owner.email, PASSWORD, ip))!;
      for (let i = 0; i < 3; i++) expect((await attempt(app, owner.email, WRONG, ip, device)).status).toBe(401);
      expect((await attempt(app, owner.email, PASSWORD, ip, device)).status).toBe(429);
      expect((await attempt(app, neighbour.email, PASSWORD, ip)).status).toBe(200);
    });
  });

  it('counts an IPv6 client by its /64, so rotating addresses inside it gains nothing', async () => {
    await withTestApp(strictIp, async (app) => {
      const target = await register(app.url);
      expect((await attempt(app, target.email, WRONG, '2001:db8:7:1::1')).status).toBe(401);
      expect((await attempt(app, target.email, WRONG, '2001:db8:7:1::2')).status).toBe(401);
      expect((await attempt(app, target.email, PASSWORD, '2001:db8:7:1:ffff:1234:5678:9abc')).status).toBe(429);
      // Another /64 is another client.
      expect((await attempt(app, target.email, PASSWORD, '2001:db8:7:2::1')).status).toBe(200);
    });
  });
});

describe('the window boundary', () => {
  /**
   * A refused attempt gives its unit back. A give-back that landed after its window ended used to
   * open the next window below zero, and one that landed in the next window took a unit that
   * window counted: a burst timed at the boundary earned the attacker one extra guess per refusal.
   */
  it('a burst of wrong sign-ins at the boundary checks no more than the limit in the next window', async () => {
    const window = { env: { RATE_LIMIT_LOGIN_ACCOUNT: '3/3s', RATE_LIMIT_LOGIN_IP: '100000/15m' } };
    await withTestApp(window, async (app) => {
      const victim = await register(app.url);
      const wrong = (ip: string) => attempt(app, victim.email, WRONG, ip).then((r) => r.status);
      for (let i = 0; i < 3; i++) expect(await wrong(anyIp())).toBe(401);
      const [row] = await app.db.query<{ expire: string }[]>('SELECT expire FROM rate_limits WHERE key = $1', [
        `${app.config.deploymentName}:loginAccount:user:${victim.id}`,
      ]);
      const boundary = Number(row!.expire);
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
      await sleep(boundary - Date.now() - 300);

      // 200 guesses in a stream across the boundary (one every 3 ms from 300 ms before it), so
      // that some are counted just before it and given back just after.
      const guess = () => wrong(anyIp()).then((status) => ({ status, at: Date.now() }));
      const burst = await Promise.all(Array.from({ length: 200 }, (_, i) => sleep(i * 3).then(guess)));
      // Keep guessing for a while: the next window goes on counting from the burst.
      const after = [];
      for (let i = 0; i < 10; i++) after.push(await guess());
      // The window before the boundary was spent (its count never falls below what it let
      // through), so every guess checked (401) is the next window's, and that window lasts at
      // least until boundary + 3 s.
      const checked = [...burst, ...after].filter((b) => b.status === 401 && b.at < boundary + 3_000);
      expect(burst.filter((b) => b.status === 429).length).toBeGreaterThan(0);
      expect(checked.length).toBeLessThanOrEqual(3);
    });
  }, 30_000);

  it('a give-back that lands after its window ended neither opens the next one below zero nor takes from it', async () => {
    await withTestApp({ env: { RATE_LIMIT_LOGIN_ACCOUNT: '5/1s' } }, async (app) => {
      const limits = app.app.get(RateLimits);
      const limiter = limits.limiter('loginAccount');
      const key = `boundary-${randomInt(1e9)}`;
      const ended = windowEndOf(await limiter.consume(key));
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, ended - Date.now() + 50)));

      await limits.giveBack('loginAccount', key, ended); // late: its window is over
      expect((await limiter.consume(key)).consumedPoints).toBe(1);
      await limits.giveBack('loginAccount', key, ended); // later still: the next window counted that unit
      expect((await limiter.get(key))?.consumedPoints).toBe(1);
    });
  });
});
