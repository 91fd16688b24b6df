/**
 * Suspensions (docs/api.md, docs/security.md): a reason for operators, an optional end and an
 * optional message for the owner. Before the password is proven a suspended account fails exactly
 * like a wrong password; after, it answers 403 `account-suspended` with the message and the end
 * (the token endpoint: invalid_grant saying so). An end lifts the suspension by itself: at the
 * next sign-in, and by the API's periodic sweep (found as it is set, and run now).
 */
import { jest } from '@jest/globals';
import { pollUntil } from '../../scripts/lib/poll.mjs';
import { json, login, PASSWORD, register, uniqueEmail } from './support/accounts.js';
import { startTestApp, type TestApp, withTestApp } from './support/app.js';
import { OperatorAccountService } from '../src/auth/operator-account.service.js';
import { SUSPENSION_SWEEP_MS } from '../src/auth/suspension-sweep.js';

let api: TestApp;
let sweeps: (() => void)[] = [];
beforeAll(async () => {
  const timers = jest.spyOn(globalThis, 'setTimeout');
  try {
    api = await startTestApp();
    sweeps = timers.mock.calls
      .filter(([sweep, ms]) => ms === SUSPENSION_SWEEP_MS && sweep.name === 'sweepSuspensions')
      .map(([sweep]) => sweep);
  } finally {
    timers.mockRestore();
  }
});
afterAll(() => api.close());

const accounts = () => api.app.get(OperatorAccountService);
const HOUR = 3_600_000;

const signIn = (email: string, password = PASSWORD) => fetch(`${api.url}/api/v1/auth/login`, json({ email, password }));

