/**
 * The e-mail queue in the panel (Mail queue): a reset e-mail that an SMTP server refuses for
 * real shows up failed with its recipient, kind, attempts and the server's words, never its body
 * or its token; Retry sends it to the run's MailDev; Discard removes one; both are audited; and
 * nobody but a signed-in operator reaches any of it.
 *
 * The panel's queue (its own DEPLOYMENT_NAME) sends through an SMTP front that this file controls
 * (support/smtp-front.ts): it refuses, or forwards to MailDev.
 */
import { register, type Account } from '../../api/test/support/accounts.js';
import { linkIn, waitForEmail } from '../../api/test/support/mail.js';
import { operator, PanelClient, type PanelClient as Client, signedIn, usePanelAndApi } from './support/panel.js';
import { useSmtpFront } from './support/smtp-front.js';

const front = useSmtpFront();
const env = front.env;

// After the front starts: the panel reads env.SMTP_URL when it starts.
const { panel, api } = usePanelAndApi(env);

let ops: Account;
let client: Client;
beforeAll(async () => {
  ops = await operator(api);
  client = await signedIn(panel, ops);
});

interface ListJson {
  records: { id: string; params: Record<string, unknown> }[];
  meta: { total: number };
}
const list = (query = '') => client.json<ListJson>(`/cp/api/resources/MailJob/actions/list?perPage=50&${query}`);

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The panel's job for this address in this state, as the list shows it. */
const listed = (to: string, state: string) =>
  until(`a ${state} e-mail to ${to}`, async () => {
    const answer = await list(`filters.state=${state}`);
    return answer.records.find((record) => record.params.to === to);
  });

/** A reset e-mail for a new user, sent from the panel and refused once by the SMTP front. */
async function refusedReset(): Promise<{ user: Account; id: string }> {
  front.mode = 'refuse';
  const user = await register(api.url);
  const sent = await client.act('User', user.id, 'sendPasswordReset');
  expect(sent.notice.type).toBe('success');
  const record = await listed(user.email, 'retrying');
  return { user, id: record.id };
}

async function audit(action: string, targetId: string) {
  const rows = await api.db.query<{ actor_id: string; target_type: string; data: Record<string, unknown> }[]>(
    'SELECT actor_id, target_type, data FROM audit_log WHERE action = $1 AND target_id = $2',
    [action, targetId],
  );
  return rows;
}

