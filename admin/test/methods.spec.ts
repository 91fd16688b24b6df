/**
 * The panel accepts GET and POST only. AdminJS's actions act on anything but a GET, and Express
 * routes HEAD to GET handlers, so a HEAD with the operator's cookie (and no Origin: nothing checks
 * it on a "safe" method) once deleted a post. Every action route, with every other method, must
 * change nothing.
 */
import { login, register } from '../../api/test/support/accounts.js';
import { operator, signedIn, usePanelAndApi } from './support/panel.js';

const { panel, api } = usePanelAndApi();

const METHODS = ['HEAD', 'OPTIONS', 'PUT', 'PATCH', 'DELETE'] as const;

it('refuses HEAD, OPTIONS, PUT, PATCH and DELETE on every action route, with or without Origin, and changes nothing', async () => {
  const ops = await operator(api);
  const client = await signedIn(panel, ops);
  const target = await register(api.url, { displayName: 'Target' });
  await login(api.url, target); // a live session to revoke
  const [post] = await api.db.query<{ id: string }[]>(
    `INSERT INTO posts (id, author_id, content, content_html, excerpt, word_count, reading_time_minutes)
     VALUES (gen_random_uuid(), $1, 'x', '<p>x</p>', 'x', 1, 1) RETURNING id`,
    [target.id],
  );
  const [session] = await api.db.query<{ id: string }[]>(
    'SELECT id FROM sessions WHERE user_id = $1 AND revoked_at IS NULL',
    [target.id],
  );
  const [postId, sessionId] = [post!.id, session!.id];
  // An e-mail in the queue (a reset link the operator's panel sends), for its retry and discard routes.
  expect((await client.act('User', target.id, 'sendPasswordReset')).notice.type).toBe('success');
  const [job] = await panel.db.query<{ id: string }[]>(
    `SELECT id FROM pgboss.job WHERE name LIKE '%.email' ORDER BY created_on DESC LIMIT 1`,
  );
  const mailJobId = job!.id;

  const record = (resource: string, id: string, actions: string[]) =>
    actions.map((action) => `/cp/api/resources/${resource}/records/${id}/${action}`);
  const routes = [
    ...record('User', target.id, [
      'show',
      'edit',
      'delete',
      'suspend',
      'liftSuspension',
      'signOutEverywhere',
      'sendPasswordReset',
      'markVerified',
      'correctEmail',
      'overview',
    ]),
    ...record('Post', postId, ['show', 'edit', 'delete', 'hide', 'restore']),
    ...record('Session', sessionId, ['show', 'revoke']),
    ...record('MailJob', mailJobId, ['show', 'retry', 'discard']),
    `/cp/api/resources/User/bulk/bulkDelete?recordIds=${target.id}`,
    `/cp/api/resources/User/bulk/bulkSuspend?recordIds=${target.id}`,
    `/cp/api/resources/Post/bulk/bulkDelete?recordIds=${postId}`,
    `/cp/api/resources/Post/bulk/rerender?recordIds=${postId}`,
    `/cp/api/resources/Post/bulk/bulkHide?recordIds=${postId}`,
    `/cp/api/resources/Post/actions/rerenderAll?filters.authorId=${target.id}`,
    '/cp/api/resources/AuditLog/actions/exportCsv',
    '/cp/audit-log.csv',
    '/cp/pages/health',
    '/cp/api/pages/health',
    '/cp/api/resources/User/actions/list',
    '/cp/api/resources/User/actions/new',
    '/cp/api/resources/Post/actions/search',
    '/cp/api/dashboard',
    '/cp/logout',
    '/cp',
  ];
  const origins = [{}, { origin: client.origin, 'sec-fetch-site': 'same-origin' }];

  const answers: string[] = [];
  for (const path of routes) {
    for (const method of METHODS) {
      for (const origin of origins) {
        const response = await fetch(`${panel.url}${path}`, {
          method,
          redirect: 'manual',
          headers: { cookie: client.cookie!, ...origin },
        });
        await response.arrayBuffer();
        if (response.status !== 405 || response.headers.get('allow') !== 'GET, POST') {
          answers.push(`${method} ${path} ${JSON.stringify(origin)}: ${response.status}`);
        }
      }
    }
  }
  expect(answers).toEqual([]);

  const [user] = await api.db.query('SELECT is_active, email_verified_at FROM users WHERE id = $1', [target.id]);
  expect(user).toEqual({ is_active: true, email_verified_at: null });
  expect(await api.db.query('SELECT id FROM posts WHERE id = $1', [postId])).toHaveLength(1);
  const [live] = await api.db.query('SELECT revoked_at FROM sessions WHERE id = $1', [sessionId]);
  expect(live.revoked_at).toBeNull();
  // (The operator's own registration is an entry of its own, from before.)
  expect(
    await api.db.query(
      `SELECT action FROM audit_log WHERE actor_id = $1 AND action NOT IN ('registered', 'password_reset_sent')`,
      [ops.id],
    ),
  ).toEqual([{ action: 'panel_login' }]);
  const [shown] = await api.db.query('SELECT hidden_at FROM posts WHERE id = $1', [postId]);
  expect(shown.hidden_at).toBeNull();
  // Still signed in: nothing above ended the operator's session.
  expect((await client.get('/cp/api/dashboard')).status).toBe(200);
  // And the same page still answers a GET.
  expect((await client.get(`/cp/api/resources/Post/records/${postId}/show`)).status).toBe(200);
});
