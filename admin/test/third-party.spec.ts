/**
 * Third-party access in the panel, over HTTP against the real panel and API: a user's personal
 * access tokens on their page and in the tokens list, an operator's revocation that the API
 * honours on the token's next request, and the audit entry in the operator's name.
 */
import { bearer, json, login, register, verify, type Account } from '../../api/test/support/accounts.js';
import type { UserOverview } from '../src/component-props.js';
import { operator, type PanelClient, signedIn, usePanelAndApi } from './support/panel.js';

const { panel, api } = usePanelAndApi();

let ops: Account;
let client: PanelClient;
beforeAll(async () => {
  ops = await operator(api);
  client = await signedIn(panel, ops);
});

const overviewOf = async (id: string) =>
  (await client.json<{ overview: UserOverview }>(`/cp/api/resources/User/records/${id}/overview`)).overview;

/** A token the user makes in their settings (the API), answered once. */
async function makeToken(
  user: Account,
  body: { name: string; scopes: string[]; expiresInDays: number | null },
): Promise<{ id: string; token: string }> {
  const { accessToken } = await login(api.url, user);
  const res = await fetch(`${api.url}/api/v1/users/me/tokens`, bearer(accessToken, json(body)));
  if (res.status !== 201) throw new Error(`making a token answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { id: string; token: string };
}

const me = (token: string) => fetch(`${api.url}/api/v1/users/me`, bearer(token));

describe('personal access tokens', () => {
  it("lists a user's tokens on their page, never the token, live ones first", async () => {
    const user = await register(api.url);
    await verify(api.url, user);
    const old = await makeToken(user, { name: 'old script', scopes: ['profile:read'], expiresInDays: 7 });
    await api.db.query(`UPDATE personal_access_tokens SET expires_at = now() - interval '1 day' WHERE id = $1`, [
      old.id,
    ]);
    const deploy = await makeToken(user, {
      name: 'deploy',
      scopes: ['posts:write', 'profile:read'],
      expiresInDays: null,
    });
    expect((await me(deploy.token)).status).toBe(200);

    const { tokens, tokensLimit } = await overviewOf(user.id);
    expect(tokensLimit).toBeGreaterThanOrEqual(50);
    expect(tokens.map((t) => [t.name, t.status, t.expiresAt === null])).toEqual([
      ['deploy', 'live', true],
      ['old script', 'expired', false],
    ]);
    const [live] = tokens;
    expect(live).toMatchObject({
      id: deploy.id,
      scopes: ['posts:write', 'profile:read'],
      hint: `nuell_pat_…${deploy.token.slice(-4)}`,
      revokedAt: null,
    });
    expect(live?.lastUsedAt).not.toBeNull();
    const page = JSON.stringify(
      await client.json(`/cp/api/resources/PersonalAccessToken/actions/list?filters.userId=${user.id}`),
    );
    expect(page).toContain('deploy');
    expect(page).not.toContain(deploy.token);
    expect(page).not.toMatch(/token_?hash/i);
  });

  it('an operator revokes a live token: the API refuses it at once, and the audit log names the operator', async () => {
    const user = await register(api.url);
    await verify(api.url, user);
    const { id, token } = await makeToken(user, { name: 'leaked', scopes: ['profile:read'], expiresInDays: 30 });
    const other = await makeToken(user, { name: 'kept', scopes: ['profile:read'], expiresInDays: 30 });

    const ask = await client.json<{ confirmation: { question: string; consequence: string } }>(
      `/cp/api/resources/PersonalAccessToken/records/${id}/revoke`,
    );
    expect(ask.confirmation.question).toBe(
      `Revoke the token "leaked" (nuell_pat_…${token.slice(-4)}) of ${user.email}?`,
    );
    // The GET only asks.
    expect((await me(token)).status).toBe(200);

    const answer = await client.act('PersonalAccessToken', id, 'revoke');
    expect(answer.notice).toEqual({ message: 'Revoked: "leaked" no longer works.', type: 'success' });
    expect(answer.record.params.status).toBe('revoked');
    expect((await me(token)).status).toBe(401);
    expect((await me(other.token)).status).toBe(200);

    const [entry] = await api.db.query<{ actor_id: string; target_type: string; target_id: string; data: object }[]>(
      `SELECT actor_id, target_type, target_id, data FROM audit_log WHERE action = 'token_revoked' AND target_id = $1`,
      [user.id],
    );
    expect(entry).toEqual({
      actor_id: ops.id,
      target_type: 'user',
      target_id: user.id,
      data: { token: id, name: 'leaked' },
    });
    const overview = await overviewOf(user.id);
    expect(overview.tokens.find((t) => t.id === id)?.status).toBe('revoked');
    expect(overview.history[0]).toMatchObject({
      action: 'token_revoked',
      label: 'Revoked a personal access token',
      actor: { kind: 'user', id: ops.id, email: ops.email },
    });

    // Revoke is no longer offered, and a POST made anyway is refused in words.
    const again = await client.act('PersonalAccessToken', id, 'revoke');
    expect(again.notice.type).toBe('error');
    expect(again.notice.message).toMatch(/revoked already/);
  });
});
