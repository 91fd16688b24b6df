/**
 * "Correct e-mail" on a user's page: the new address, what follows from the change, the button and
 * Cancel, then the answer. The change itself is OperatorAccountService.correctEmail's (user-page.ts).
 */
import React, { useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiClient, type NoticeMessage, ViewHelpers } from 'adminjs';
import { colors } from '@adminjs/design-system';
import type { ActionPageProps, CorrectEmailCustom } from '../src/component-props.js';
import { ActionButtons } from './action-buttons.js';

const api = new ApiClient();
const h = new ViewHelpers();

export default function CorrectEmail({ action, resource, record }: ActionPageProps<CorrectEmailCustom>) {
  const [email, setEmail] = useState('');
  const [notice, setNotice] = useState<NoticeMessage | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!record) return null;
  const current = String(record.params.email);
  const back = h.recordActionUrl({ resourceId: resource.id, recordId: record.id, actionName: 'show' });

  async function submit(event: React.FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (!record) return;
    setBusy(true);
    try {
      const data = new FormData();
      data.append('email', email);
      const response = await api.recordAction({
        resourceId: resource.id,
        recordId: record.id,
        actionName: action.name,
        method: 'post',
        data,
      });
      const answer = response.data.notice ?? { message: 'Done.', type: 'success' };
      setNotice(answer);
      setDone(answer.type === 'success');
    } catch {
      setNotice({ message: 'The panel did not answer. Try again.', type: 'error' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section
      aria-labelledby="correct-email-title"
      style={{ padding: 24, background: colors.container, borderRadius: 8, maxWidth: 760, boxSizing: 'border-box' }}
    >
      <h2
        id="correct-email-title"
        style={{ fontSize: 18, fontWeight: 600, lineHeight: 1.4, marginBottom: 8, overflowWrap: 'anywhere' }}
      >
        {done ? `${current} now signs in as ${email.trim()}` : `Correct the e-mail address of ${current}`}
      </h2>
      <p style={{ color: colors.grey80, lineHeight: 1.5, marginBottom: 20 }}>
        The account signs in with the new address at once; its sessions carry on. {current} is told where the account
        went, and links e-mailed before (a password reset) stop working. The new address gets a link to confirm it:
        {action.custom.newAddressVerified ? '' : ' until its owner follows it, the address is not verified.'} Use it for
        a typo or a mailbox the owner has lost, once you know who is asking.
      </p>
      {done ? null : (
        <form onSubmit={(event) => void submit(event)} noValidate>
          <label htmlFor="correct-email-new" style={{ display: 'block', fontWeight: 600, marginBottom: 6 }}>
            New e-mail address
          </label>
          <input
            id="correct-email-new"
            name="email"
            type="email"
            autoComplete="off"
            required
            maxLength={254}
            value={email}
            onChange={(event) => {
              setEmail(event.target.value);
            }}
            aria-invalid={notice?.type === 'error'}
            aria-describedby={notice ? 'correct-email-answer' : undefined}
            style={{
              display: 'block',
              width: '100%',
              maxWidth: 480,
              boxSizing: 'border-box',
              padding: '8px 10px',
              fontSize: 14,
              border: `1px solid ${notice?.type === 'error' ? colors.error : colors.grey40}`,
              borderRadius: 4,
              marginBottom: 16,
            }}
          />
          <ActionButtons label="Correct the address" disabled={busy || email.trim() === ''} back={back} />
        </form>
      )}
      {notice ? (
        <p
          id="correct-email-answer"
          role="status"
          style={{
            color: notice.type === 'error' ? colors.errorDark : colors.successDark,
            fontWeight: 600,
            marginTop: 16,
            lineHeight: 1.5,
            overflowWrap: 'anywhere',
          }}
        >
          {notice.message}
        </p>
      ) : null}
      {done ? (
        <Link to={back} style={{ color: colors.primary100 }}>
          Back to the account
        </Link>
      ) : null}
    </section>
  );
}
