/**
 * What operators do to accounts and posts from the control panel, through the services the panel
 * calls (OperatorAccountService, PostsService, AuthService): each change shows in the API at once,
 * keeps at least one operator, and leaves its audit entry.
 */
import { AccountChangeRefused } from '../src/auth/account-errors.js';
import { OperatorAccountService } from '../src/auth/operator-account.service.js';
import { AuthService, LoginFailed } from '../src/auth/auth.service.js';
import { PostsService } from '../src/posts/posts.service.js';
import { createDataSource } from '../src/database/data-source.js';
import { migrate } from '../src/database/migrate.js';
import { bearer, json, login, register, verify, type Account } from './support/accounts.js';
import { type TestApp, useTestApp, withTestApp } from './support/app.js';
import { createScratchDatabase } from './support/database.js';
import { dangers, XSS_PAYLOADS } from './support/inert.js';
import { linkIn, waitForEmail } from './support/mail.js';

const api = useTestApp();
const client = { ip: '192.0.2.10', userAgent: 'jest' };

async function makeAdmin(account: Account, app: TestApp = api): Promise<void> {
  await app.db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [account.id]);
}

async function lastAudit(action: string, targetId: string, app: TestApp = api) {
  const [row] = await app.db.query(
    'SELECT actor_id, data FROM audit_log WHERE action = $1 AND target_id = $2 ORDER BY created_at DESC LIMIT 1',
    [action, targetId],
  );
  return row as { actor_id: string | null; data: Record<string, unknown> } | undefined;
}

/**
 * An app on a database of its own, whose only admins are the ones a test makes: the shared test
 * database has other files' admins in it.
 */
async function withOwnDatabase(test: (app: TestApp) => Promise<void>): Promise<void> {
  const scratch = await createScratchDatabase('operators');
  try {
    const dataSource = await createDataSource({ database: { url: scratch.url, poolMax: 1 } }).initialize();
    await migrate(dataSource);
    await dataSource.destroy();
    await withTestApp({ env: { DATABASE_URL: scratch.url } }, test);
  } finally {
    await scratch.drop();
  }
}