const tokenGrant = (username: string, password = PASSWORD) =>
  fetch(`${api.url}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', username, password }).toString(),
  });

async function body(res: Response): Promise<Record<string, unknown>> {
  const { requestId: _ignored, ...rest } = (await res.json()) as Record<string, unknown>;
  return rest;
}

async function audit(action: string, targetId: string) {
  return api.db.query<{ actor_id: string | null; data: Record<string, unknown> }[]>(
    'SELECT actor_id, data FROM audit_log WHERE action = $1 AND target_id = $2 ORDER BY created_at',
    [action, targetId],
  );
}

async function state(id: string) {
  const [row] = await api.db.query<Record<string, unknown>[]>(
    `SELECT is_active, suspended_at, suspended_until, suspension_reason, suspension_message FROM users WHERE id = $1`,
    [id],
  );
  return row!;
}

/** Moves a suspension's end into the past, as time would (the service refuses an end in the past). */
const endedAgo = (id: string, ms = 60_000) =>
  api.db.query(`UPDATE users SET suspended_until = now() - make_interval(secs => $2) WHERE id = $1`, [id, ms / 1000]);

describe('signing in while suspended', () => {
  it('answers 403 account-suspended with the message and the end, once the password is right', async () => {
    const account = await register(api.url);
    const until = new Date(Date.UTC(2099, 11, 5, 14, 0));
    await accounts().suspend(null, account.id, {
      reason: 'Spam in three posts',
      until: until.toISOString(),
      message: 'You posted the same link many times. You can write again after the suspension.',
    });

    const res = await signIn(account.email);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await body(res)).toEqual({
      type: 'https://nuell.dev/problems/account-suspended',
      title: 'Forbidden',
      status: 403,
      detail: 'This account is suspended until Saturday 5 December 2099 at 14:00 UTC.',
      message: 'You posted the same link many times. You can write again after the suspension.',
      until: '2099-12-05T14:00:00.000Z',
      instance: '/api/v1/auth/login',
    });
    // The reason is for operators: it never reaches the account's owner.
    expect(JSON.stringify(await body(await signIn(account.email)))).not.toContain('Spam in three posts');
    const failures = await audit('login_failed', account.id);
    expect(failures.map((f) => f.data.reason)).toEqual(['inactive', 'inactive']);
  });

  it('says "until an operator lifts it" when there is no end, and null for a message not written', async () => {
    const account = await register(api.url);
    await accounts().suspend(null, account.id, { reason: 'Abuse', until: '', message: '   ' });
    const res = await signIn(account.email.toUpperCase());
    expect(res.status).toBe(403);
    expect(await body(res)).toMatchObject({
      type: 'https://nuell.dev/problems/account-suspended',
      detail: 'This account is suspended until an operator lifts the suspension.',
      message: null,
      until: null,
    });
  });

  it('fails exactly like a wrong password or an unknown address before the password is proven', async () => {
    const [known, suspended] = [await register(api.url), await register(api.url)];
    await accounts().suspend(null, suspended.id, { reason: 'Abuse', message: 'Talk to us.' });
    const answers = await Promise.all(
      [
        [uniqueEmail('nobody'), PASSWORD],
        [known.email, `${PASSWORD}-wrong`],
        [suspended.email, `${PASSWORD}-wrong`],
      ].map(async ([email, password]) => {
        const res = await signIn(email!, password);
        return { status: res.status, body: await body(res) };
      }),
    );
    expect(answers[0]!.status).toBe(401);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('spends none of the sign-in limits once the password is right: trying again reads the suspension, not a 429', () =>
    withTestApp({ env: { RATE_LIMIT_LOGIN_ACCOUNT: '2/1m', RATE_LIMIT_LOGIN_DEVICE: '2/1m' } }, async (limited) => {
      const account = await register(limited.url);
      await limited.app.get(OperatorAccountService).suspend(null, account.id, { reason: 'Abuse' });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await fetch(`${limited.url}/api/v1/auth/login`, json({ email: account.email, password: PASSWORD }));
        statuses.push(res.status);
      }
      expect(statuses).toEqual([403, 403, 403, 403]);
      // Wrong passwords still count as ever.
      for (let i = 0; i < 3; i++) {
        const res = await fetch(
          `${limited.url}/api/v1/auth/login`,
          json({ email: account.email, password: `${PASSWORD}-wrong` }),
        );
        statuses.push(res.status);
      }
      expect(statuses.slice(4)).toEqual([401, 401, 429]);
    }));

  it('answers the token endpoint invalid_grant saying the account is suspended, and until when', async () => {
    const [open, dated] = [await register(api.url), await register(api.url)];
    await accounts().suspend(null, open.id, { reason: 'Abuse' });
    await accounts().suspend(null, dated.id, { reason: 'Abuse', until: '2099-01-02T03:04:05Z' });

    const wrong = await tokenGrant(open.email, `${PASSWORD}-wrong`);
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'the e-mail or the password is incorrect',
    });
    const openAnswer = await tokenGrant(open.email);
    expect(openAnswer.status).toBe(400);
    expect(openAnswer.headers.get('cache-control')).toBe('no-store');
    expect(await openAnswer.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'the account is suspended until an operator lifts the suspension',
    });
    expect(await (await tokenGrant(dated.email)).json()).toEqual({
      error: 'invalid_grant',
      error_description: 'the account is suspended until 2099-01-02T03:04:05.000Z',
    });
  });
});

describe('suspending', () => {
  it('ends every session at once and audits the reason, the end, the message and the sessions ended', async () => {
    const [operator, user] = [await register(api.url), await register(api.url)];
    await api.db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [operator.id]);
    await login(api.url, user);
    await login(api.url, user);
    await accounts().suspend(operator.id, user.id, {
      reason: '  Harassment  ',
      until: '2099-06-01T00:00:00Z',
      message: 'Read the rules.',
    });
    expect(await state(user.id)).toEqual({
      is_active: false,
      suspended_at: expect.any(Date),
      suspended_until: new Date('2099-06-01T00:00:00Z'),
      suspension_reason: 'Harassment',
      suspension_message: 'Read the rules.',
    });
    expect(await audit('user_suspended', user.id)).toEqual([
      {
        actor_id: operator.id,
        data: {
          reason: 'Harassment',
          until: '2099-06-01T00:00:00.000Z',
          message: 'Read the rules.',
          revokedSessions: 2,
        },
      },
    ]);
    const [{ live }] = await api.db.query<[{ live: number }]>(
      `SELECT count(*)::int AS live FROM sessions WHERE user_id = $1 AND revoked_at IS NULL`,
      [user.id],
    );
    expect(live).toBe(0);
  });

  it('refuses to suspend a suspended account, whose terms stay as they were', async () => {
    const user = await register(api.url);
    await accounts().suspend(null, user.id, { reason: 'First', until: '2099-01-01T00:00:00Z' });
    const before = await state(user.id);
    await expect(accounts().suspend(null, user.id, { reason: 'Second' })).rejects.toThrow(
      `${user.email} is already suspended: lift the suspension first to change it.`,
    );
    expect(await state(user.id)).toEqual(before);
    expect(await audit('user_suspended', user.id)).toHaveLength(1);
  });

  it('refuses what an operator must fix, naming each field, and changes nothing', async () => {
    const user = await register(api.url);
    const refusal = async (input: Record<string, unknown>) => {
      try {
        await accounts().suspend(null, user.id, input);
      } catch (error) {
        return (error as { errors?: { field: string; detail: string }[] }).errors;
      }
      throw new Error('not refused');
    };
    expect(await refusal({ reason: ' ' })).toEqual([
      { field: 'reason', pointer: '/reason', detail: 'Give a reason: other operators read it later.' },
    ]);
    expect(await refusal({ reason: 'x', until: new Date(Date.now() - HOUR).toISOString() })).toEqual([
      {
        field: 'until',
        pointer: '/until',
        detail: 'The end must be in the future (leave it empty for a suspension until lifted).',
      },
    ]);
    expect(await refusal({ reason: 'x', until: 'next Tuesday-ish' })).toEqual([
      { field: 'until', pointer: '/until', detail: 'The end is not a date and time.' },
    ]);
    expect(await refusal({ reason: 'x'.repeat(501), message: 'y'.repeat(600) })).toEqual([
      { field: 'reason', pointer: '/reason', detail: 'The reason must have at most 500 characters; it has 501.' },
      { field: 'message', pointer: '/message', detail: 'The message must have at most 500 characters; it has 600.' },
    ]);
    expect((await state(user.id)).is_active).toBe(true);
    expect(await audit('user_suspended', user.id)).toEqual([]);
  });

  it('in bulk: the same terms for each, a refusal per account, and the others go through', async () => {
    const [operator, a, b, c] = [
      await register(api.url),
      await register(api.url),
      await register(api.url),
      await register(api.url),
    ];
    await api.db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [operator.id]);
    await accounts().suspend(operator.id, c.id, { reason: 'Earlier' });
    const result = await accounts().suspendMany(operator.id, [a.id, operator.id, c.id, b.id], {
      reason: 'Spam wave',
      message: 'Your account sent spam.',
    });
    expect(result).toEqual({
      suspended: [a.id, b.id],
      refused: [
        { userId: operator.id, reason: 'You cannot suspend yourself.' },
        { userId: c.id, reason: `${c.email} is already suspended: lift the suspension first to change it.` },
      ],
    });
    for (const id of [a.id, b.id])
      expect(await state(id)).toMatchObject({ is_active: false, suspension_reason: 'Spam wave' });
    expect((await state(operator.id)).is_active).toBe(true);
    expect((await state(c.id)).suspension_reason).toBe('Earlier');
    await expect(accounts().suspendMany(operator.id, [a.id], { reason: '' })).rejects.toThrow(/invalid/);
  });
});

describe('lifting', () => {
  it('an operator lifts a suspension: the account signs in again, audited with who did it', async () => {
    const [operator, user] = [await register(api.url), await register(api.url)];
    await accounts().suspend(operator.id, user.id, { reason: 'Mistake' });
    await accounts().lift(operator.id, user.id);
    expect(await state(user.id)).toEqual({
      is_active: true,
      suspended_at: null,
      suspended_until: null,
      suspension_reason: null,
      suspension_message: null,
    });
    expect((await signIn(user.email)).status).toBe(200);
    expect(await audit('user_unsuspended', user.id)).toEqual([{ actor_id: operator.id, data: { ended: false } }]);
    await expect(accounts().lift(operator.id, user.id)).rejects.toThrow(`${user.email} is not suspended.`);
  });

  it('an ended suspension lifts itself at the next sign-in, audited with no actor', async () => {
    const user = await register(api.url);
    await accounts().suspend(null, user.id, { reason: 'Cool down', until: new Date(Date.now() + HOUR).toISOString() });
    expect((await signIn(user.email)).status).toBe(403);
    await endedAgo(user.id);
    expect((await signIn(user.email)).status).toBe(200);
    expect(await audit('user_unsuspended', user.id)).toEqual([{ actor_id: null, data: { ended: true } }]);
  });

  it('the sweep lifts ended suspensions every minute, once each however many replicas sweep, and leaves the others', async () => {
    expect(sweeps).toHaveLength(1);
    const [ended, running, open] = [await register(api.url), await register(api.url), await register(api.url)];
    const later = new Date(Date.now() + HOUR).toISOString();
    for (const { id } of [ended, running]) await accounts().suspend(null, id, { reason: 'Cool down', until: later });
    await accounts().suspend(null, open.id, { reason: 'Until lifted' });
    await endedAgo(ended.id);

    // Two sweeps at once, as two replicas might: one lift, one audit entry.
    await Promise.all([accounts().liftEnded(), accounts().liftEnded()]);
    expect((await state(ended.id)).is_active).toBe(true);
    expect(await audit('user_unsuspended', ended.id)).toEqual([{ actor_id: null, data: { ended: true } }]);
    expect((await state(running.id)).is_active).toBe(false);
    expect((await state(open.id)).is_active).toBe(false);

    // The app's own timer does the same, and sets itself again.
    await endedAgo(running.id);
    const timers = jest.spyOn(globalThis, 'setTimeout');
    try {
      sweeps[0]!();
      await pollUntil('the sweep lifted the ended suspension', async () => (await state(running.id)).is_active);
      await pollUntil('the next sweep is set', () =>
        timers.mock.calls.some(([sweep, ms]) => ms === SUSPENSION_SWEEP_MS && sweep.name === 'sweepSuspensions'),
      );
    } finally {
      timers.mockRestore();
    }
    expect(await audit('user_unsuspended', running.id)).toEqual([{ actor_id: null, data: { ended: true } }]);
    expect((await state(open.id)).is_active).toBe(false);
  });
});
