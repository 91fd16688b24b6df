/**
 * docs/operations.md: a panel session ends after 30 minutes without a request. The server keeps
 * that expiry itself (panel_sessions.expire), so a cookie kept past its Expires, or a client that
 * ignores Expires, gets nothing more: what this checks, beside the cookie's own Expires that
 * sign-in.spec.ts reads.
 */
import { pollUntil } from '../../scripts/lib/poll.mjs';
import { operator, type PanelClient, signedIn, usePanelAndApi } from './support/panel.js';

const { panel, api } = usePanelAndApi();

/** The session id inside the signed cookie `nuell_panel=s:<id>.<signature>`. */
const sessionId = (client: PanelClient) => decodeURIComponent(client.cookie!.split('=')[1]!).slice(2).split('.')[0]!;

/** Whole minutes until the stored expiry. */
async function minutesLeft(sid: string): Promise<number> {
  const [row] = await panel.db.query<{ minutes: string }[]>(
    `SELECT round(extract(epoch FROM expire - now()) / 60) AS minutes FROM panel_sessions WHERE sid = $1`,
    [sid],
  );
  return Number(row?.minutes);
}

describe('a panel session', () => {
  it('is kept by the server for 30 minutes from the last request, and no longer', async () => {
    const client = await signedIn(panel, await operator(api));
    const sid = sessionId(client);
    expect(await minutesLeft(sid)).toBe(30);

    // Near its end, a request gives it 30 minutes again.
    await panel.db.query(`UPDATE panel_sessions SET expire = now() + interval '1 minute' WHERE sid = $1`, [sid]);
    expect((await client.get('/cp/api/dashboard')).status).toBe(200);
    await pollUntil('the request has moved the expiry on', async () => (await minutesLeft(sid)) === 30);

    // 30 minutes without a request: the stored expiry has passed, though the client still sends
    // the cookie (it never looks at Expires).
    await panel.db.query(`UPDATE panel_sessions SET expire = now() - interval '1 second' WHERE sid = $1`, [sid]);
    const refused = await client.get('/cp/api/dashboard');
    expect(refused.status).toBe(302);
    expect(refused.headers.get('location')).toBe('/cp/login');
  });
});
