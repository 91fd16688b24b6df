/**
 * One user, whole: what the panel's user page shows besides the account's columns. The last
 * sign-in and the recent history come from the audit log (an account as the actor:
 * `audit_log_actor_idx`; as the target: `audit_log_target_idx`), the last activity and the open
 * sessions from `sessions`, the post counts from `posts`. Read-only, a handful of indexed queries.
 */
import type { DataSource } from 'typeorm';
import { describeDevice, Post } from '@nuell/api';
import { auditLabel } from './audit-labels.js';
import { FOLDED_ACTIONS } from './resources/audit-log.resource.js';
import type { UserHistoryEntry, UserOverview } from './component-props.js';
import type { UserTokenSummary } from './third-party-props.js';

/** Entries the page lists; the audit log, filtered to the account, has the rest. */
export const HISTORY_LIMIT = 20;
/** Personal access tokens the page lists (live ones first); the Access tokens list has them all. */
export const TOKENS_LIMIT = 60;

/** The panel's resource whose record ids are a target type's ids (a session's target id is its family). */
const RESOURCE_OF: Readonly<Record<string, string>> = {
  user: 'User',
  post: 'Post',
  mail_job: 'MailJob',
  oauth_client: 'OAuthClient',
};
const NAME_OF: Readonly<Record<string, string>> = {
  user: 'an account',
  post: 'a post',
  session: 'a session',
  mail_job: 'an e-mail',
  oauth_client: 'an app',
  signing_key: 'a signing key',
};

interface HistoryRow {
  id: string;
  created_at: Date;
  action: string;
  actor_id: string | null;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
}

interface TokenRow {
  id: string;
  name: string;
  scopes: string;
  prefix: string;
  last4: string;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
  live: boolean;
}

/** A token as the page shows it: never the token, never its hash. */
function tokenSummary(row: TokenRow): UserTokenSummary {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes.split(' ').filter(Boolean),
    hint: `${row.prefix}…${row.last4}`,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    status: row.revoked_at !== null ? 'revoked' : row.live ? 'live' : 'expired',
  };
}

/** Whether the posts table has the moderation columns (hidden posts). */
function canHidePosts(dataSource: DataSource): boolean {
  return dataSource.getMetadata(Post).findColumnWithPropertyName('hiddenAt') !== undefined;
}

export async function userOverview(dataSource: DataSource, userId: string): Promise<UserOverview> {
  const query = <T>(sql: string, parameters: unknown[]) => dataSource.query<T[]>(sql, parameters);
  const hidden = canHidePosts(dataSource);

  const [signIns, activity, posts, sessions, history, tokens] = await Promise.all([
    query<{ action: string; created_at: Date; ip: string | null; user_agent: string | null }>(
      `SELECT action, created_at, ip, user_agent FROM audit_log
        WHERE target_type = 'user' AND target_id = $1 AND action IN ('login', 'panel_login')
        ORDER BY created_at DESC LIMIT 1`,
      [userId],
    ),
    query<{ last: Date | null }>('SELECT max(last_used_at) AS last FROM sessions WHERE user_id = $1', [userId]),
    query<{ published: number; drafts: number; hidden: number | null }>(
      `SELECT count(*) FILTER (WHERE status = 'published')::int AS published,
              count(*) FILTER (WHERE status = 'draft')::int AS drafts,
              ${hidden ? 'count(*) FILTER (WHERE hidden_at IS NOT NULL)::int' : 'NULL::int'} AS hidden
         FROM posts WHERE author_id = $1`,
      [userId],
    ),
    query<{ family_id: string; user_agent: string | null; ip: string | null; started_at: Date; last_used_at: Date }>(
      `SELECT s.family_id, s.user_agent, s.ip, s.last_used_at,
              (SELECT min(f.created_at) FROM sessions f WHERE f.family_id = s.family_id) AS started_at
         FROM sessions s
        WHERE s.user_id = $1 AND s.replaced_by IS NULL AND s.revoked_at IS NULL AND s.expires_at > now()
        ORDER BY s.last_used_at DESC`,
      [userId],
    ),
    // Both halves use their index and stop at the limit; panel sign-ins and sign-outs are folded,
    // as in the audit log's list.
    query<HistoryRow>(
      `(SELECT id, created_at, action, actor_id, target_type, target_id, ip FROM audit_log
         WHERE actor_id = $1 AND action <> ALL($3) ORDER BY created_at DESC LIMIT $2)
       UNION
       (SELECT id, created_at, action, actor_id, target_type, target_id, ip FROM audit_log
         WHERE target_type = 'user' AND target_id = $1 AND action <> ALL($3) ORDER BY created_at DESC LIMIT $2)
       ORDER BY created_at DESC, id DESC LIMIT $2`,
      [userId, HISTORY_LIMIT, [...FOLDED_ACTIONS]],
    ),
    // Live tokens first (the ones a revoke is about), then the ones that ended, newest first.
    query<TokenRow>(
      `SELECT id, name, scopes, prefix, last4, created_at, last_used_at, expires_at, revoked_at,
              revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) AS live
         FROM personal_access_tokens WHERE user_id = $1
        ORDER BY live DESC, created_at DESC, id DESC LIMIT $2`,
      [userId, TOKENS_LIMIT],
    ),
  ]);

  const signIn = signIns[0];
  return {
    lastSignIn: signIn
      ? {
          at: signIn.created_at.toISOString(),
          where: signIn.action === 'panel_login' ? 'panel' : 'app',
          ip: signIn.ip,
          device: describeDevice(signIn.user_agent),
        }
      : null,
    lastActivity: activity[0]?.last?.toISOString() ?? null,
    posts: posts[0] ?? { published: 0, drafts: 0, hidden: null },
    sessions: sessions.map((s) => ({
      id: s.family_id,
      device: describeDevice(s.user_agent),
      ip: s.ip,
      startedAt: s.started_at.toISOString(),
      lastUsedAt: s.last_used_at.toISOString(),
    })),
    tokens: tokens.map(tokenSummary),
    tokensLimit: TOKENS_LIMIT,
    history: await describeHistory(dataSource, userId, history),
    historyLimit: HISTORY_LIMIT,
  };
}

