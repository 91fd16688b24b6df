/**
 * The operator actions on accounts, from the panel's JSON API to where the user notices them:
 * the API refuses a suspended user's token at once, a reset e-mail arrives, and so on. Each one
 * leaves its audit entry with the operator, the target and what changed.
 */
import { bearer, login, register, type Account } from '../../api/test/support/accounts.js';
import { linkIn, waitForEmail } from '../../api/test/support/mail.js';
import { operator, type PanelClient, signedIn, usePanelAndApi } from './support/panel.js';

const { panel, api } = usePanelAndApi();

let ops: Account;
let client: PanelClient;
beforeAll(async () => {
  ops = await operator(api);
  client = await signedIn(panel, ops);
});

async function audit(action: string, targetId: string) {
  const rows = await api.db.query<{ actor_id: string; data: Record<string, unknown> }[]>(
    'SELECT actor_id, data FROM audit_log WHERE action = $1 AND target_id = $2 ORDER BY created_at DESC',
    [action, targetId],
  );
  return rows[0];
}

const me = (token: string) => fetch(`${api.url}/api/v1/users/me`, bearer(token));

describe('suspend and lift (admin/test/suspension.spec.ts has the rest)', () => {
  it('a suspension on the panel makes the API refuse the user at once; lifting it lets them sign in again', async () => {
    const user = await register(api.url);
    const { accessToken } = await login(api.url, user);
    expect((await me(accessToken)).status).toBe(200);

    const suspended = await client.act('User', user.id, 'suspend', { reason: 'Spam', until: '', message: '' });
    expect(suspended.notice).toEqual({
      message: `Suspended ${user.email} until an operator lifts it: every session has ended.`,
      type: 'success',
    });
    expect(suspended.record.params.isActive).toBe(false);
    expect((await me(accessToken)).status).toBe(401);
    await expect(login(api.url, user)).rejects.toThrow(/403/);
    expect(await audit('user_suspended', user.id)).toEqual({
      actor_id: ops.id,
      data: { reason: 'Spam', until: null, message: null, revokedSessions: 1 },
    });

    const lifted = await client.act('User', user.id, 'liftSuspension');
    expect(lifted.notice).toEqual({ message: `Suspension lifted: ${user.email} can sign in again.`, type: 'success' });
    expect((await me((await login(api.url, user)).accessToken)).status).toBe(200);
    expect((await audit('user_unsuspended', user.id))?.actor_id).toBe(ops.id);
  });

  it('changes nothing on a GET: only a confirmed POST acts', async () => {
    const user = await register(api.url);
    const response = await client.get(`/cp/api/resources/User/records/${user.id}/suspend?reason=Spam`);
    expect(response.status).toBe(200);
    const [row] = await api.db.query('SELECT is_active FROM users WHERE id = $1', [user.id]);
    expect(row.is_active).toBe(true);
  });

  it('refuses to suspend or demote yourself, with a clear message', async () => {
    const suspend = await client.act('User', ops.id, 'suspend', { reason: 'Testing' });
    expect(suspend.notice).toEqual({ message: 'You cannot suspend yourself.', type: 'error' });
    const demote = await client.act('User', ops.id, 'edit', { displayName: 'Operator', role: 'user' });
    expect(demote.notice).toEqual({ message: 'You cannot demote yourself.', type: 'error' });
    const remove = await client.act('User', ops.id, 'delete');
    expect(remove.notice).toEqual({ message: 'You cannot delete yourself.', type: 'error' });
    const [row] = await api.db.query('SELECT role, is_active FROM users WHERE id = $1', [ops.id]);
    expect(row).toEqual({ role: 'admin', is_active: true });
    expect((await client.get('/cp/api/dashboard')).status).toBe(200);
  });
});

describe('helping a user', () => {
  it('signs them out everywhere', async () => {
    const user = await register(api.url);
    const [a, b] = [await login(api.url, user), await login(api.url, user)];
    const answer = await client.act('User', user.id, 'signOutEverywhere');
    expect(answer.notice.message).toBe('Signed out everywhere (2 session tokens ended).');
    expect((await me(a.accessToken)).status).toBe(401);
    expect((await me(b.accessToken)).status).toBe(401);
    expect((await audit('sessions_revoked', user.id))?.data).toEqual({ revokedSessions: 2 });
  });

  it('sends a password reset e-mail whose link sets a new password', async () => {
    const user = await register(api.url);
    const answer = await client.act('User', user.id, 'sendPasswordReset');
    expect(answer.notice.type).toBe('success');
    const { token } = linkIn(await waitForEmail(user.email, /Reset your password/));
    const reset = await fetch(`${api.url}/api/v1/auth/password/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, password: 'Brand-New-Horse-42' }),
    });
    expect(reset.status).toBe(204);
    expect((await audit('password_reset_sent', user.id))?.actor_id).toBe(ops.id);
  });

  it('marks the address verified, once', async () => {
    const user = await register(api.url);
    const answer = await client.act('User', user.id, 'markVerified');
    expect(answer.notice.type).toBe('success');
    expect(answer.record.params.verified).toBe(true);
    const again = await client.act('User', user.id, 'markVerified');
    expect(again.notice).toEqual({ message: `${user.email} is already verified.`, type: 'error' });
    expect((await audit('email_marked_verified', user.id))?.data).toEqual({ email: user.email });
  });

  it('records an edit with the fields before and after', async () => {
    const user = await register(api.url, { displayName: 'Grace Before' });
    await client.act('User', user.id, 'edit', { displayName: 'Grace After', role: 'user' });
    expect(await audit('user_updated', user.id)).toEqual({
      actor_id: ops.id,
      data: { before: { displayName: 'Grace Before' }, after: { displayName: 'Grace After' } },
    });
  });

  it('records a deletion with who the account was', async () => {
    const user = await register(api.url, { displayName: 'Gone Soon' });
    await client.act('User', user.id, 'delete');
    expect((await audit('user_deleted', user.id))?.data).toEqual({
      before: { email: user.email, displayName: 'Gone Soon', role: 'user' },
    });
  });
});
