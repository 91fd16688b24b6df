/**
 * One user, whole, and the operator's e-mail correction, over HTTP against the real panel: the
 * user page's figures and history in words, confirmations that name the record and what goes
 * with it, and a correction whose rules, audit entry and e-mails (caught by the run's MailDev)
 * are checked where the user meets them, in the API.
 */
import { AUDIT_ACTIONS } from '@nuell/api';
import { bearer, json, login, refresh, register, verify, type Account } from '../../api/test/support/accounts.js';
import { emailsTo, linkIn, waitForEmail } from '../../api/test/support/mail.js';
import { auditLabel, hasAuditLabel } from '../src/audit-labels.js';
import type { UserOverview } from '../src/component-props.js';
import { operator, type PanelClient, signedIn, uniqueText, usePanelAndApi } from './support/panel.js';

const { panel, api } = usePanelAndApi();

let ops: Account;
let client: PanelClient;
beforeAll(async () => {
  ops = await operator(api);
  client = await signedIn(panel, ops);
});

const overviewOf = async (id: string) =>
  (await client.json<{ overview: UserOverview }>(`/cp/api/resources/User/records/${id}/overview`)).overview;

async function write(author: Account, body: Record<string, unknown>): Promise<string> {
  const { accessToken } = await login(api.url, author);
  const res = await fetch(`${api.url}/api/v1/posts`, bearer(accessToken, json(body)));
  if (res.status !== 201) throw new Error(`writing answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

const loginAs = (account: Pick<Account, 'email' | 'password'>, userAgent: string) =>
  fetch(
    `${api.url}/api/v1/auth/login`,
    json({ email: account.email, password: account.password }, { 'user-agent': userAgent }),
  );

async function auditEntries(action: string, targetId: string) {
  return api.db.query<{ actor_id: string; data: Record<string, unknown> }[]>(
    'SELECT actor_id, data FROM audit_log WHERE action = $1 AND target_id = $2 ORDER BY created_at DESC',
    [action, targetId],
  );
}

describe('the user page', () => {
  it('has words for every audit action', () => {
    expect(AUDIT_ACTIONS.filter((action) => !hasAuditLabel(action))).toEqual([]);
    expect(auditLabel('password_reset_sent')).toBe('Sent a password reset e-mail');
    expect(auditLabel('some_new_thing')).toBe('Some new thing');
  });

  it('shows sign-ins, activity, posts, open sessions and the history as actor and as target, in words', async () => {
    const user = await register(api.url, { displayName: 'Whole User' });
    await verify(api.url, user);
    const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';
    expect((await loginAs(user, firefox)).status).toBe(200);
    await write(user, { title: 'One', content: 'first' });
    await write(user, { title: 'Two', content: 'second' });
    await write(user, { content: 'a draft', status: 'draft' });
    // The last sign-in, from a known device.
    expect((await loginAs(user, firefox)).status).toBe(200);
    await client.act('User', user.id, 'sendPasswordReset');

    const overview = await overviewOf(user.id);
    expect(overview.lastSignIn).toMatchObject({ where: 'app', device: 'Firefox on Linux' });
    expect(Date.now() - Date.parse(overview.lastSignIn!.at)).toBeLessThan(60_000);
    expect(Date.parse(overview.lastActivity!)).toBeGreaterThan(Date.now() - 60_000);
    expect(overview.posts).toMatchObject({ published: 2, drafts: 1 });
    // verify() signs in nowhere; the three logins of write() and the two above are live sessions.
    expect(overview.sessions.length).toBe(5);
    expect(overview.sessions.filter((s) => s.device === 'Firefox on Linux').length).toBe(2);

    const labels = overview.history.map((entry) => entry.label);
    expect(labels).toContain('Signed up');
    expect(labels).toContain('Signed in');
    const reset = overview.history.find((entry) => entry.action === 'password_reset_sent')!;
    expect(reset).toMatchObject({
      label: 'Sent a password reset e-mail',
      actor: { kind: 'user', id: ops.id, email: ops.email },
      target: { kind: 'self' },
    });
    const signIn = overview.history.find((entry) => entry.action === 'login')!;
    expect(signIn).toMatchObject({ actor: { kind: 'self' }, target: { kind: 'self' } });
    // Newest first.
    const times = overview.history.map((entry) => Date.parse(entry.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    // The operator's own page: what they did to others, by name; panel sign-ins folded.
    const mine = await overviewOf(ops.id);
    const done = mine.history.find((entry) => entry.action === 'password_reset_sent' && entry.target.kind === 'record');
    expect(done?.target).toEqual({ kind: 'record', resource: 'User', id: user.id, name: user.email });
    expect(mine.history.some((entry) => entry.action === 'panel_login')).toBe(false);
    expect(mine.lastSignIn?.where).toBe('panel');
  });

  it('lists at most 20 entries, newest first', async () => {
    const user = await register(api.url);
    for (let i = 0; i < 12; i++) expect((await loginAs(user, `agent ${i}`)).status).toBe(200);
    for (let i = 0; i < 12; i++) await client.act('User', user.id, 'signOutEverywhere');
    const overview = await overviewOf(user.id);
    expect(overview.history.length).toBe(20);
    expect(overview.historyLimit).toBe(20);
    expect(overview.history[0]!.label).toBe('Signed the account out everywhere');
    expect(overview.sessions).toEqual([]);
  });

  it('shows a suspended account with the reason and the message, whatever the page', async () => {
    const user = await register(api.url);
    await api.db.query(
      `UPDATE users SET is_active = false, suspended_at = now(), suspended_until = now() + interval '3 days',
              suspension_reason = 'Spam in 40 posts', suspension_message = 'Write to support.' WHERE id = $1`,
      [user.id],
    );
    const { record } = await client.json<{ record: { params: Record<string, unknown> } }>(
      `/cp/api/resources/User/records/${user.id}/show`,
    );
    expect(record.params).toMatchObject({
      isActive: false,
      suspensionReason: 'Spam in 40 posts',
      suspensionMessage: 'Write to support.',
    });
    expect(record.params.suspendedUntil).toBeTruthy();
  });

  it('asks before a deletion, naming the account and what goes with it', async () => {
    const user = await register(api.url);
    await verify(api.url, user);
    await write(user, { title: 'A', content: 'a' });
    await write(user, { content: 'b', status: 'draft' });
    await write(user, { content: 'c', status: 'draft' });
    const asked = await client.json(`/cp/api/resources/User/records/${user.id}/delete`);
    expect(asked.confirmation.question).toBe(`Delete ${user.email} and its 3 posts?`);
    expect(asked.confirmation.consequence).toMatch(
      /^Its 1 published post and 2 drafts are deleted with it\. Its 3 open sessions end at once\. This cannot be undone/,
    );
    const [{ n }] = await api.db.query('SELECT count(*)::int AS n FROM users WHERE id = $1', [user.id]);
    expect(n).toBe(1); // asked, not done

    const empty = await register(api.url);
    const plain = await client.json(`/cp/api/resources/User/records/${empty.id}/delete`);
    expect(plain.confirmation.question).toBe(`Delete ${empty.email}?`);
    expect(plain.confirmation.consequence).toMatch(/^It has no posts\. It is signed in nowhere\./);

    const gone = await client.act('User', user.id, 'delete');
    expect(gone.notice.type).toBe('success');
    expect(gone.redirectUrl).toBe('/cp/resources/User');
  });

  it('asks before deleting a post, naming it and its author', async () => {
    const author = await register(api.url);
    await verify(api.url, author);
    const id = await write(author, { title: 'Notes on the engine', content: 'x' });
    const asked = await client.json(`/cp/api/resources/Post/records/${id}/delete`);
    expect(asked.confirmation.question).toBe(`Delete “Notes on the engine” by ${author.email} for good?`);
    expect(asked.confirmation.consequence).toMatch(/only the audit log keeps its title and Markdown/);
  });

  it('names the account in the other confirmations', async () => {
    const user = await register(api.url);
    const out = await client.json(`/cp/api/resources/User/records/${user.id}/signOutEverywhere`);
    expect(out.confirmation.question).toBe(`Sign ${user.email} out of every session?`);
    const verified = await client.json(`/cp/api/resources/User/records/${user.id}/markVerified`);
    expect(verified.confirmation.question).toBe(`Mark ${user.email} as verified?`);

    await loginAs(user, 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0');
    const [session] = await api.db.query<{ id: string }[]>(
      'SELECT id FROM sessions WHERE user_id = $1 AND replaced_by IS NULL LIMIT 1',
      [user.id],
    );
    const revoke = await client.json(`/cp/api/resources/Session/records/${session!.id}/revoke`);
    expect(revoke.confirmation.question).toMatch(new RegExp(`^End the session of ${user.email} on Firefox on Linux`));
  });
});

describe('correcting an e-mail address', () => {
  const correct = (id: string, email: string) => client.act('User', id, 'correctEmail', { email });

  it('moves the account to the new address, unverified, tells both addresses and audits before and after', async () => {
    const user = await register(api.url, { displayName: 'Typo Person' });
    await verify(api.url, user);
    const { accessToken, refreshToken } = await login(api.url, user);
    // A reset link still in the old mailbox stops working.
    await client.act('User', user.id, 'sendPasswordReset');
    const resetLink = linkIn(await waitForEmail(user.email, /Reset your password/));

    const fixed = `${uniqueText('fixed')}@example.test`;
    const answer = await correct(user.id, ` ${fixed} `);
    expect(answer.notice).toEqual({
      message: `The address is now ${fixed}. ${user.email} has been told, and ${fixed} has a link to confirm it: until then the address is not verified.`,
      type: 'success',
    });
    expect(answer.record.params.email).toBe(fixed);
    expect(answer.record.params.verified).toBe(false);

    const [entry] = await auditEntries('email_corrected', user.id);
    expect(entry).toEqual({
      actor_id: ops.id,
      data: { before: user.email, after: fixed, wasVerified: true, verified: false, voidedLinks: 1 },
    });

    const notice = await waitForEmail(user.email, /Your e-mail address was changed/);
    expect(notice.text).toContain(`An operator changed the e-mail address of your account to ${fixed}.`);
    const confirm = await waitForEmail(fixed, /Confirm your new e-mail address/);
    expect(confirm.text).toContain('An operator set this address as the e-mail address of your account');

    // The old reset link is void; the sessions carry on; the new address signs in, the old does not.
    const reset = await fetch(
      `${api.url}/api/v1/auth/password/reset`,
      json({ token: resetLink.token, password: 'Brand-New-Horse-42' }),
    );
    expect(reset.status).toBe(400);
    expect((await fetch(`${api.url}/api/v1/users/me`, bearer(accessToken))).status).toBe(200);
    expect((await refresh(api.url, refreshToken)).status).toBe(200);
    await expect(login(api.url, user)).rejects.toThrow(/401/);
    await login(api.url, { email: fixed, password: user.password });

    // Its owner confirms it: verified again.
    const verified = await fetch(`${api.url}/api/v1/auth/email/verify`, json({ token: linkIn(confirm).token }));
    expect(verified.status).toBe(200);
    const [row] = await api.db.query('SELECT email, email_verified_at FROM users WHERE id = $1', [user.id]);
    expect(row.email).toBe(fixed);
    expect(row.email_verified_at).not.toBeNull();
  });

  it('refuses an address that is not one, with the sign-up rules, and changes nothing', async () => {
    const user = await register(api.url);
    for (const bad of ['not-an-address', '', `${'a'.repeat(250)}@example.test`]) {
      const answer = await correct(user.id, bad);
      expect(answer.notice.type).toBe('error');
      expect(answer.notice.message).toMatch(/^The new address must/);
    }
    const [row] = await api.db.query('SELECT email FROM users WHERE id = $1', [user.id]);
    expect(row.email).toBe(user.email);
    expect(await auditEntries('email_corrected', user.id)).toEqual([]);
  });

  it('refuses an address another account has, whatever its case, with a clear message', async () => {
    const [user, other] = [await register(api.url), await register(api.url)];
    const answer = await correct(user.id, other.email.toUpperCase());
    expect(answer.notice).toEqual({
      message: `Another account already uses ${other.email.toUpperCase()}: an address can belong to one account only.`,
      type: 'error',
    });
    const same = await correct(user.id, user.email);
    expect(same.notice).toEqual({ message: `${user.email} is already the address of this account.`, type: 'error' });
    // The other account got its own confirmation at sign-up, and nothing since.
    await waitForEmail(other.email, /Confirm your e-mail/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await emailsTo(other.email)).toHaveLength(1);
  });

  it('keeps a verified address verified when only its case changes, and e-mails nobody', async () => {
    const user = await register(api.url);
    await verify(api.url, user);
    const before = (await emailsTo(user.email)).length;
    const upper = user.email.toUpperCase();
    const answer = await correct(user.id, upper);
    expect(answer.notice.type).toBe('success');
    expect(answer.record.params.verified).toBe(true);
    const [entry] = await auditEntries('email_corrected', user.id);
    expect(entry!.data).toMatchObject({ before: user.email, after: upper, verified: true, voidedLinks: 0 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await emailsTo(user.email)).length).toBe(before);
  });

  it('changes nothing on a GET', async () => {
    const user = await register(api.url);
    const response = await client.get(`/cp/api/resources/User/records/${user.id}/correctEmail?email=x%40example.test`);
    expect(response.status).toBe(200);
    const [row] = await api.db.query('SELECT email FROM users WHERE id = $1', [user.id]);
    expect(row.email).toBe(user.email);
  });
});