describe('the mail queue', () => {
  it('shows a refused e-mail failed, with recipient, kind, attempts and the error, and never its body; Retry delivers it, audited', async () => {
    const { user, id } = await refusedReset();
    const retrying = await listed(user.email, 'retrying');
    expect(retrying.params).toMatchObject({
      state: 'retrying',
      kind: 'passwordReset',
      kindLabel: 'Password reset link',
      attempts: 1,
    });
    expect(String(retrying.params.lastError)).toMatch(/554 5\.3\.2 mail\.example\.test refuses service/);
    expect(retrying.params.nextAttemptAt).toEqual(expect.any(String));

    // Eleven attempts over about 35 minutes would make it fail; allow it one more, the real way.
    await panel.db.query('UPDATE pgboss.job SET retry_limit = retry_count + 1 WHERE id = $1', [id]);
    const failed = await listed(user.email, 'failed');
    expect(failed.id).toBe(id);
    expect(failed.params).toMatchObject({ state: 'failed', to: user.email, kind: 'passwordReset', attempts: 2 });
    expect(String(failed.params.lastError)).toMatch(/554 5\.3\.2/);
    expect(failed.params.failedAt).toEqual(expect.any(String));
    expect(failed.params.nextAttemptAt ?? null).toBeNull();
    // Only what an operator needs: nothing of the seal.
    for (const key of ['data', 'iv', 'tag', 'text', 'html', 'subject', 'output'])
      expect(failed.params).not.toHaveProperty(key);
    const [job] = await panel.db.query<{ data: { data: string } }[]>('SELECT data FROM pgboss.job WHERE id = $1', [id]);
    const sealed = job!.data.data;
    const pages = [
      JSON.stringify(await list('filters.state=failed')),
      JSON.stringify(await list()),
      JSON.stringify(await client.json(`/cp/api/resources/MailJob/records/${id}/show`)),
    ];
    for (const page of pages) {
      expect(page).toContain(user.email);
      expect(page).not.toContain(sealed);
      expect(page).not.toMatch(/reset-password|#token=|Choose a new password/);
    }
    // The filter keeps other states out.
    expect((await list('filters.state=queued')).records.some((r) => r.id === id)).toBe(false);

    front.mode = 'forward';
    const retried = await client.act('MailJob', id, 'retry');
    expect(retried.notice).toEqual({ message: 'Back in the queue: it is sent within seconds.', type: 'success' });
    const email = await waitForEmail(user.email, /Reset your password/, 1, 20_000);
    const { token } = linkIn(email);
    for (const page of pages) expect(page).not.toContain(token);
    await until('the job to leave the queue', async () =>
      (await list()).records.some((r) => r.id === id) ? undefined : true,
    );
    expect(await audit('mail_retried', id)).toEqual([
      {
        actor_id: ops.id,
        target_type: 'mail_job',
        data: expect.objectContaining({ to: user.email, kind: 'passwordReset', state: 'failed', attempts: 2 }),
      },
    ]);
  });

  it('refuses to retry an e-mail that has not failed', async () => {
    const { id } = await refusedReset();
    const answer = await client.act('MailJob', id, 'retry');
    expect(answer.notice).toEqual({ message: 'Only a failed e-mail can be retried.', type: 'error' });
    expect(await audit('mail_retried', id)).toEqual([]);
    await client.act('MailJob', id, 'discard');
  });

  it('discards an e-mail so that it is never sent, audited', async () => {
    const { user, id } = await refusedReset();
    const answer = await client.act('MailJob', id, 'discard');
    expect(answer.notice).toEqual({ message: 'Discarded: it will not be sent.', type: 'success' });
    expect(await panel.db.query('SELECT id FROM pgboss.job WHERE id = $1', [id])).toEqual([]);
    expect((await list()).records.some((r) => r.id === id)).toBe(false);
    const shown = await client.json(`/cp/api/resources/MailJob/records/${id}/show`);
    expect(shown.record.baseError.type).toBe('NotFoundError');
    expect(shown.record.params).toEqual({});
    expect(await audit('mail_discarded', id)).toEqual([
      {
        actor_id: ops.id,
        target_type: 'mail_job',
        data: expect.objectContaining({ to: user.email, kind: 'passwordReset', state: 'retrying' }),
      },
    ]);
    // Gone: a second discard finds nothing to act on and records nothing.
    const again = await client.act('MailJob', id, 'discard');
    expect(again.notice?.type).not.toBe('success');
    expect(await audit('mail_discarded', id)).toHaveLength(1);
  });

  it('is for operators only: a user cannot sign in, and without a session nothing is listed, retried or discarded', async () => {
    const { id } = await refusedReset();
    const user = await register(api.url);
    const stranger = new PanelClient(panel);
    expect((await stranger.signIn(user.email, user.password)).status).toBe(401);
    const read = await stranger.get('/cp/api/resources/MailJob/actions/list');
    expect(read.status).toBe(302);
    expect(read.headers.get('location')).toBe('/cp/login');
    for (const action of ['retry', 'discard']) {
      const response = await stranger.post(`/cp/api/resources/MailJob/records/${id}/${action}`);
      expect(response.status).toBe(302);
    }
    expect(await panel.db.query('SELECT id FROM pgboss.job WHERE id = $1', [id])).toHaveLength(1);
    expect(await audit('mail_discarded', id)).toEqual([]);

    // An operator demoted to a user loses the queue at their next request.
    const demoted = await operator(api);
    const demotedClient = await signedIn(panel, demoted);
    expect((await demotedClient.get('/cp/api/resources/MailJob/actions/list')).status).toBe(200);
    await api.db.query(`UPDATE users SET role = 'user' WHERE id = $1`, [demoted.id]);
    expect((await demotedClient.post(`/cp/api/resources/MailJob/records/${id}/discard`)).status).toBe(302);
    expect(await panel.db.query('SELECT id FROM pgboss.job WHERE id = $1', [id])).toHaveLength(1);
    await client.act('MailJob', id, 'discard');
  });
});
