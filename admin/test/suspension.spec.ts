/**
 * Suspending from the panel, over HTTP against the real panel and API: the form's reason, end and
 * message reach the user where they meet them (the API's sign-in answer); what the operator must
 * fix comes back beside each field; bulk suspension suspends the others when one is refused; an
 * ended suspension is lifted by the API's sweep and the panel shows it; only the actions that can
 * apply are offered, each with a label in words.
 */
import { jest } from '@jest/globals';
import { json, login, PASSWORD, register, type Account } from '../../api/test/support/accounts.js';
import { startTestApp, type TestApp } from '../../api/test/support/app.js';
import { pollUntil } from '../../scripts/lib/poll.mjs';
import { operator, type PanelClient, signedIn, startPanel, type TestPanel } from './support/panel.js';

/** The API's sweep of ended suspensions, found as the API sets its timer (it would run in a minute). */
let sweep: (() => void) | undefined;
let api: TestApp;
let panel: TestPanel;
beforeAll(async () => {
  const timers = jest.spyOn(globalThis, 'setTimeout');
  try {
    api = await startTestApp();
    sweep = timers.mock.calls.find(([callback]) => callback.name === 'sweepSuspensions')?.[0];
  } finally {
    timers.mockRestore();
  }
  panel = await startPanel();
});
afterAll(async () => {
  await panel.close();
  await api.close();
});

let ops: Account;
let client: PanelClient;
beforeAll(async () => {
  ops = await operator(api);
  client = await signedIn(panel, ops);
});

const signIn = (account: Account) =>
  fetch(`${api.url}/api/v1/auth/login`, json({ email: account.email, password: PASSWORD }));

interface RecordJson {
  id: string;
  params: Record<string, unknown>;
  recordActions: { name: string }[];
  bulkActions: { name: string }[];
}

const show = (id: string) =>
  client.json<{ record: RecordJson }>(`/cp/api/resources/User/records/${id}/show`).then((r) => r.record);
const offered = async (id: string) => (await show(id)).recordActions.map((a) => a.name);

describe('Suspend on an account', () => {
  it('takes a reason, an end and a message; the user reads the message and the end when signing in', async () => {
    const user = await register(api.url);
    const until = new Date(Date.now() + 3 * 86_400_000);
    until.setUTCSeconds(0, 0);
    const answer = await client.act('User', user.id, 'suspend', {
      reason: 'Three reports of spam',
      until: until.toISOString(),
      message: 'Your posts were advertising. Write to support@example.test if this is a mistake.',
    });
    expect(answer.notice.type).toBe('success');
    expect(answer.notice.message).toMatch(
      new RegExp(
        `^Suspended ${user.email.replace('.', '\\.')} until \\d+ \\w+ \\d{4} at \\d\\d:\\d\\d UTC: every session has ended\\.$`,
      ),
    );
    expect(answer.record.params).toMatchObject({
      isActive: false,
      suspensionReason: 'Three reports of spam',
      suspensionMessage: 'Your posts were advertising. Write to support@example.test if this is a mistake.',
    });
    expect(new Date(String(answer.record.params.suspendedUntil)).getTime()).toBe(until.getTime());

    const res = await signIn(user);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      type: 'https://nuell.dev/problems/account-suspended',
      message: 'Your posts were advertising. Write to support@example.test if this is a mistake.',
      until: until.toISOString(),
    });

    const [entry] = await api.db.query<{ actor_id: string; data: Record<string, unknown> }[]>(
      `SELECT actor_id, data FROM audit_log WHERE action = 'user_suspended' AND target_id = $1`,
      [user.id],
    );
    expect(entry).toEqual({
      actor_id: ops.id,
      data: {
        reason: 'Three reports of spam',
        until: until.toISOString(),
        message: 'Your posts were advertising. Write to support@example.test if this is a mistake.',
        revokedSessions: 0,
      },
    });
  });

  it('names what to fix beside each field, and suspends nobody', async () => {
    const user = await register(api.url);
    const answer = await client.act('User', user.id, 'suspend', {
      reason: '   ',
      until: new Date(Date.now() - 60_000).toISOString(),
      message: 'm'.repeat(501),
    });
    expect(answer.notice.type).toBe('error');
    expect(answer.errors).toEqual({
      reason: 'Give a reason: other operators read it later.',
      until: 'The end must be in the future (leave it empty for a suspension until lifted).',
      message: 'The message must have at most 500 characters; it has 501.',
    });
    expect(answer.notice.message).toContain('Give a reason');
    const [row] = await api.db.query('SELECT is_active FROM users WHERE id = $1', [user.id]);
    expect(row.is_active).toBe(true);
  });

  it('offers only what can apply: no Suspend on yourself or a suspended account, Lift only on one', async () => {
    const user = await register(api.url);
    const before = await offered(user.id);
    expect(before).toEqual(expect.arrayContaining(['suspend', 'signOutEverywhere', 'sendPasswordReset']));
    expect(before).not.toContain('liftSuspension');
    expect(await offered(ops.id)).not.toContain('suspend');

    await client.act('User', user.id, 'suspend', { reason: 'Abuse' });
    const after = await offered(user.id);
    expect(after).toContain('liftSuspension');
    for (const name of ['suspend', 'signOutEverywhere', 'sendPasswordReset']) expect(after).not.toContain(name);
    expect((await show(user.id)).bulkActions.map((a) => a.name)).toContain('bulkSuspend');
  });

  it('names the suspension actions in words, never by their keys', async () => {
    const html = await (await client.get('/cp/resources/User')).text();
    // AdminJS hands the translations to the browser in the page itself.
    const actions = JSON.parse(/"translations":\{"en":\{"actions":(\{[^}]*\})/.exec(html)?.[1] ?? '{}') as Record<
      string,
      string
    >;
    expect(actions).toMatchObject({ suspend: 'Suspend', bulkSuspend: 'Suspend', liftSuspension: 'Lift suspension' });
    expect(Object.keys(actions)).not.toContain('ban');
  });
});

