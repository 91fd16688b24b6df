/**
 * The edit page of a post: its Markdown, saved with the version the page loaded. If the author
 * saved meanwhile, the panel refuses the save and nothing is overwritten: the page shows the
 * author's newer text beside the operator's, which stays in the editor. Saving again then replaces
 * the newer version knowingly; "Start from their version" puts the author's text in the editor.
 */
import React, { useId, useState } from 'react';
import { ApiClient, type NoticeMessage, useActionResponseHandler, ViewHelpers } from 'adminjs';
import { borders, colors } from '@adminjs/design-system';
import type { ActionPageProps } from '../src/component-props.js';
import type { PostEditConflict, PostEditResponse } from '../src/moderation-props.js';
import { ActionButtons, buttonStyle } from './action-buttons.js';

const api = new ApiClient();
const h = new ViewHelpers();

const pane: React.CSSProperties = {
  width: '100%',
  boxSizing: 'border-box',
  padding: 8,
  border: borders.default,
  borderRadius: 4,
  font: '13px/1.5 ui-monospace, SFMono-Regular, Menlo, monospace',
};

export default function PostEdit({ resource, record }: ActionPageProps<unknown>) {
  const [content, setContent] = useState(String(record?.params.content ?? ''));
  const [version, setVersion] = useState(String(record?.params.version ?? ''));
  const [conflict, setConflict] = useState<PostEditConflict | null>(null);
  const [notice, setNotice] = useState<NoticeMessage | null>(null);
  const [busy, setBusy] = useState(false);
  const handleResponse = useActionResponseHandler();
  const ids = useId();
  if (!record) return null;
  const back = h.recordActionUrl({ resourceId: resource.id, recordId: record.id, actionName: 'show' });

  async function save(event: React.FormEvent): Promise<void> {
    event.preventDefault();
    if (!record) return;
    setBusy(true);
    const data = new FormData();
    data.append('content', content);
    data.append('version', version);
    try {
      const response = await api.recordAction({
        resourceId: resource.id,
        recordId: record.id,
        actionName: 'edit',
        method: 'post',
        data,
      });
      const answer = response.data as typeof response.data & PostEditResponse;
      if (answer.redirectUrl) {
        handleResponse(response);
        return;
      }
      if (answer.conflict) {
        setConflict(answer.conflict);
        // A second save replaces the newer version: the operator has now seen it.
        setVersion(String(answer.conflict.version));
      }
      setNotice(answer.notice ?? { message: 'Not saved. Try again.', type: 'error' });
    } catch {
      setNotice({ message: 'The panel did not answer. Your text is still here: try again.', type: 'error' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      onSubmit={(event) => void save(event)}
      style={{ padding: 24, background: colors.container, borderRadius: 8, boxSizing: 'border-box' }}
    >
      <h2 style={{ fontSize: 18, fontWeight: 600, marginBottom: 16, overflowWrap: 'anywhere' }}>
        Edit “{record.title}”
      </h2>
      {notice ? (
        <p
          role={notice.type === 'error' ? 'alert' : 'status'}
          style={{ color: notice.type === 'error' ? colors.error : colors.success, fontWeight: 600, marginBottom: 16 }}
        >
          {notice.message}
        </p>
      ) : null}
      <div
        style={{
          display: 'grid',
          gridTemplateColumns: conflict ? 'repeat(auto-fit, minmax(320px, 1fr))' : '1fr',
          gap: 16,
          marginBottom: 16,
        }}
      >
        <div>
          <label htmlFor={`${ids}-content`} style={{ display: 'block', fontWeight: 600, marginBottom: 6 }}>
            {conflict ? 'Your Markdown' : 'Markdown'}
          </label>
          <textarea
            id={`${ids}-content`}
            name="content"
            rows={20}
            value={content}
            onChange={(event) => {
              setContent(event.target.value);
            }}
            style={pane}
          />
        </div>
        {conflict ? (
          <section aria-labelledby={`${ids}-newer`} data-pane="newer">
            <h3 id={`${ids}-newer`} style={{ fontWeight: 600, marginBottom: 6 }}>
              The author’s newer version, saved {new Date(conflict.updatedAt).toLocaleString()}
            </h3>
            <pre style={{ ...pane, whiteSpace: 'pre-wrap', wordBreak: 'break-word', margin: 0, minHeight: 200 }}>
              {conflict.content}
            </pre>
            <button
              type="button"
              onClick={() => {
                setContent(conflict.content);
              }}
              style={{ ...buttonStyle, marginTop: 8, background: 'transparent', border: `1px solid ${colors.grey40}` }}
            >
              Start from their version
            </button>
          </section>
        ) : null}
      </div>
      {conflict ? (
        <p style={{ color: colors.grey80, marginBottom: 12 }}>
          Saving now replaces the author’s newer version with your text.
        </p>
      ) : null}
      <ActionButtons label="Save" disabled={busy} back={back} />
    </form>
  );
}
