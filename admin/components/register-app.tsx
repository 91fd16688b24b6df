/**
 * "Register an app" above the Apps list: an app the operators register for a partner (no owner
 * among the users). Its name, whether it can keep a secret, where it may send users back, and
 * what it may ask for; then its client id and, for a confidential app, its secret, shown this once
 * with a copy button. The registration itself is the API's (apps.resource.ts).
 */
import React, { useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiClient, ViewHelpers } from 'adminjs';
import { colors } from '@adminjs/design-system';
import type { ActionPageProps } from '../src/component-props.js';
import type { RegisterAppAnswer, RegisterAppCustom } from '../src/third-party-props.js';
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
const legend: React.CSSProperties = { ...label, padding: 0 };
const hint: React.CSSProperties = { color: colors.grey80, fontSize: 13, margin: '4px 0 0', lineHeight: 1.5 };
const fieldError: React.CSSProperties = { ...hint, color: colors.error };
const choice: React.CSSProperties = {
  display: 'flex',
  gap: 8,
  alignItems: 'flex-start',
  margin: '6px 0',
  lineHeight: 1.4,
};
const code: React.CSSProperties = {
  display: 'block',
  fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace',
  fontSize: 14,
  padding: '8px 10px',
  background: colors.grey20,
  borderRadius: 4,
  overflowWrap: 'anywhere',
  userSelect: 'all',
};

function Copy({ value, what }: { value: string; what: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      onClick={() => {
        void navigator.clipboard.writeText(value).then(() => {
          setCopied(true);
        });
      }}
      style={{
        ...buttonStyle,
        padding: '4px 12px',
        background: 'transparent',
        color: colors.primary100,
        border: `1px solid ${colors.primary100}`,
      }}
    >
      {copied ? 'Copied' : `Copy the ${what}`}
    </button>
  );
}

