/**
 * The page of an operator action (ban, sign out everywhere, …): the question, one button, and
 * the answer. The action runs only on that button's POST; AdminJS would otherwise call an action
 * without a page of its own with a GET.
 */
import React, { useState } from 'react';
import { ApiClient, type NoticeMessage } from 'adminjs';
import { colors } from '@adminjs/design-system';
import type { ActionPageProps, ConfirmActionCustom } from '../src/component-props.js';

const api = new ApiClient();

export default function ConfirmAction({ action, resource, record }: ActionPageProps<ConfirmActionCustom>) {
  const [notice, setNotice] = useState<NoticeMessage | null>(null);
  const [busy, setBusy] = useState(false);

  async function confirm(): Promise<void> {
    if (!record) return;
    setBusy(true);
    try {
      const response = await api.recordAction({
        resourceId: resource.id,
        recordId: record.id,
        actionName: action.name,
        method: 'post',
      });
      setNotice(response.data.notice ?? { message: 'Done.', type: 'success' });
    } catch {
      setNotice({ message: 'The panel did not answer. Try again.', type: 'error' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div style={{ padding: 24, background: colors.container, borderRadius: 8 }}>
      <p style={{ fontSize: 16, marginBottom: 8 }}>{action.custom.question}</p>
      <p style={{ color: colors.grey80, marginBottom: 24 }}>{record?.title}</p>
      {notice ? (
        <p role="status" style={{ color: notice.type === 'error' ? colors.error : colors.success, fontWeight: 600 }}>
          {notice.message}
        </p>
      ) : (
        <button
          type="button"
          disabled={busy}
          onClick={() => void confirm()}
          style={{
            padding: '8px 20px',
            background: action.variant === 'danger' ? colors.error : colors.primary100,
            color: colors.white,
            border: 0,
            borderRadius: 4,
            cursor: 'pointer',
          }}
        >
          {action.label}
        </button>
      )}
    </div>
  );
}
