/**
 * The page of an operator action (suspend, sign out everywhere, delete, …): a question that names
 * the record ("Sign alice@example.com out of every session?"), what follows from it, the action's
 * button and Cancel, then the answer. The action runs only on that button's POST; AdminJS would
 * otherwise call an action without a page of its own with a GET. The question comes from the
 * action's GET (operator-action.ts), which can count what goes with the record.
 */
import React, { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { ApiClient, type NoticeMessage, useActionResponseHandler, useTranslation, ViewHelpers } from 'adminjs';
import { colors } from '@adminjs/design-system';
import type {
  ActionPageProps,
  Confirmation,
  ConfirmActionCustom,
  ConfirmationResponse,
} from '../src/component-props.js';
import { ActionButtons } from './action-buttons.js';

const api = new ApiClient();
const h = new ViewHelpers();

export default function ConfirmAction({ action, resource, record }: ActionPageProps<ConfirmActionCustom>) {
  const [confirmation, setConfirmation] = useState<Confirmation | null>(
    action.custom.question ? { question: action.custom.question } : null,
  );
  const [notice, setNotice] = useState<NoticeMessage | null>(null);
  const [busy, setBusy] = useState(false);
  const handleResponse = useActionResponseHandler();
  const { translateAction } = useTranslation();
  // A page that links here may say where to go back to (the user page's Revoke on a token).
  const state = useLocation().state as { back?: unknown; label?: unknown } | null;
  const from = typeof state?.back === 'string' && state.back.startsWith('/') ? state.back : null;
  const back = from
    ? from
    : record
      ? h.recordActionUrl({ resourceId: resource.id, recordId: record.id, actionName: 'show' })
      : '';

  useEffect(() => {
    if (!record) return;
    let live = true;
    api
      .recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name })
      .then((response) => {
        const asked = (response.data as Partial<ConfirmationResponse>).confirmation;
        if (live && asked) setConfirmation(asked);
      })
      .catch(() => {
        if (live) setNotice({ message: 'The panel did not answer. Reload the page to try again.', type: 'error' });
      });
    return () => {
      live = false;
    };
  }, [resource.id, record?.id, action.name]);

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
      if (response.data.redirectUrl) {
        // Gone (a deletion): the list it leaves for says so.
        handleResponse(response);
        return;
      }
      setNotice(response.data.notice ?? { message: 'Done.', type: 'success' });
    } catch {
      setNotice({ message: 'The panel did not answer. Try again.', type: 'error' });
    } finally {
      setBusy(false);
    }
  }

  const danger = action.variant === 'danger';
  return (
    <section
      aria-labelledby="confirm-question"
      style={{ padding: 24, background: colors.container, borderRadius: 8, maxWidth: 760, boxSizing: 'border-box' }}
    >
      <h2
        id="confirm-question"
        style={{ fontSize: 18, lineHeight: 1.4, fontWeight: 600, marginBottom: 8, overflowWrap: 'anywhere' }}
      >
        {confirmation?.question ?? '…'}
      </h2>
      {confirmation?.consequence ? (
        <p style={{ color: colors.grey80, lineHeight: 1.5, marginBottom: 24, overflowWrap: 'anywhere' }}>
          {confirmation.consequence}
        </p>
      ) : (
        <div style={{ marginBottom: 24 }} />
      )}
      {notice ? (
        <div>
          <p
            role="status"
            style={{
              color: notice.type === 'error' ? colors.error : colors.success,
              fontWeight: 600,
              marginBottom: 16,
            }}
          >
            {notice.message}
          </p>
          {back ? (
            <Link to={back} style={{ color: colors.primary100 }}>
              {from && typeof state?.label === 'string' ? state.label : `Back to ${record?.title}`}
            </Link>
          ) : null}
        </div>
      ) : (
        <ActionButtons
          label={translateAction(action.label, resource.id)}
          danger={danger}
          disabled={busy || !confirmation}
          onClick={() => void confirm()}
          back={back}
        />
      )}
    </section>
  );
}
