/**
 * "Signing keys" above the Apps list: the keys that sign the ID tokens of "Sign in with nuell"
 * (which one signs now, until when each is published), and "Rotate now", which starts a new key
 * at once: apps check tokens signed by the old one until it leaves the published set. Rotation
 * happens by itself too; do it by hand when a key may have leaked. The rotation is the API's
 * (apps.resource.ts).
 */
import React, { useEffect, useRef, useState } from 'react';
import { ApiClient } from 'adminjs';
import { colors } from '@adminjs/design-system';
import type { ActionPageProps } from '../src/component-props.js';
import type { SigningKeysAnswer, SigningKeySummary } from '../src/third-party-props.js';
import { buttonStyle } from './action-buttons.js';

const api = new ApiClient();

const cell: React.CSSProperties = {
  padding: '8px 12px 8px 0',
  borderBottom: `1px solid ${colors.grey20}`,
  verticalAlign: 'top',
  textAlign: 'left',
  overflowWrap: 'anywhere',
};

function When({ at, none }: { at: string | null; none: string }) {
  if (!at) return <span>{none}</span>;
  return (
    <time dateTime={at} title={at}>
      {new Date(at).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}
    </time>
  );
}

function Keys({ keys }: { keys: readonly SigningKeySummary[] }) {
  if (keys.length === 0) {
    return <p style={{ color: colors.grey80 }}>None yet: the first is made when an app first asks for an ID token.</p>;
  }
  return (
    <table data-signing-keys style={{ width: '100%', borderCollapse: 'collapse', tableLayout: 'fixed', fontSize: 14 }}>
      <thead>
        <tr>
          <th style={{ ...cell, width: '34%' }}>Key id</th>
          <th style={{ ...cell, width: '22%' }}>Made</th>
          <th style={{ ...cell, width: '22%' }}>Signs</th>
          <th style={{ ...cell, width: '22%' }}>Published until</th>
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => (
          <tr key={key.kid} data-current={key.current ? 'true' : undefined}>
            <td style={cell}>
              <code style={{ fontSize: 13 }}>{key.kid}</code>
              <div style={{ color: colors.grey80, fontSize: 13 }}>
                {key.algorithm}
                {key.current ? ', signing now' : ''}
              </div>
            </td>
            <td style={cell}>
              <When at={key.createdAt} none="—" />
            </td>
            <td style={cell}>
              {key.current ? (
                <>
                  until <When at={key.signsUntil} none="rotated" />
                </>
              ) : (
                <>
                  stopped <When at={key.signsUntil} none="—" />
                </>
              )}
            </td>
            <td style={cell}>
              <When at={key.publishedUntil} none="while it signs" />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function SigningKeys({ action, resource }: ActionPageProps<Record<string, never>>) {
  const [answer, setAnswer] = useState<SigningKeysAnswer | null>(null);
  const [failed, setFailed] = useState(false);
  const [asked, setAsked] = useState(false);
  const [busy, setBusy] = useState(false);
  // Keyboard users stay where they were: on the question once asked, on the button once answered.
  const question = useRef<HTMLParagraphElement>(null);
  const start = useRef<HTMLButtonElement>(null);
  const opened = useRef(false);
  useEffect(() => {
    if (asked) question.current?.focus();
    else if (opened.current) start.current?.focus();
    opened.current = asked || opened.current;
  }, [asked]);

  useEffect(() => {
    let live = true;
    api
      .resourceAction({ resourceId: resource.id, actionName: action.name })
      .then((response) => {
        if (live) setAnswer(response.data as SigningKeysAnswer);
      })
      .catch(() => {
        if (live) setFailed(true);
      });
    return () => {
      live = false;
    };
  }, [resource.id, action.name]);

  async function rotate(): Promise<void> {
    setBusy(true);
    try {
      const response = await api.resourceAction({ resourceId: resource.id, actionName: action.name, method: 'post' });
      setAnswer(response.data as SigningKeysAnswer);
      setAsked(false);
    } catch {
      setAnswer((current) => ({
        keys: current?.keys ?? [],
        notice: { message: 'The panel did not answer. Try again.', type: 'error' },
      }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section
      aria-labelledby="signing-keys-title"
      style={{ padding: 24, background: colors.container, borderRadius: 8, maxWidth: 900, boxSizing: 'border-box' }}
    >
      <h1 id="signing-keys-title" style={{ fontSize: 18, fontWeight: 600, lineHeight: 1.4, marginBottom: 8 }}>
        Signing keys
      </h1>
      <p style={{ color: colors.grey80, lineHeight: 1.5, marginBottom: 16 }}>
        These keys sign the ID tokens apps receive when people sign in with their nuell account. Apps check the
        signature against the published keys. A new key takes over by itself every 30 days, and an old one stays
        published until every token it signed has expired.
      </p>
      {failed ? (
        <p role="alert" style={{ color: colors.error }}>
          The panel did not answer with the keys. Reload the page to try again.
        </p>
      ) : answer ? (
        <Keys keys={answer.keys} />
      ) : (
        <p>…</p>
      )}
      {answer?.notice ? (
        <p
          role="status"
          style={{
            color: answer.notice.type === 'error' ? colors.error : colors.success,
            fontWeight: 600,
            margin: '16px 0 0',
            overflowWrap: 'anywhere',
          }}
        >
          {answer.notice.message}
        </p>
      ) : null}
      <h2 style={{ fontSize: 16, fontWeight: 600, margin: '28px 0 8px' }}>Rotate now</h2>
      {asked ? (
        <div>
          <p ref={question} tabIndex={-1} style={{ lineHeight: 1.5, marginBottom: 16, outline: 'none' }}>
            Start a new signing key now? New ID tokens are signed with it at once. The current key stops signing but
            stays published until its tokens have expired, so nobody is signed out. Do this when a key may have leaked.
          </p>
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12 }}>
            <button
              type="button"
              disabled={busy}
              onClick={() => void rotate()}
              style={{ ...buttonStyle, background: colors.error, color: colors.white }}
            >
              Rotate the signing key
            </button>
            <button
              type="button"
              onClick={() => {
                setAsked(false);
              }}
              style={{
                ...buttonStyle,
                background: 'transparent',
                color: colors.grey100,
                border: `1px solid ${colors.grey40}`,
              }}
            >
              Keep the current key
            </button>
          </div>
        </div>
      ) : (
        <button
          ref={start}
          type="button"
          onClick={() => {
            setAsked(true);
          }}
          disabled={!answer}
          style={{
            ...buttonStyle,
            background: 'transparent',
            color: colors.error,
            border: `1px solid ${colors.error}`,
          }}
        >
          Rotate the signing key…
        </button>
      )}
    </section>
  );
}
