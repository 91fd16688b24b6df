/**
 * The audit log answers "from where": sign-ins (the API's and the OAuth password grant's),
 * registrations, failures, security events and operator actions record the client's IP address
 * (as TRUST_PROXY resolves it, like the rate limits) and user agent, in columns; never a password
 * or a token.
 */
import { OperatorAccountService } from '../src/auth/operator-account.service.js';
import { auditClient, withAuditClient } from '../src/audit/audit-client.js';
import { bearer, json, login, PASSWORD, register, uniqueEmail } from './support/accounts.js';
import { useTestApp, withTestApp, type TestApp } from './support/app.js';

const api = useTestApp();
const AGENT = 'Mozilla/5.0 (audit-client.spec)';
const from = (ip: string, headers: Record<string, string> = {}) => ({
  'x-forwarded-for': ip,
  'user-agent': AGENT,
  ...headers,
});

interface Entry {
  action: string;
  actor_id: string | null;
  ip: string | null;
  user_agent: string | null;
  data: Record<string, unknown>;
}

async function entries(action: string, targetId: string, app: TestApp = api): Promise<Entry[]> {
  return app.db.query(
    `SELECT action, actor_id, ip, user_agent, data FROM audit_log WHERE action = $1 AND target_id = $2 ORDER BY created_at`,
    [action, targetId],
  );
}

const secretsIn = (entry: Entry) => JSON.stringify(entry).includes(PASSWORD);

describe('where audited events come from', () => {
  it('records a registration with the IP address and the user agent', async () => {
    const email = uniqueEmail('audit');
    const response = await fetch(
      `${api.url}/api/v1/auth/register`,
      json({ email, password: PASSWORD, displayName: 'Audit' }, from('203.0.113.7')),
    );
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    const [entry] = await entries('registered', id);
    expect(entry).toMatchObject({ actor_id: id, ip: '203.0.113.7', user_agent: AGENT });
    expect(secretsIn(entry!)).toBe(false);
  });

  it('records a successful sign-in, without the password or any token', async () => {
    const account = await register(api.url);
    const response = await fetch(
      `${api.url}/api/v1/auth/login`,
      json({ email: account.email, password: account.password }, from('198.51.100.23')),
    );
    expect(response.status).toBe(200);
    const { accessToken } = (await response.json()) as { accessToken: string };
    const [entry] = await entries('login', account.id);
    expect(entry).toMatchObject({ actor_id: account.id, ip: '198.51.100.23', user_agent: AGENT });
    expect(entry!.data.scopes).toEqual(expect.arrayContaining(['posts:write']));
    const text = JSON.stringify(entry);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(accessToken);
    expect(text).not.toContain(response.headers.getSetCookie().join());
  });

  it("records the OAuth token endpoint's password grant as a sign-in", async () => {
    const account = await register(api.url);
    const response = await fetch(`${api.url}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...from('2001:db8::5') },
      body: new URLSearchParams({ grant_type: 'password', username: account.email, password: account.password }),
    });
    expect(response.status).toBe(200);
    const [entry] = await entries('login', account.id);
    expect(entry).toMatchObject({ ip: '2001:db8::5', user_agent: AGENT });
    expect(secretsIn(entry!)).toBe(false);
  });

  it('records a failed sign-in with its client in the columns, not in the details', async () => {
    const account = await register(api.url);
    const response = await fetch(
      `${api.url}/api/v1/auth/login`,
      json({ email: account.email, password: 'Wrong-Horse-Battery-9' }, from('192.0.2.99')),
    );
    expect(response.status).toBe(401);
    const [entry] = await entries('login_failed', account.id);
    expect(entry).toMatchObject({ ip: '192.0.2.99', user_agent: AGENT, data: { reason: 'wrong_password' } });
    expect(entry!.data.ip).toBeUndefined();
    expect(JSON.stringify(entry)).not.toContain('Wrong-Horse-Battery-9');
  });

  it("records a security event in a signed-in request (a password change) with that request's client", async () => {
    const account = await register(api.url);
    const { accessToken } = await login(api.url, account);
    const response = await fetch(
      `${api.url}/api/v1/users/me/password`,
      bearer(
        accessToken,
        json({ currentPassword: PASSWORD, newPassword: 'Another-Horse-Battery-7' }, from('192.0.2.5')),
      ),
    );
    expect(response.status).toBe(204);
    const [entry] = await entries('password_changed', account.id);
    expect(entry).toMatchObject({ ip: '192.0.2.5', user_agent: AGENT });
    expect(JSON.stringify(entry)).not.toContain('Another-Horse-Battery-7');
  });

  it('believes X-Forwarded-For only from a trusted proxy, as the rate limits do', async () => {
    await withTestApp({ env: { TRUST_PROXY: 'false' } }, async (app) => {
      const account = await register(app.url);
      const response = await fetch(
        `${app.url}/api/v1/auth/login`,
        json({ email: account.email, password: account.password }, from('203.0.113.66')),
      );
      expect(response.status).toBe(200);
      const [entry] = await entries('login', account.id, app);
      expect(entry!.ip).toBe('127.0.0.1');
    });
  });

  it("records an operator action with the operator's client", async () => {
    const [operator, user] = [await register(api.url), await register(api.url)];
    await api.db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [operator.id]);
    const accounts = api.app.get(OperatorAccountService);
    await withAuditClient(auditClient('::ffff:192.0.2.44', 'Operator browser'), () =>
      accounts.suspend(operator.id, user.id, { reason: 'Spam' }),
    );
    const [entry] = await entries('user_suspended', user.id);
    expect(entry).toMatchObject({ actor_id: operator.id, ip: '192.0.2.44', user_agent: 'Operator browser' });
  });
});
