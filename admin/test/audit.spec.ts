/**
 * The audit log answers "who, what, when, from where" in the panel: panel sign-ins, sign-outs and
 * operator actions record the client's IP address and user agent; the list folds panel sign-ins
 * and links targets to their records; the CSV export gives the filtered rows, quoted, with
 * formulas defused, to operators only, and is audited itself.
 */
import { register } from '../../api/test/support/accounts.js';
import { operator, PanelClient, signedIn, usePanelAndApi } from './support/panel.js';

const { panel, api } = usePanelAndApi();
const AGENT = 'Mozilla/5.0 (audit.spec)';

interface Entry {
  action: string;
  actor_id: string | null;
  target_id: string | null;
  ip: string | null;
  user_agent: string | null;
}

async function lastEntry(action: string, actorId: string): Promise<Entry | undefined> {
  const [entry] = await api.db.query(
    `SELECT action, actor_id, target_id, ip, user_agent FROM audit_log
      WHERE action = $1 AND actor_id = $2 ORDER BY created_at DESC LIMIT 1`,
    [action, actorId],
  );
  return entry as Entry | undefined;
}

interface Listed {
  params: Record<string, string>;
  populated: Record<string, { params: Record<string, string> } | undefined>;
}

/** A GET with the client's session and the given headers. */
function get(client: PanelClient, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${panel.url}${path}`, {
    redirect: 'manual',
    headers: { ...(client.cookie ? { cookie: client.cookie } : {}), ...headers },
  });
}

/** A CSV body as rows of cells (RFC 4180, every cell quoted). */
function parseCsv(text: string): string[][] {
  expect(text.endsWith('\r\n')).toBe(true);
  return text
    .slice(0, -2)
    .split('\r\n')
    .map((line) => {
      const cells = line.match(/"(?:[^"]|"")*"/g) ?? [];
      expect(cells.join(',')).toBe(line); // nothing outside quotes
      return cells.map((cell) => cell.slice(1, -1).replace(/""/g, '"'));
    });
}

describe('where panel events come from', () => {
  it('records a panel sign-in and a sign-out with the IP address and the user agent', async () => {
    const ada = await operator(api);
    const client = new PanelClient(panel);
    const signIn = await client.signIn(ada.email, ada.password, {
      'x-forwarded-for': '203.0.113.20',
      'user-agent': AGENT,
    });
    expect(signIn.status).toBe(302);
    await signIn.arrayBuffer();
    expect(await lastEntry('panel_login', ada.id)).toMatchObject({
      target_id: ada.id,
      ip: '203.0.113.20',
      user_agent: AGENT,
    });

    const signOut = await client.post('/cp/logout', {}, { 'x-forwarded-for': '203.0.113.21', 'user-agent': AGENT });
    expect(signOut.status).toBe(303);
    expect(await lastEntry('panel_logout', ada.id)).toMatchObject({ ip: '203.0.113.21', user_agent: AGENT });
    expect((await client.get('/cp/api/dashboard')).status).toBe(302); // signed out indeed
  });

  it("records an operator action with the operator's IP address and user agent", async () => {
    const ada = await operator(api);
    const client = await signedIn(panel, ada);
    const user = await register(api.url);
    const response = await client.post(
      `/cp/api/resources/User/records/${user.id}/suspend`,
      { reason: 'Spam' },
      { 'x-forwarded-for': '2001:db8::7', 'user-agent': AGENT },
    );
    expect(response.status).toBe(200);
    expect(await lastEntry('user_suspended', ada.id)).toMatchObject({
      target_id: user.id,
      ip: '2001:db8::7',
      user_agent: AGENT,
    });
  });
});

describe('the audit list', () => {
  it('folds panel sign-ins unless the action filter asks for them, and links targets to their records', async () => {
    const ada = await operator(api);
    const client = await signedIn(panel, ada);
    const user = await register(api.url);
    await client.act('User', user.id, 'markVerified');

    const mine = await client.json<{ records: Listed[] }>(
      `/cp/api/resources/AuditLog/actions/list?filters.actorId=${ada.id}&perPage=50`,
    );
    const actions = mine.records.map((r) => r.params.action);
    expect(actions).toContain('email_marked_verified');
    expect(actions).not.toContain('panel_login');

    const signIns = await client.json(
      `/cp/api/resources/AuditLog/actions/list?filters.actorId=${ada.id}&filters.action=panel_login`,
    );
    expect(signIns.records).toHaveLength(1);

    const entry = mine.records.find((r) => r.params.action === 'email_marked_verified');
    expect(entry?.params.targetUser).toBe(user.id);
    expect(entry?.populated.targetUser?.params.email).toBe(user.email); // shown as a link to the user
  });
});

describe('GET /cp/audit-log.csv', () => {
  it('answers the filtered rows as quoted CSV, formulas defused, and audits the export', async () => {
    const ada = await operator(api);
    const client = await signedIn(panel, ada);
    const user = await register(api.url);
    const hostile = ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2+3', '@SUM(A1)', 'plain, "quoted"'];
    for (const [i, agent] of hostile.entries()) {
      const action = i % 2 === 0 ? 'suspend' : 'liftSuspension';
      const response = await client.post(
        `/cp/api/resources/User/records/${user.id}/${action}`,
        action === 'suspend' ? { reason: 'Spam' } : {},
        {
          'user-agent': agent,
        },
      );
      expect(response.status).toBe(200);
    }

    const response = await get(client, `/cp/audit-log.csv?filters.targetId=${user.id}&filters.actorId=${ada.id}`, {
      'x-forwarded-for': '198.51.100.9',
      'user-agent': AGENT,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-log-[\d-]+\.csv"$/);
    const [header, ...rows] = parseCsv(await response.text());
    expect(header).toEqual(['createdAt', 'action', 'actorId', 'targetType', 'targetId', 'ip', 'userAgent', 'data']);
    expect(rows).toHaveLength(hostile.length); // only this user's entries by this operator
    const column = (name: string) => rows.map((row) => row[header!.indexOf(name)]);
    expect(column('action')).toEqual([
      'user_suspended',
      'user_unsuspended',
      'user_suspended',
      'user_unsuspended',
      'user_suspended',
    ]);
    expect(new Set(column('targetId'))).toEqual(new Set([user.id]));
    expect(column('ip').every((ip) => ip === '127.0.0.1')).toBe(true);
    expect(new Date(column('createdAt')[0]!).getTime()).not.toBeNaN();
    expect(column('userAgent')).toEqual(
      // newest first; formulas prefixed with an apostrophe, the rest as written
      ['plain, "quoted"', "'@SUM(A1)", "'-2+3", "'+1+1", `'=HYPERLINK("http://evil.example","x")`],
    );

    const exported = await lastEntry('audit_exported', ada.id);
    expect(exported).toMatchObject({ ip: '198.51.100.9', user_agent: AGENT });
    const [{ data }] = await api.db.query(
      `SELECT data FROM audit_log WHERE action = 'audit_exported' AND actor_id = $1`,
      [ada.id],
    );
    expect(data).toEqual({ filters: { targetId: user.id, actorId: ada.id }, rows: hostile.length });
  });

  it('leaves panel sign-ins out unless the action filter names them, like the list', async () => {
    const ada = await operator(api);
    const client = await signedIn(panel, ada);
    const rows = async (query: string) =>
      parseCsv(await (await get(client, `/cp/audit-log.csv?filters.actorId=${ada.id}${query}`)).text()).slice(1);
    expect((await rows('')).map((row) => row[1])).not.toContain('panel_login');
    expect((await rows('&filters.action=panel_login')).map((row) => row[1])).toEqual(['panel_login']);
  });

  it('is refused to anyone but a signed-in operator', async () => {
    const anonymous = await get(new PanelClient(panel), '/cp/audit-log.csv');
    expect(anonymous.status).toBe(302);
    // To the sign-in page, which leads back to the download (deep links survive sign-in).
    expect(anonymous.headers.get('location')).toBe('/cp/login?next=%2Fcp%2Faudit-log.csv');

    const user = await register(api.url);
    expect((await new PanelClient(panel).signIn(user.email, user.password)).status).toBe(401);

    // An operator demoted while signed in: the session ends at the export.
    const bea = await operator(api);
    const client = await signedIn(panel, bea);
    await api.db.query(`UPDATE users SET role = 'user' WHERE id = $1`, [bea.id]);
    const demoted = await get(client, '/cp/audit-log.csv');
    expect(demoted.status).toBe(302);
    expect(demoted.headers.get('content-type')).not.toMatch(/csv/);
    expect(await lastEntry('audit_exported', bea.id)).toBeUndefined();
  });
});