describe('operators keep at least one operator', () => {
  it('refuse to suspend, demote or delete yourself, and the last active admin', () =>
    withOwnDatabase(async (app) => {
      const [ada, bob] = [await register(app.url), await register(app.url)];
      await makeAdmin(ada, app);
      const accounts = app.app.get(OperatorAccountService);

      await expect(accounts.suspend(ada.id, ada.id, { reason: 'Spam' })).rejects.toThrow(
        'You cannot suspend yourself.',
      );
      await expect(accounts.updateAccount(ada.id, ada.id, { role: 'user' })).rejects.toThrow(
        'You cannot demote yourself.',
      );
      await expect(accounts.deleteAccount(ada.id, ada.id)).rejects.toThrow('You cannot delete yourself.');
      // Whoever asks (here a plain account), the last admin stays.
      await expect(accounts.suspend(bob.id, ada.id, { reason: 'Spam' })).rejects.toThrow(/last active admin/);
      await expect(accounts.deleteAccount(bob.id, ada.id)).rejects.toThrow(/last active admin/);
      await expect(accounts.updateAccount(bob.id, ada.id, { role: 'user' })).rejects.toBeInstanceOf(
        AccountChangeRefused,
      );

      await makeAdmin(bob, app);
      await accounts.updateAccount(ada.id, bob.id, { role: 'user' });
      const [row] = await app.db.query('SELECT role FROM users WHERE id = $1', [bob.id]);
      expect(row.role).toBe('user');
      expect((await lastAudit('user_updated', bob.id, app))?.data).toEqual({
        before: { role: 'admin' },
        after: { role: 'user' },
      });
    }));

  it('answer 409 when the last active admin deletes their own account over the API, and keep it', () =>
    withOwnDatabase(async (app) => {
      const ada = await register(app.url);
      await makeAdmin(ada, app);
      const { accessToken } = await login(app.url, ada);
      const deleteMe = () =>
        fetch(`${app.url}/api/v1/users/me`, {
          ...bearer(accessToken, json({ currentPassword: ada.password })),
          method: 'DELETE',
        });

      const refused = await deleteMe();
      expect(refused.status).toBe(409);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(((await refused.json()) as { detail: string }).detail).toMatch(/last active admin/);
      expect((await fetch(`${app.url}/api/v1/users/me`, bearer(accessToken))).status).toBe(200);

      // With a second admin, the first may go.
      await makeAdmin(await register(app.url), app);
      expect((await deleteMe()).status).toBe(204);
    }));

  it('let only one of two admins demoting each other at once succeed', () =>
    withOwnDatabase(async (app) => {
      const [ada, bob] = [await register(app.url), await register(app.url)];
      await makeAdmin(ada, app);
      await makeAdmin(bob, app);
      const accounts = app.app.get(OperatorAccountService);
      const results = await Promise.allSettled([
        accounts.updateAccount(ada.id, bob.id, { role: 'user' }),
        accounts.updateAccount(bob.id, ada.id, { role: 'user' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const [{ n }] = await app.db.query(`SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND is_active`);
      expect(n).toBe(1);
    }));
});

describe('operator actions on accounts', () => {
  let operator: Account;
  beforeAll(async () => {
    operator = await register(api.url, { displayName: 'Operator' });
    await makeAdmin(operator);
  });

  it('edit the display name by the same rules as the profile, audited before and after', async () => {
    const user = await register(api.url, { displayName: 'Old Name' });
    const accounts = api.app.get(OperatorAccountService);
    await expect(accounts.updateAccount(operator.id, user.id, { displayName: 'bad\u0007name' })).rejects.toThrow(
      'The request is invalid',
    );
    await expect(accounts.updateAccount(operator.id, user.id, { email: 'x@example.test' } as object)).rejects.toThrow(
      'The request is invalid',
    );
    await accounts.updateAccount(operator.id, user.id, { displayName: '  New Name ' });

    const { accessToken } = await login(api.url, user);
    const me = (await (await fetch(`${api.url}/api/v1/users/me`, bearer(accessToken))).json()) as {
      displayName: string;
    };
    expect(me.displayName).toBe('New Name');
    const entry = await lastAudit('user_updated', user.id);
    expect(entry).toEqual({
      actor_id: operator.id,
      data: { before: { displayName: 'Old Name' }, after: { displayName: 'New Name' } },
    });
  });

  it('sign a user out everywhere: the access token is refused on the next request', async () => {
    const user = await register(api.url);
    const { accessToken } = await login(api.url, user);
    expect((await fetch(`${api.url}/api/v1/users/me`, bearer(accessToken))).status).toBe(200);

    expect(await api.app.get(OperatorAccountService).signOutEverywhere(operator.id, user.id)).toBe(1);
    expect((await fetch(`${api.url}/api/v1/users/me`, bearer(accessToken))).status).toBe(401);
    expect((await lastAudit('sessions_revoked', user.id))?.data).toEqual({ revokedSessions: 1 });
  });

  it('end one session and leave the others', async () => {
    const user = await register(api.url);
    const first = await login(api.url, user);
    const second = await login(api.url, user);
    const rows = await api.db.query<{ family_id: string }[]>(
      'SELECT family_id FROM sessions WHERE user_id = $1 ORDER BY created_at LIMIT 1',
      [user.id],
    );
    const familyId = rows[0]!.family_id;

    await api.app.get(OperatorAccountService).revokeSession(operator.id, familyId);
    expect((await fetch(`${api.url}/api/v1/users/me`, bearer(first.accessToken))).status).toBe(401);
    expect((await fetch(`${api.url}/api/v1/users/me`, bearer(second.accessToken))).status).toBe(200);
    await expect(api.app.get(OperatorAccountService).revokeSession(operator.id, familyId)).rejects.toThrow(
      'This session has already ended.',
    );
    expect((await lastAudit('session_revoked', familyId))?.data).toEqual({ userId: user.id });
  });

  it('mark an address verified: the user may publish', async () => {
    const user = await register(api.url);
    const { accessToken } = await login(api.url, user);
    const write = () => fetch(`${api.url}/api/v1/posts`, bearer(accessToken, json({ content: 'Hello' })));
    expect((await write()).status).toBe(403);

    await api.app.get(OperatorAccountService).markEmailVerified(operator.id, user.id);
    expect((await write()).status).toBe(201);
    await expect(api.app.get(OperatorAccountService).markEmailVerified(operator.id, user.id)).rejects.toThrow(
      /already verified/,
    );
    expect((await lastAudit('email_marked_verified', user.id))?.actor_id).toBe(operator.id);
  });

  it('send a password reset e-mail whose link works', async () => {
    const user = await register(api.url);
    await api.app.get(OperatorAccountService).sendPasswordReset(operator.id, user.id);
    const { token } = linkIn(await waitForEmail(user.email, /Reset your password/));
    const res = await fetch(
      `${api.url}/api/v1/auth/password/reset`,
      json({ token, password: 'Another-Horse-Battery-7' }),
    );
    expect(res.status).toBe(204);
    expect((await login(api.url, { email: user.email, password: 'Another-Horse-Battery-7' })).accessToken).toBeTruthy();
    expect((await lastAudit('password_reset_sent', user.id))?.data).toEqual({ email: user.email });
  });

  it('send no reset link to a suspended account', async () => {
    const user = await register(api.url);
    await api.app.get(OperatorAccountService).suspend(operator.id, user.id, { reason: 'Spam' });
    await expect(api.app.get(OperatorAccountService).sendPasswordReset(operator.id, user.id)).rejects.toThrow(
      /suspended/,
    );
  });

  it('delete an account with its posts; the audit entry remembers who it was', async () => {
    const user = await register(api.url, { displayName: 'Leaving Soon' });
    await verify(api.url, user);
    const { accessToken } = await login(api.url, user);
    const post = (await (
      await fetch(`${api.url}/api/v1/posts`, bearer(accessToken, json({ content: 'Bye' })))
    ).json()) as { id: string };

    await api.app.get(OperatorAccountService).deleteAccount(operator.id, user.id);
    expect((await fetch(`${api.url}/api/v1/posts/${post.id}`)).status).toBe(404);
    expect((await fetch(`${api.url}/api/v1/users/me`, bearer(accessToken))).status).toBe(401);
    expect((await lastAudit('user_deleted', user.id))?.data).toEqual({
      before: { email: user.email, displayName: 'Leaving Soon', role: 'user' },
    });
  });
});

describe('operator sign-in (the control panel)', () => {
  it('lets an active admin in and refuses a user, a suspended admin, a wrong password and an unknown address alike', async () => {
    const [admin, user, suspended] = [await register(api.url), await register(api.url), await register(api.url)];
    await makeAdmin(admin);
    await makeAdmin(suspended);
    await api.db.query('UPDATE users SET is_active = false WHERE id = $1', [suspended.id]);
    const auth = api.app.get(AuthService);

    const verified = await auth.checkOperatorCredentials(admin.email, admin.password, client, undefined);
    expect(verified.user.id).toBe(admin.id);
    // The password is only the first step: the panel records the sign-in once the code is in.
    expect(await lastAudit('panel_login', admin.id)).toBeUndefined();
    await auth.panelSignedIn(admin.id, client, 'totp');
    expect(await lastAudit('panel_login', admin.id)).toBeDefined();

    const attempts = [
      [user.email, user.password, 'not_admin'],
      [suspended.email, suspended.password, 'inactive'],
      [admin.email, 'Wrong-Horse-Battery-9', 'wrong_password'],
    ] as const;
    for (const [email, password, reason] of attempts) {
      await expect(auth.checkOperatorCredentials(email, password, client, undefined)).rejects.toBeInstanceOf(
        LoginFailed,
      );
      const [row] = await api.db.query(
        `SELECT data FROM audit_log WHERE action = 'panel_login_failed' AND data->>'email' = $1
          ORDER BY created_at DESC LIMIT 1`,
        [email],
      );
      expect(row.data.reason).toBe(reason);
    }
    await expect(
      auth.checkOperatorCredentials('nobody@example.test', 'Correct-Horse-Battery-9', client, undefined),
    ).rejects.toBeInstanceOf(LoginFailed);
  });
});

describe('operator moderation of posts', () => {
  let author: Account;
  let token: string;
  let operatorId: string;
  beforeAll(async () => {
    author = await register(api.url);
    await verify(api.url, author);
    ({ accessToken: token } = await login(api.url, author));
    const operator = await register(api.url);
    await makeAdmin(operator);
    operatorId = operator.id;
  });

  const write = async (content: string) =>
    (await (await fetch(`${api.url}/api/v1/posts`, bearer(token, json({ content })))).json()) as { id: string };

  it('re-renders an edited post (payloads come out inert) and audits before and after', async () => {
    const post = await write('Original');
    const payload = XSS_PAYLOADS.join('\n\n');
    await api.app.get(PostsService).moderate(operatorId, post.id, `# Moderated\n\n${payload}`);

    const shown = (await (await fetch(`${api.url}/api/v1/posts/${post.id}`)).json()) as { contentHtml: string };
    expect(shown.contentHtml).toContain('<h1>Moderated</h1>');
    expect(dangers(shown.contentHtml)).toEqual([]);
    const [row] = await api.db.query(
      `SELECT actor_id, data FROM audit_log WHERE action = 'post_updated' AND target_id = $1`,
      [post.id],
    );
    expect(row.actor_id).toBe(operatorId);
    expect(row.data.before).toEqual({ content: 'Original' });
    expect(row.data.after.content).toContain('# Moderated');
  });

  it('checks the content like the API does', async () => {
    const post = await write('Original');
    await expect(api.app.get(PostsService).moderate(operatorId, post.id, '   ')).rejects.toThrow(
      'The request is invalid',
    );
  });

  it('deletes a post, audited with its author', async () => {
    const post = await write('Doomed');
    await api.app.get(PostsService).removeAsOperator(operatorId, post.id);
    expect((await fetch(`${api.url}/api/v1/posts/${post.id}`)).status).toBe(404);
    const [row] = await api.db.query(`SELECT data FROM audit_log WHERE action = 'post_deleted' AND target_id = $1`, [
      post.id,
    ]);
    expect(row.data.authorId).toBe(author.id);
  });

  it('re-renders chosen posts with the current engine and stamps its version', async () => {
    const post = await write('**bold**');
    await api.db.query(`UPDATE posts SET content_html = 'stale', renderer_version = 0 WHERE id = $1`, [post.id]);
    expect(await api.app.get(PostsService).rerender(operatorId, [post.id])).toBe(1);
    const shown = (await (await fetch(`${api.url}/api/v1/posts/${post.id}`)).json()) as { contentHtml: string };
    expect(shown.contentHtml).toContain('<strong>bold</strong>');
  });
});
