/**
 * "Suspend" on an account, and on the accounts selected in the list: the reason (for operators),
 * an optional end (in the operator's own time zone, sent as an instant) and an optional message
 * the account's owner reads when signing in. A refusal shows beside the field it is about; in bulk,
 * the accounts that could not be suspended are listed with why. The suspension itself is the
 * server's (suspension-actions.ts).
 */
import React, { useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiClient, type NoticeMessage, ViewHelpers } from 'adminjs';
import { colors } from '@adminjs/design-system';
import type { ActionPageProps } from '../src/component-props.js';
import type { SuspendAnswer, SuspendFormCustom } from '../src/suspension-props.js';
import { ActionButtons, buttonStyle } from './action-buttons.js';

const api = new ApiClient();
const h = new ViewHelpers();

const field: React.CSSProperties = {
  width: '100%',
  maxWidth: 640,
  boxSizing: 'border-box',
  padding: '8px 10px',
  border: `1px solid ${colors.grey40}`,
  borderRadius: 4,
  fontSize: 14,
  fontFamily: 'inherit',
};
const label: React.CSSProperties = { display: 'block', fontWeight: 600, marginBottom: 6 };
const hint: React.CSSProperties = { color: colors.grey80, fontSize: 13, margin: '4px 0 0' };
const fieldError: React.CSSProperties = { color: colors.error, fontSize: 13, margin: '4px 0 0' };

/** The end as the server wants it: an instant. A local date and time field has no zone of its own. */
function instant(local: string): string {
  if (local === '') return '';
  const parsed = new Date(local);
  return Number.isNaN(parsed.getTime()) ? local : parsed.toISOString();
}

const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