describe('Lift suspension', () => {
  it('says so when the suspension has ended meanwhile', async () => {
    const user = await register(api.url);
    await client.act('User', user.id, 'suspend', { reason: 'Abuse' });
    // Its page names the account and says what follows.
    const asked = await client.json(`/cp/api/resources/User/records/${user.id}/liftSuspension`);
    expect(asked.confirmation).toEqual({
      question: `Lift the suspension of ${user.email}?`,
      consequence: 'The account can sign in again at once; the sessions that ended stay ended.',
    });
    // Another operator lifted it meanwhile.
    expect((await client.act('User', user.id, 'liftSuspension')).notice.type).toBe('success');
    const again = await client.act('User', user.id, 'liftSuspension');
    expect(again.notice).toEqual({ message: `${user.email} is not suspended.`, type: 'error' });
  });

  it("the API's sweep lifts an ended suspension, and the panel shows the account active", async () => {
    const user = await register(api.url);
    await client.act('User', user.id, 'suspend', {
      reason: 'Cool down',
      until: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect((await show(user.id)).params.isActive).toBe(false);
    // An hour later, as far as the database can tell.
    await api.db.query(`UPDATE users SET suspended_until = now() - interval '1 second' WHERE id = $1`, [user.id]);
    expect(sweep).toBeDefined();
    sweep!();
    await pollUntil('the sweep lifted the suspension', async () => (await show(user.id)).params.isActive === true);
    const record = await show(user.id);
    expect(record.params).toMatchObject({ isActive: true, suspendedUntil: null, suspensionReason: null });
    expect(record.recordActions.map((a) => a.name)).toContain('suspend');
    const [entry] = await api.db.query(
      `SELECT actor_id, data FROM audit_log WHERE action = 'user_unsuspended' AND target_id = $1`,
      [user.id],
    );
    expect(entry).toEqual({ actor_id: null, data: { ended: true } });
    expect((await signIn(user)).status).toBe(200);
  });
});

describe('Suspend on the selected accounts', () => {
  it('suspends each on the same terms, and lists the ones it could not suspend with why', async () => {
    const [a, b, c] = [await register(api.url), await register(api.url), await register(api.url)];
    await client.act('User', c.id, 'suspend', { reason: 'Earlier' });
    const { accessToken } = await login(api.url, a);
    const response = await client.post(
      `/cp/api/resources/User/bulk/bulkSuspend?recordIds=${a.id},${ops.id},${c.id},${b.id}`,
      {
        reason: 'Spam wave',
        until: '',
        message: 'Spam from your account.',
      },
    );
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { notice: { message: string; type: string }; refused: unknown[] };
    expect(answer.notice).toEqual({ message: 'Suspended 2 of 4 accounts; 2 could not be: see below.', type: 'error' });
    expect(answer.refused).toEqual([
      { email: ops.email, reason: 'You cannot suspend yourself.' },
      { email: c.email, reason: `${c.email} is already suspended: lift the suspension first to change it.` },
    ]);
    const rows = await api.db.query<{ id: string; is_active: boolean; suspension_reason: string | null }[]>(
      'SELECT id, is_active, suspension_reason FROM users WHERE id = ANY($1)',
      [[a.id, b.id, c.id, ops.id]],
    );
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId[a.id]).toMatchObject({ is_active: false, suspension_reason: 'Spam wave' });
    expect(byId[b.id]).toMatchObject({ is_active: false, suspension_reason: 'Spam wave' });
    expect(byId[c.id]).toMatchObject({ is_active: false, suspension_reason: 'Earlier' });
    expect(byId[ops.id]).toMatchObject({ is_active: true });
    expect(
      (await fetch(`${api.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${accessToken}` } })).status,
    ).toBe(401);
  });

  it('refuses terms an operator must fix before touching any account', async () => {
    const a = await register(api.url);
    const response = await client.post(`/cp/api/resources/User/bulk/bulkSuspend?recordIds=${a.id}`, { reason: '' });
    const answer = (await response.json()) as { notice: { type: string }; errors: Record<string, string> };
    expect(answer.notice.type).toBe('error');
    expect(answer.errors).toEqual({ reason: 'Give a reason: other operators read it later.' });
    const [row] = await api.db.query('SELECT is_active FROM users WHERE id = $1', [a.id]);
    expect(row.is_active).toBe(true);
  });

  it('all go through when none is refused', async () => {
    const [a, b] = [await register(api.url), await register(api.url)];
    const response = await client.post(`/cp/api/resources/User/bulk/bulkSuspend?recordIds=${a.id},${b.id}`, {
      reason: 'Spam wave',
    });
    expect(((await response.json()) as { notice: unknown }).notice).toEqual({
      message: 'Suspended 2 accounts: every session of each has ended.',
      type: 'success',
    });
  });
});
