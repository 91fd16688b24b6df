/**
 * One user, whole (the Users' show page): the address as the title, the actions that apply, the
 * account's state (suspended, with the reason and the end), its second factors (the authenticator
 * app, passkeys), last sign-in and activity, posts, open sessions, personal access tokens (each live
 * one with Revoke, the Access tokens' confirmation page) and recent history in words, and links to each list filtered to the account.
 * The figures come from the hidden `overview` action (user-overview.ts).
 */
import React, { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { ActionButton, ApiClient, type ActionJSON, type RecordJSON, useTranslation, ViewHelpers } from 'adminjs';
import { colors, shadows } from '@adminjs/design-system';
import type { ActionPageProps, UserHistoryEntry, UserOverview } from '../src/component-props.js';
import type { UserTokenSummary } from '../src/third-party-props.js';

const api = new ApiClient();
const h = new ViewHelpers();

const card: React.CSSProperties = {
  background: colors.container,
  borderRadius: 8,
  boxShadow: shadows.card,
  padding: 16,
  minWidth: 0,
  overflowWrap: 'anywhere',
};
const caption: React.CSSProperties = { color: colors.grey80, fontSize: 13, marginBottom: 6 };
const strong: React.CSSProperties = { fontSize: 18, fontWeight: 600, lineHeight: 1.3 };
const small: React.CSSProperties = { color: colors.grey80, fontSize: 13, lineHeight: 1.5, marginTop: 4 };
const cell: React.CSSProperties = {
  padding: '8px 12px 8px 0',
  borderBottom: `1px solid ${colors.grey20}`,
  verticalAlign: 'top',
  textAlign: 'left',
  overflowWrap: 'anywhere',
};
const sectionTitle: React.CSSProperties = { fontSize: 16, fontWeight: 600, margin: '28px 0 12px' };

/** A time as operators read it, with the exact ISO time on hover. */
function When({ at }: { at: string | null | undefined }) {
  if (!at) return <span>never</span>;
  const date = new Date(at);
  return (
    <time dateTime={at} title={at}>
      {date.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}
    </time>
  );
}

/** A column of the record as text; null when it is not set. */
const param = (record: RecordJSON, name: string): string | null => {
  const value = record.params[name] as unknown;
  if (typeof value === 'string') return value === '' ? null : value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
};

const list = (resourceId: string, filters: Record<string, string>) =>
  h.resourceUrl({
    resourceId,
    search: `?${new URLSearchParams(Object.entries(filters).map(([key, value]) => [`filters.${key}`, value])).toString()}`,
  });

function Actions({
  record,
  resourceId,
  label,
}: {
  record: RecordJSON;
  resourceId: string;
  label: (a: ActionJSON) => string;
}) {
  const actions = record.recordActions.filter((action) => action.name !== 'show');
  return (
    <div data-user-actions style={{ display: 'flex', flexWrap: 'wrap', gap: 8, margin: '16px 0 8px' }}>
      {actions.map((action) => (
        <ActionButton key={action.name} action={action} resourceId={resourceId} recordId={record.id}>
          <a
            style={{
              display: 'inline-block',
              padding: '6px 14px',
              borderRadius: 4,
              fontSize: 13,
              lineHeight: '20px',
              cursor: 'pointer',
              textDecoration: 'none',
              whiteSpace: 'nowrap',
              border: `1px solid ${action.variant === 'danger' ? colors.error : colors.primary100}`,
              color: action.variant === 'danger' ? colors.error : colors.primary100,
              background: colors.white,
            }}
          >
            {label(action)}
          </a>
        </ActionButton>
      ))}
    </div>
  );
}

function Who({ entry, self }: { entry: UserHistoryEntry; self: string }) {
  const { actor } = entry;
  if (actor.kind === 'self') return <span>{self}</span>;
  if (actor.kind === 'none')
    return <span style={{ color: colors.grey80 }}>nobody (automatic, or an unknown address)</span>;
  return actor.email ? (
    <Link to={h.recordActionUrl({ resourceId: 'User', recordId: actor.id, actionName: 'show' })}>{actor.email}</Link>
  ) : (
    <span>a deleted account</span>
  );
}

function What({ entry }: { entry: UserHistoryEntry }) {
  const { target } = entry;
  if (target.kind === 'self') return <span>this account</span>;
  if (target.kind === 'none') return <span style={{ color: colors.grey80 }}>—</span>;
  return target.resource ? (
    <Link to={h.recordActionUrl({ resourceId: target.resource, recordId: target.id, actionName: 'show' })}>
      {target.name}
    </Link>
  ) : (
    <span>{target.name}</span>
  );
}

/** Whether the account signs in with a second factor: the authenticator app, and how many passkeys. */
function TwoStep({ record }: { record: RecordJSON }) {
  const app = record.params.twoStep === true;
  const since = param(record, 'twoStepSince');
  const passkeys = Number(record.params.passkeys ?? 0);
  const keys = passkeys === 0 ? 'no passkeys' : `${passkeys} passkey${passkeys === 1 ? '' : 's'}`;
  return (
    <>
      <div style={{ ...strong, color: app || passkeys > 0 ? colors.successDark : colors.grey100 }}>
        {app ? 'On' : passkeys > 0 ? 'Passkeys only' : 'Off'}
      </div>
      <div style={small}>
        {app ? (
          <>
            authenticator app since <When at={since} />, {keys}
          </>
        ) : (
          `no authenticator app, ${keys}`
        )}
      </div>
    </>
  );
}

const STATUS_WORDS: Readonly<Record<UserTokenSummary['status'], string>> = {
  live: 'Live',
  expired: 'Expired',
  revoked: 'Revoked',
};

/** One personal access token: its name and hint, what it may do, its dates, and Revoke while it is live. */
function Token({ token, userPage }: { token: UserTokenSummary; userPage: string }) {
  const ended = token.status !== 'live';
  return (
    <li
      data-token={token.id}
      data-status={token.status}
      style={{
        display: 'flex',
        flexWrap: 'wrap',
        gap: '8px 24px',
        alignItems: 'flex-start',
        padding: '10px 0',
        borderBottom: `1px solid ${colors.grey20}`,
        fontSize: 14,
        color: ended ? colors.grey80 : undefined,
      }}
    >
      <div style={{ flex: '2 1 220px', minWidth: 0, overflowWrap: 'anywhere' }}>
        <div style={{ fontWeight: 600 }}>{token.name}</div>
        <div style={{ ...small, marginTop: 2 }}>
          <code>{token.hint}</code> · {token.scopes.join(', ')}
        </div>
      </div>
      <div style={{ flex: '3 1 260px', minWidth: 0, lineHeight: 1.5 }}>
        <div>
          Made <When at={token.createdAt} />, last used <When at={token.lastUsedAt} />
        </div>
        <div>
          {token.status === 'revoked' ? (
            <>
              Revoked <When at={token.revokedAt} />
            </>
          ) : token.expiresAt ? (
            <>
              {token.status === 'expired' ? 'Expired' : 'Expires'} <When at={token.expiresAt} />
            </>
          ) : (
            'Never expires'
          )}
        </div>
      </div>
      <div style={{ flex: '0 0 auto', minWidth: 80 }}>
        {ended ? (
          <span>{STATUS_WORDS[token.status]}</span>
        ) : (
          <Link
            to={h.recordActionUrl({ resourceId: 'PersonalAccessToken', recordId: token.id, actionName: 'revoke' })}
            state={{ back: userPage, label: 'Back to the account' }}
            aria-label={`Revoke ${token.name}`}
            style={{ color: colors.error }}
          >
            Revoke…
          </Link>
        )}
      </div>
    </li>
  );
}

function Suspension({ record }: { record: RecordJSON }) {
  if (record.params.isActive !== false) return null;
  const since = param(record, 'suspendedAt');
  const until = param(record, 'suspendedUntil');
  const reason = param(record, 'suspensionReason');
  const message = param(record, 'suspensionMessage');
  return (
    <div
      role="note"
      data-suspension
      style={{
        ...card,
        boxShadow: 'none',
        border: `1px solid ${colors.error}`,
        background: '#fff5f7',
        margin: '8px 0 16px',
      }}
    >
      <div style={{ fontWeight: 600, marginBottom: 6 }}>
        Suspended
        {since ? (
          <>
            {' '}
            since <When at={since} />
          </>
        ) : null}
        {until ? (
          <>
            , until <When at={until} /> (lifted by itself then)
          </>
        ) : (
          ', until an operator lifts it'
        )}
      </div>
      <div style={{ lineHeight: 1.5 }}>Reason (operators only): {reason ?? 'none recorded'}</div>
      <div style={{ lineHeight: 1.5 }}>
        Message the user sees when signing in: {message ?? 'none (only that the account is suspended)'}
      </div>
    </div>
  );
}

export default function UserShow({ resource, record }: ActionPageProps<Record<string, never>>) {
  const { translateAction, translateLabel } = useTranslation();
  const [overview, setOverview] = useState<UserOverview | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!record) return;
    let live = true;
    setOverview(null);
    api
      .recordAction({ resourceId: resource.id, recordId: record.id, actionName: 'overview' })
      .then((response) => {
        if (live) setOverview((response.data as unknown as { overview: UserOverview }).overview);
      })
      .catch(() => {
        if (live) setFailed(true);
      });
    return () => {
      live = false;
    };
  }, [resource.id, record?.id]);

  if (!record) return null;
  const email = param(record, 'email') ?? record.title;
  const verifiedAt = param(record, 'emailVerifiedAt');
  const id = record.id;

  return (
    <div data-user-page style={{ maxWidth: 1200, minWidth: 0 }}>
      <nav aria-label="Breadcrumb" style={{ fontSize: 14, color: colors.grey60 }}>
        <Link to={h.dashboardUrl()} style={{ color: colors.grey60, textDecoration: 'none' }}>
          Dashboard
        </Link>
        {' / '}
        <Link to={h.resourceUrl({ resourceId: resource.id })} style={{ color: colors.grey60, textDecoration: 'none' }}>
          {translateLabel(resource.name, resource.id)}
        </Link>
        {' / '}
        <span aria-current="page" style={{ color: colors.grey100 }}>
          {email}
        </span>
      </nav>
      <h1 data-title style={{ fontSize: 26, fontWeight: 400, margin: '16px 0 6px', overflowWrap: 'anywhere' }}>
        {email}
      </h1>
      <div style={{ color: colors.grey80, lineHeight: 1.5 }}>
        {param(record, 'displayName')} · {record.params.role === 'admin' ? 'Operator (admin)' : 'User'} · joined{' '}
        <When at={param(record, 'createdAt')} />
      </div>
      <Actions
        record={record}
        resourceId={resource.id}
        label={(action) => translateAction(action.label, resource.id)}
      />
      <Suspension record={record} />

      <div
        data-user-figures
        style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(150px, 1fr))', gap: 12, marginTop: 8 }}
      >
        <div style={card} data-figure="Account">
          <div style={caption}>Account</div>
          <div style={{ ...strong, color: record.params.isActive === false ? colors.errorDark : colors.successDark }}>
            {record.params.isActive === false ? 'Suspended' : 'Active'}
          </div>
        </div>
        <div style={card} data-figure="E-mail">
          <div style={caption}>E-mail address</div>
          <div style={strong}>{verifiedAt ? 'Verified' : 'Not verified'}</div>
          {verifiedAt ? (
            <div style={small}>
              on <When at={verifiedAt} />
            </div>
          ) : null}
        </div>
        <div style={card} data-figure="Two-step sign-in">
          <div style={caption}>Two-step sign-in</div>
          <TwoStep record={record} />
        </div>
        <div style={card} data-figure="Last sign-in">
          <div style={caption}>Last sign-in</div>
          <div style={strong}>{overview ? <When at={overview.lastSignIn?.at} /> : '…'}</div>
          {overview?.lastSignIn ? (
            <div style={small}>
              {overview.lastSignIn.where === 'panel' ? 'control panel' : 'web app or API'}, {overview.lastSignIn.device}
              {overview.lastSignIn.ip ? `, ${overview.lastSignIn.ip}` : ''}
            </div>
          ) : null}
        </div>
        <div style={card} data-figure="Last activity">
          <div style={caption}>Last activity</div>
          <div style={strong}>{overview ? <When at={overview.lastActivity} /> : '…'}</div>
          <div style={small}>a request or a refresh in any session</div>
        </div>
        <div style={card} data-figure="Posts">
          <div style={caption}>Posts</div>
          <div style={strong}>{overview ? `${overview.posts.published} published` : '…'}</div>
          {overview ? (
            <div style={small}>
              {overview.posts.drafts} draft{overview.posts.drafts === 1 ? '' : 's'}
              {overview.posts.hidden ? `, ${overview.posts.hidden} hidden` : ''} ·{' '}
              <Link to={list('Post', { authorId: id })}>all posts</Link>
            </div>
          ) : null}
        </div>
        <div style={card} data-figure="Open sessions">
          <div style={caption}>Open sessions</div>
          <div style={strong}>{overview ? overview.sessions.length : '…'}</div>
          <div style={small}>
            <Link to={list('Session', { userId: id })}>all sessions</Link>
          </div>
        </div>
      </div>

      {failed ? (
        <p role="alert" style={{ color: colors.error, marginTop: 16 }}>
          The panel did not answer with this account's activity. Reload the page to try again.
        </p>
      ) : null}

      <h2 style={sectionTitle}>Open sessions</h2>
      {overview && overview.sessions.length === 0 ? (
        <p style={{ color: colors.grey80 }}>None: the account is signed in nowhere.</p>
      ) : (
        <table
          data-user-sessions
          style={{ width: '100%', borderCollapse: 'collapse', tableLayout: 'fixed', fontSize: 14 }}
        >
          <thead>
            <tr>
              <th style={{ ...cell, width: '34%' }}>Device</th>
              <th style={{ ...cell, width: '22%' }}>IP address</th>
              <th style={{ ...cell, width: '22%' }}>Signed in</th>
              <th style={{ ...cell, width: '22%' }}>Last used</th>
            </tr>
          </thead>
          <tbody>
            {(overview?.sessions ?? []).map((session) => (
              <tr key={session.id}>
                <td style={cell}>{session.device}</td>
                <td style={cell}>{session.ip ?? 'unknown'}</td>
                <td style={cell}>
                  <When at={session.startedAt} />
                </td>
                <td style={cell}>
                  <When at={session.lastUsedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 style={sectionTitle}>Personal access tokens</h2>
      <p style={{ color: colors.grey80, marginBottom: 8, lineHeight: 1.5 }}>
        Tokens the account made for its scripts: each acts as the account within its scopes until it expires or is
        revoked. Revoking one stops it at once; the account can make another in its settings.{' '}
        <Link to={list('PersonalAccessToken', { userId: id })}>All its tokens</Link>
      </p>
      {overview && overview.tokens.length === 0 ? (
        <p style={{ color: colors.grey80 }}>None: the account has never made one.</p>
      ) : (
        <ul data-user-tokens style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {(overview?.tokens ?? []).map((token) => (
            <Token
              key={token.id}
              token={token}
              userPage={h.recordActionUrl({ resourceId: resource.id, recordId: id, actionName: 'show' })}
            />
          ))}
        </ul>
      )}

      <h2 style={sectionTitle}>Recent activity</h2>
      <p style={{ color: colors.grey80, marginBottom: 12, lineHeight: 1.5 }}>
        The {overview?.historyLimit ?? 20} newest audit entries by or about this account (control panel sign-ins left
        out). The audit log has them all: <Link to={list('AuditLog', { actorId: id })}>what this account did</Link>,{' '}
        <Link to={list('AuditLog', { targetType: 'user', targetId: id })}>what was done to it</Link>.
      </p>
      {overview && overview.history.length === 0 ? (
        <p style={{ color: colors.grey80 }}>Nothing recorded yet.</p>
      ) : (
        <table
          data-user-history
          style={{ width: '100%', borderCollapse: 'collapse', tableLayout: 'fixed', fontSize: 14 }}
        >
          <thead>
            <tr>
              <th style={{ ...cell, width: '17%' }}>When</th>
              <th style={{ ...cell, width: '27%' }}>What</th>
              <th style={{ ...cell, width: '20%' }}>Who</th>
              <th style={{ ...cell, width: '22%' }}>On</th>
              <th style={{ ...cell, width: '14%' }}>From</th>
            </tr>
          </thead>
          <tbody>
            {(overview?.history ?? []).map((entry) => (
              <tr key={entry.id} data-action={entry.action}>
                <td style={cell}>
                  <Link to={h.recordActionUrl({ resourceId: 'AuditLog', recordId: entry.id, actionName: 'show' })}>
                    <When at={entry.at} />
                  </Link>
                </td>
                <td style={cell}>{entry.label}</td>
                <td style={cell}>
                  <Who entry={entry} self="this account" />
                </td>
                <td style={cell}>
                  <What entry={entry} />
                </td>
                <td style={cell}>{entry.ip ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 style={sectionTitle}>Details</h2>
      <dl
        data-user-details
        style={{
          display: 'grid',
          gridTemplateColumns: 'minmax(120px, max-content) 1fr',
          gap: '6px 16px',
          fontSize: 14,
        }}
      >
        <dt style={{ color: colors.grey80 }}>Id</dt>
        <dd style={{ overflowWrap: 'anywhere' }}>{id}</dd>
        <dt style={{ color: colors.grey80 }}>Display name</dt>
        <dd style={{ overflowWrap: 'anywhere' }}>{param(record, 'displayName')}</dd>
        <dt style={{ color: colors.grey80 }}>Created</dt>
        <dd>
          <When at={param(record, 'createdAt')} />
        </dd>
        <dt style={{ color: colors.grey80 }}>Updated</dt>
        <dd>
          <When at={param(record, 'updatedAt')} />
        </dd>
      </dl>
    </div>
  );
}