export default function RegisterApp({ action, resource }: ActionPageProps<RegisterAppCustom>) {
  const { scopes, nameMax, redirectUrisMax } = action.custom;
  const [name, setName] = useState('');
  const [type, setType] = useState<'confidential' | 'public'>('confidential');
  const [redirectUris, setRedirectUris] = useState('');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [answer, setAnswer] = useState<RegisterAppAnswer | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const back = h.resourceUrl({ resourceId: resource.id });
  const errors = answer?.errors ?? {};
  const registered = answer?.registered;

  async function submit(event: React.FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setBusy(true);
    try {
      const data = new FormData();
      data.append('name', name);
      data.append('type', type);
      data.append('redirectUris', redirectUris);
      data.append('scopes', [...chosen].join(' '));
      const response = await api.resourceAction({
        resourceId: resource.id,
        actionName: action.name,
        method: 'post',
        data,
      });
      setAnswer(response.data as RegisterAppAnswer);
      if ((response.data as RegisterAppAnswer).registered) heading.current?.focus();
    } catch {
      setAnswer({ notice: { message: 'The panel did not answer. Try again.', type: 'error' } });
    } finally {
      setBusy(false);
    }
  }

  const toggle = (scope: string) => {
    setChosen((current) => {
      const next = new Set(current);
      if (next.has(scope)) next.delete(scope);
      else next.add(scope);
      return next;
    });
  };

  return (
    <section
      aria-labelledby="register-app-title"
      style={{ padding: 24, background: colors.container, borderRadius: 8, maxWidth: 760, boxSizing: 'border-box' }}
    >
      <h1
        id="register-app-title"
        ref={heading}
        tabIndex={-1}
        style={{ fontSize: 18, fontWeight: 600, lineHeight: 1.4, marginBottom: 8, overflowWrap: 'anywhere' }}
      >
        {registered ? `${registered.name} is registered` : 'Register an app'}
      </h1>
      {registered ? (
        <div data-registered>
          <p style={{ lineHeight: 1.5, marginBottom: 16 }}>
            Give these to the app's developers.{' '}
            {registered.clientSecret
              ? 'The secret is shown now and never again: the panel keeps only a fingerprint of it. If it is lost, the app needs a new one.'
              : 'A public app has no secret: it proves itself with PKCE at each sign-in.'}
          </p>
          <div style={{ marginBottom: 16 }}>
            <div style={label}>Client id</div>
            <code data-client-id style={code}>
              {registered.clientId}
            </code>
            <div style={{ marginTop: 8 }}>
              <Copy value={registered.clientId} what="client id" />
            </div>
          </div>
          {registered.clientSecret ? (
            <div style={{ marginBottom: 16 }}>
              <div style={label}>Client secret (shown once)</div>
              <code data-client-secret style={code}>
                {registered.clientSecret}
              </code>
              <div style={{ marginTop: 8 }}>
                <Copy value={registered.clientSecret} what="secret" />
              </div>
            </div>
          ) : null}
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12, marginTop: 24 }}>
            <Link
              to={h.recordActionUrl({ resourceId: resource.id, recordId: registered.id, actionName: 'show' })}
              style={{
                ...buttonStyle,
                background: colors.primary100,
                color: colors.white,
                border: `1px solid ${colors.primary100}`,
              }}
            >
              Go to the app
            </Link>
            <Link
              to={back}
              style={{
                ...buttonStyle,
                background: 'transparent',
                color: colors.grey100,
                border: `1px solid ${colors.grey40}`,
              }}
            >
              Back to the apps
            </Link>
          </div>
        </div>
      ) : (
        <>
          <p style={{ color: colors.grey80, lineHeight: 1.5, marginBottom: 20 }}>
            For a partner's app that the operators register: users see it as registered by the operators of this
            service, not by one of them. Users register their own apps in the web app's developer settings.
          </p>
          {answer?.notice ? (
            <p
              role="status"
              style={{ color: colors.error, fontWeight: 600, marginBottom: 16, overflowWrap: 'anywhere' }}
            >
              {answer.notice.message}
            </p>
          ) : null}
          <form onSubmit={(event) => void submit(event)} noValidate>
            <div style={{ marginBottom: 16 }}>
              <label htmlFor="app-name" style={label}>
                Name
              </label>
              <input
                id="app-name"
                name="name"
                autoComplete="off"
                required
                maxLength={nameMax}
                value={name}
                onChange={(event) => {
                  setName(event.target.value);
                }}
                aria-invalid={errors.name ? true : undefined}
                aria-describedby="app-name-hint"
                style={field}
              />
              <p id="app-name-hint" style={errors.name ? fieldError : hint}>
                {errors.name ?? 'What users see when the app asks them for access.'}
              </p>
            </div>
            <fieldset style={{ border: 0, padding: 0, margin: '0 0 16px' }} aria-describedby="app-type-hint">
              <legend style={legend}>Kind of app</legend>
              <label style={choice}>
                <input
                  type="radio"
                  name="type"
                  value="confidential"
                  checked={type === 'confidential'}
                  onChange={() => {
                    setType('confidential');
                  }}
                />
                <span>Confidential: runs on a server that can keep a secret</span>
              </label>
              <label style={choice}>
                <input
                  type="radio"
                  name="type"
                  value="public"
                  checked={type === 'public'}
                  onChange={() => {
                    setType('public');
                  }}
                />
                <span>Public: runs on people's devices (a mobile or single-page app), no secret</span>
              </label>
              <p id="app-type-hint" style={errors.type ? fieldError : hint}>
                {errors.type ?? 'Every app uses PKCE; a confidential one also proves itself with its secret.'}
              </p>
            </fieldset>
            <div style={{ marginBottom: 16 }}>
              <label htmlFor="app-redirect-uris" style={label}>
                Redirect URIs
              </label>
              <textarea
                id="app-redirect-uris"
                name="redirectUris"
                rows={3}
                required
                value={redirectUris}
                onChange={(event) => {
                  setRedirectUris(event.target.value);
                }}
                aria-invalid={errors.redirectUris ? true : undefined}
                aria-describedby="app-redirect-uris-hint"
                placeholder="https://app.example.com/callback"
                style={field}
              />
              <p id="app-redirect-uris-hint" style={errors.redirectUris ? fieldError : hint}>
                {errors.redirectUris ??
                  `One a line, up to ${redirectUrisMax}: where users are sent back after they answer, matched exactly. https, or http on localhost for development.`}
              </p>
            </div>
            <fieldset style={{ border: 0, padding: 0, margin: '0 0 20px' }} aria-describedby="app-scopes-hint">
              <legend style={legend}>What it may ask for</legend>
              {scopes.map(({ scope, description }) => (
                <label key={scope} style={choice}>
                  <input
                    type="checkbox"
                    name="scopes"
                    value={scope}
                    checked={chosen.has(scope)}
                    onChange={() => {
                      toggle(scope);
                    }}
                  />
                  <span>
                    {description} <span style={{ color: colors.grey80 }}>({scope})</span>
                  </span>
                </label>
              ))}
              <p id="app-scopes-hint" style={errors.scopes ? fieldError : hint}>
                {errors.scopes ?? 'Users are asked for no more than this, and can refuse.'}
              </p>
            </fieldset>
            <ActionButtons label="Register the app" disabled={busy} back={back} />
          </form>
        </>
      )}
    </section>
  );
}