export default function SuspendForm({ action, resource, record, records }: ActionPageProps<SuspendFormCustom>) {
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const [message, setMessage] = useState('');
  const [notice, setNotice] = useState<NoticeMessage | null>(null);
  const [errors, setErrors] = useState<Readonly<Record<string, string>>>({});
  const [refused, setRefused] = useState<SuspendAnswer['refused']>([]);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const selected = records ?? [];
  const bulk = !record;
  const names = bulk ? selected.map((r) => String(r.params.email)) : [String(record.params.email)];
  const back = bulk
    ? h.resourceUrl({ resourceId: resource.id })
    : h.recordActionUrl({ resourceId: resource.id, recordId: record.id, actionName: 'show' });
  const { maxLength } = action.custom;

  async function submit(event: React.FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setRefused([]);
    try {
      const data = new FormData();
      data.append('reason', reason);
      data.append('until', instant(until));
      data.append('message', message);
      const common = { resourceId: resource.id, actionName: action.name, method: 'post' as const, data };
      const response = bulk
        ? await api.bulkAction({ ...common, recordIds: selected.map((r) => r.id) })
        : await api.recordAction({ ...common, recordId: record.id });
      const answer = response.data as SuspendAnswer & { notice?: NoticeMessage };
      const said = answer.notice ?? { message: 'Done.', type: 'success' };
      setNotice(said);
      setErrors(answer.errors ?? {});
      setRefused(answer.refused ?? []);
      // In bulk, some may be suspended and others refused: the form has done its work either way.
      setDone(said.type === 'success' || (answer.refused?.length ?? 0) > 0);
    } catch {
      setNotice({ message: 'The panel did not answer. Try again.', type: 'error' });
    } finally {
      setBusy(false);
    }
  }

  const title = bulk
    ? `Suspend ${names.length} account${names.length === 1 ? '' : 's'}`
    : `Suspend ${names[0] ?? 'this account'}`;

  return (
    <section
      aria-labelledby="suspend-title"
      style={{ padding: 24, background: colors.container, borderRadius: 8, maxWidth: 760, boxSizing: 'border-box' }}
    >
      <h1
        id="suspend-title"
        style={{ fontSize: 18, fontWeight: 600, lineHeight: 1.4, marginBottom: 8, overflowWrap: 'anywhere' }}
      >
        {title}
      </h1>
      {bulk ? (
        <ul style={{ margin: '0 0 12px 20px', listStyle: 'disc', overflowWrap: 'anywhere' }} aria-label="Accounts">
          {names.map((name) => (
            <li key={name}>{name}</li>
          ))}
        </ul>
      ) : null}
      <p style={{ color: colors.grey80, lineHeight: 1.5, marginBottom: 20 }}>
        Every session ends at once and the account cannot sign in until the suspension ends or an operator lifts it. Its
        posts stop showing to others. When its owner signs in with the right password, they are told the account is
        suspended, with your message and the end, if you give them; never the reason.
      </p>
      {notice ? (
        <p
          role="status"
          style={{
            color: notice.type === 'error' ? colors.error : colors.success,
            fontWeight: 600,
            marginBottom: 16,
            overflowWrap: 'anywhere',
          }}
        >
          {notice.message}
        </p>
      ) : null}
      {refused && refused.length > 0 ? (
        <ul aria-label="Not suspended" style={{ margin: '0 0 16px 20px', listStyle: 'disc', overflowWrap: 'anywhere' }}>
          {refused.map((r) => (
            <li key={r.email}>{r.reason.includes(r.email) ? r.reason : `${r.email}: ${r.reason}`}</li>
          ))}
        </ul>
      ) : null}
      {done ? (
        <Link to={back} style={{ ...buttonStyle, background: colors.primary100, color: colors.white }}>
          {bulk ? 'Back to the list' : 'Back to the account'}
        </Link>
      ) : (
        <form onSubmit={(event) => void submit(event)} noValidate>
          <div style={{ marginBottom: 16 }}>
            <label htmlFor="suspend-reason" style={label}>
              Reason (operators only)
            </label>
            <textarea
              id="suspend-reason"
              name="reason"
              rows={3}
              required
              maxLength={maxLength}
              value={reason}
              onChange={(event) => {
                setReason(event.target.value);
              }}
              aria-invalid={errors.reason ? true : undefined}
              aria-describedby="suspend-reason-hint"
              style={field}
            />
            <p id="suspend-reason-hint" style={errors.reason ? fieldError : hint}>
              {errors.reason ?? 'Why, for the operators who read the account or the audit log later.'}
            </p>
          </div>
          <div style={{ marginBottom: 16 }}>
            <label htmlFor="suspend-until" style={label}>
              Ends (optional)
            </label>
            <input
              id="suspend-until"
              name="until"
              type="datetime-local"
              value={until}
              onChange={(event) => {
                setUntil(event.target.value);
              }}
              aria-invalid={errors.until ? true : undefined}
              aria-describedby="suspend-until-hint"
              style={{ ...field, maxWidth: 280 }}
            />
            <p id="suspend-until-hint" style={errors.until ? fieldError : hint}>
              {errors.until ??
                `Your time (${zone}). The suspension lifts by itself then. Leave it empty to suspend until an operator lifts it.`}
            </p>
          </div>
          <div style={{ marginBottom: 20 }}>
            <label htmlFor="suspend-message" style={label}>
              Message to the account's owner (optional)
            </label>
            <textarea
              id="suspend-message"
              name="message"
              rows={3}
              maxLength={maxLength}
              value={message}
              onChange={(event) => {
                setMessage(event.target.value);
              }}
              aria-invalid={errors.message ? true : undefined}
              aria-describedby="suspend-message-hint"
              style={field}
            />
            <p id="suspend-message-hint" style={errors.message ? fieldError : hint}>
              {errors.message ??
                'Shown when they sign in. Leave it empty and they are told only that the account is suspended.'}
            </p>
          </div>
          <ActionButtons
            label={bulk ? `Suspend ${names.length} account${names.length === 1 ? '' : 's'}` : 'Suspend'}
            danger
            disabled={busy}
            back={back}
          />
        </form>
      )}
    </section>
  );
}
