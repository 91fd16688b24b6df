/**
 * The page of Hide and Restore on a post, and of Hide on the selected posts: a question that names
 * the post(s), what follows, the reason (required to hide: the author reads it), the action's
 * button and Cancel, then the answer. The action runs only on that button's POST.
 */
import React, { useId, useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiClient, type NoticeMessage, useTranslation, ViewHelpers } from 'adminjs';
import { colors } from '@adminjs/design-system';
import type { ActionPageProps } from '../src/component-props.js';
import type { ModeratePostCustom } from '../src/moderation-props.js';
import { ActionButtons } from './action-buttons.js';

const api = new ApiClient();
const h = new ViewHelpers();

/** Titles named in a bulk question before "and N more". */
const NAMED = 8;

export default function ModeratePost({ action, resource, record, records }: ActionPageProps<ModeratePostCustom>) {
  const custom = action.custom;
  const many = records ?? [];
  const bulk = !record;
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<NoticeMessage | null>(null);
  const [busy, setBusy] = useState(false);
  const { translateAction } = useTranslation();
  const ids = useId();
  const back = record
    ? h.recordActionUrl({ resourceId: resource.id, recordId: record.id, actionName: 'show' })
    : h.resourceUrl({ resourceId: resource.id });
  const question = bulk
    ? `${custom.verb} ${many.length === 1 ? 'this post' : `these ${many.length} posts`}?`
    : `${custom.verb} “${record.title}”?`;
  const missing = custom.reasonRequired && reason.trim() === '';

  async function submit(event: React.FormEvent): Promise<void> {
    event.preventDefault();
    if (missing) {
      setNotice({ message: 'Say why: the author reads the reason.', type: 'error' });
      return;
    }
    setBusy(true);
    const data = new FormData();
    data.append('reason', reason);
    try {
      const response = bulk
        ? await api.bulkAction({
            resourceId: resource.id,
            recordIds: many.map((item) => item.id),
            actionName: action.name,
            method: 'post',
            data,
          })
        : await api.recordAction({
            resourceId: resource.id,
            recordId: record.id,
            actionName: action.name,
            method: 'post',
            data,
          });
      setNotice(response.data.notice ?? { message: 'Done.', type: 'success' });
    } catch {
      setNotice({ message: 'The panel did not answer. Try again.', type: 'error' });
    } finally {
      setBusy(false);
    }
  }

  const done = notice?.type === 'success';
  return (
    <section
      aria-labelledby={`${ids}-question`}
      style={{ padding: 24, background: colors.container, borderRadius: 8, maxWidth: 760, boxSizing: 'border-box' }}
    >
      <h2
        id={`${ids}-question`}
        style={{ fontSize: 18, lineHeight: 1.4, fontWeight: 600, marginBottom: 8, overflowWrap: 'anywhere' }}
      >
        {question}
      </h2>
      {bulk ? (
        <ul style={{ margin: '0 0 12px 20px', listStyle: 'disc', overflowWrap: 'anywhere' }}>
          {many.slice(0, NAMED).map((item) => (
            <li key={item.id}>{item.title}</li>
          ))}
          {many.length > NAMED ? <li>and {many.length - NAMED} more</li> : null}
        </ul>
      ) : null}
      <p style={{ color: colors.grey80, lineHeight: 1.5, marginBottom: 20, overflowWrap: 'anywhere' }}>
        {custom.consequence}
      </p>
      {done ? null : (
        <form onSubmit={(event) => void submit(event)} noValidate>
          <label htmlFor={`${ids}-reason`} style={{ display: 'block', fontWeight: 600, marginBottom: 4 }}>
            {custom.reasonLabel}
          </label>
          <p id={`${ids}-hint`} style={{ color: colors.grey80, fontSize: 13, marginBottom: 6 }}>
            {custom.reasonHint}
          </p>
          <textarea
            id={`${ids}-reason`}
            name="reason"
            rows={4}
            maxLength={custom.reasonMax}
            required={custom.reasonRequired}
            aria-describedby={`${ids}-hint`}
            aria-invalid={notice?.type === 'error' && missing ? true : undefined}
            value={reason}
            onChange={(event) => {
              setReason(event.target.value);
              // A refusal is about what was sent: it goes once the reason changes.
              if (notice?.type === 'error') setNotice(null);
            }}
            style={{
              width: '100%',
              boxSizing: 'border-box',
              padding: 8,
              font: 'inherit',
              border: `1px solid ${colors.grey40}`,
              borderRadius: 4,
              marginBottom: 16,
            }}
          />
          <ActionButtons
            label={translateAction(action.label, resource.id)}
            danger={action.variant === 'danger'}
            disabled={busy}
            back={back}
          />
        </form>
      )}
      {notice ? (
        <div style={{ marginTop: 16 }}>
          <p
            role="status"
            style={{
              color: notice.type === 'error' ? colors.error : colors.success,
              fontWeight: 600,
              marginBottom: 12,
            }}
          >
            {notice.message}
          </p>
          {done ? (
            <Link to={back} style={{ color: colors.primary100 }}>
              {record ? `Back to “${record.title}”` : 'Back to the posts'}
            </Link>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
