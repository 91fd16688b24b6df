/**
 * The page of an operator action (ban, sign out everywhere, …): the question, one button, and
 * the answer. The action runs only on that button's POST; AdminJS would otherwise call an action
 * without a page of its own with a GET.
 */
import React, { useState } from 'react';
import { type ActionProps, ApiClient } from 'adminjs';

const api = new ApiClient();

interface Notice {
  readonly message: string;
  readonly type: string;
}

export default function ConfirmAction({ action, resource, record }: ActionProps) {
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  const question = String(action.custom.question ?? '');
  const danger = action.variant === 'danger';

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
      setNotice((response.data as { notice?: Notice }).notice ?? { message: 'Done.', type: 'success' });
    } catch {
      setNotice({ message: 'The panel did not answer. Try again.', type: 'error' });
    } finally {
      setBusy(false);
    }
  }

  const color = danger ? '#c20012' : '#3040d6';
  return (
    <div style={{ padding: 24, background: '#fff', borderRadius: 8 }}>
      <p style={{ fontSize: 16, marginBottom: 8 }}>{question}</p>
      <p style={{ color: '#666', marginBottom: 24 }}>{record?.title}</p>
      {notice ? (
        <p role="status" style={{ color: notice.type === 'error' ? '#c20012' : '#0a7d33', fontWeight: 600 }}>
          {notice.message}
        </p>
      ) : (
        <button
          type="button"
          disabled={busy}
          onClick={() => void confirm()}
          style={{
            padding: '8px 20px',
            background: color,
            color: '#fff',
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