/** The entries in words: who did what to what, the other accounts, posts and apps by name. */
async function describeHistory(
  dataSource: DataSource,
  userId: string,
  rows: HistoryRow[],
): Promise<UserHistoryEntry[]> {
  const others = new Set<string>();
  const posts = new Set<string>();
  const apps = new Set<string>();
  for (const row of rows) {
    if (row.actor_id && row.actor_id !== userId) others.add(row.actor_id);
    if (row.target_type === 'user' && row.target_id && row.target_id !== userId) others.add(row.target_id);
    if (row.target_type === 'post' && row.target_id) posts.add(row.target_id);
    if (row.target_type === 'oauth_client' && row.target_id) apps.add(row.target_id);
  }
  const [emails, titles, appNames] = await Promise.all([
    others.size === 0
      ? []
      : dataSource.query<{ id: string; email: string }[]>('SELECT id, email FROM users WHERE id = ANY($1::uuid[])', [
          [...others],
        ]),
    posts.size === 0
      ? []
      : dataSource.query<{ id: string; name: string }[]>(
          'SELECT id, coalesce(title, excerpt) AS name FROM posts WHERE id = ANY($1::uuid[])',
          [[...posts]],
        ),
    apps.size === 0
      ? []
      : dataSource.query<{ id: string; name: string }[]>(
          'SELECT id, name FROM oauth_clients WHERE id = ANY($1::uuid[])',
          [[...apps]],
        ),
  ]);
  const emailOf = new Map(emails.map((row) => [row.id, row.email]));
  const titleOf = new Map([...titles, ...appNames].map((row) => [row.id, row.name]));

  return rows.map((row): UserHistoryEntry => {
    const actor: UserHistoryEntry['actor'] =
      row.actor_id === null
        ? { kind: 'none' }
        : row.actor_id === userId
          ? { kind: 'self' }
          : { kind: 'user', id: row.actor_id, email: emailOf.get(row.actor_id) ?? null };
    let target: UserHistoryEntry['target'] = { kind: 'none' };
    if (row.target_type === 'user' && row.target_id === userId) target = { kind: 'self' };
    else if (row.target_type !== null && row.target_id !== null) {
      const lookedUp = row.target_type === 'user' || row.target_type === 'post' || row.target_type === 'oauth_client';
      const known = row.target_type === 'user' ? emailOf.get(row.target_id) : titleOf.get(row.target_id);
      const kind = NAME_OF[row.target_type] ?? row.target_type;
      const gone = lookedUp && known === undefined;
      target = {
        kind: 'record',
        resource: gone ? null : (RESOURCE_OF[row.target_type] ?? null),
        id: row.target_id,
        name: known || `${kind} ${row.target_id.slice(0, 8)}…${gone ? ' (deleted)' : ''}`,
      };
    }
    return {
      id: row.id,
      at: row.created_at.toISOString(),
      action: row.action,
      label: auditLabel(row.action),
      actor,
      target,
      ip: row.ip,
    };
  });
}
