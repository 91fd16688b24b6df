/**
 * The health page (/cp/pages/health): the database, the e-mail queue, sign-in failures, rate-limit
 * refusals and the error rate over the last hour and day, and the processes seen lately. The
 * figures come from health-page.ts; the sums lag behind by up to one sample interval.
 */
import React, { useCallback, useEffect, useState } from 'react';
import { ApiClient } from 'adminjs';
import { Button, colors, shadows } from '@adminjs/design-system';
import type { HealthPageData, OpsWindowData, ReplicaData } from '../src/ops-props.js';

const card: React.CSSProperties = {
  background: colors.container,
  borderRadius: 8,
  boxShadow: shadows.card,
  padding: 20,
  minWidth: 0,
};
const heading: React.CSSProperties = { fontSize: 16, fontWeight: 600, marginBottom: 12 };
const muted: React.CSSProperties = { color: colors.grey80, fontSize: 13 };
const cell: React.CSSProperties = { padding: '6px 8px', borderBottom: `1px solid ${colors.grey20}`, textAlign: 'left' };
const number: React.CSSProperties = { ...cell, textAlign: 'right', fontVariantNumeric: 'tabular-nums' };

const count = (n: number) => n.toLocaleString('en');

/** 0.0042 → "0.42 %"; null (nothing answered) → "no requests". */
function percent(rate: number | null): string {
  if (rate === null) return 'no requests';
  if (rate === 0) return '0 %';
  const value = rate * 100;
  return `${value < 0.01 ? '< 0.01' : value.toLocaleString('en', { maximumFractionDigits: value < 1 ? 2 : 1 })} %`;
}

/** "12 s ago", "3 min ago", "2 h ago". */
function ago(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 90) return `${String(seconds)} s ago`;
  if (seconds < 5400) return `${String(Math.round(seconds / 60))} min ago`;
  return `${String(Math.round(seconds / 3600))} h ago`;
}

/** 30 → "30 s", 300 → "5 minutes", 3600 → "hour". */
function every(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? 'hour' : `${String(seconds / 3600)} hours`;
  if (seconds >= 120 && seconds % 60 === 0) return `${String(seconds / 60)} minutes`;
  return `${String(seconds)} s`;
}

const time = (iso: string) => new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });

function Figure({ label, value, href, note }: { label: string; value: string; href?: string; note?: string }) {
  const body = (
    <>
      <div style={href ? { ...muted, color: colors.primary100, textDecoration: 'underline' } : muted}>{label}</div>
      <div style={{ fontSize: 26, fontWeight: 600, marginTop: 4 }}>{value}</div>
      {note && <div style={{ ...muted, marginTop: 4 }}>{note}</div>}
    </>
  );
  return (
    <div data-figure={label} style={{ minWidth: 0 }}>
      {href ? (
        <a href={href} style={{ color: 'inherit', textDecoration: 'none' }} title={`Show the list: ${label}`}>
          {body}
        </a>
      ) : (
        body
      )}
    </div>
  );
}

const ROWS: { label: string; value: (w: OpsWindowData) => string }[] = [
  { label: 'Failed sign-ins', value: (w) => count(w.signInFailures) },
  { label: 'Rate-limit refusals (429)', value: (w) => count(w.rateLimitRejections) },
  { label: 'Failed attempts to send e-mail', value: (w) => count(w.mailFailures) },
  { label: 'Requests answered by the API', value: (w) => count(w.requests) },
  { label: 'Server errors (5xx)', value: (w) => count(w.serverErrors) },
  { label: 'Error rate', value: (w) => percent(w.errorRate) },
];

function Windows({
  hour,
  day,
  signIns,
}: {
  hour: OpsWindowData;
  day: OpsWindowData;
  /** The audit lists of the last day's failed sign-ins: to the app, to the panel. */
  signIns: { app: string; panel: string };
}) {
  return (
    <section style={card} aria-labelledby="health-activity">
      <h2 id="health-activity" style={heading}>
        Sign-ins, limits and errors
      </h2>
      <table style={{ width: '100%', borderCollapse: 'collapse', fontSize: 14 }} data-table="windows">
        <thead>
          <tr>
            <th style={cell} scope="col">
              <span style={muted}>Every API replica and the panel</span>
            </th>
            <th style={number} scope="col">
              Last hour
            </th>
            <th style={number} scope="col">
              Last 24 hours
            </th>
          </tr>
        </thead>
        <tbody>
          {ROWS.map(({ label, value }) => (
            <tr key={label} data-row={label}>
              <th style={{ ...cell, fontWeight: 400 }} scope="row">
                {label === 'Failed sign-ins' ? (
                  <>
                    {label} (<a href={signIns.app}>to the app</a>, <a href={signIns.panel}>to the panel</a>)
                  </>
                ) : (
                  label
                )}
              </th>
              <td style={number}>{value(hour)}</td>
              <td style={number}>{value(day)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Replicas({ replicas, now, interval }: { replicas: readonly ReplicaData[]; now: number; interval: number }) {
  const apis = replicas.filter((r) => r.kind === 'api').length;
  return (
    <section style={card} aria-labelledby="health-replicas">
      <h2 id="health-replicas" style={heading}>
        Processes seen{' '}
        <span style={{ ...muted, fontWeight: 400 }}>
          ({apis === 1 ? '1 API replica' : `${String(apis)} API replicas`}; a process is listed while it writes its
          figures, every {every(interval)})
        </span>
      </h2>
      {replicas.length === 0 ? (
        <p>No process has written its figures lately: is the API running?</p>
      ) : (
        <div style={{ overflowX: 'auto' }}>
          <table style={{ width: '100%', borderCollapse: 'collapse', fontSize: 14 }} data-table="replicas">
            <thead>
              <tr>
                <th style={cell}>Process</th>
                <th style={cell}>Host</th>
                <th style={number}>Process id</th>
                <th style={cell}>Started</th>
                <th style={cell}>Last seen</th>
              </tr>
            </thead>
            <tbody>
              {replicas.map((r) => (
                <tr key={r.replica} data-replica={r.replica}>
                  <td style={cell}>{r.kind === 'api' ? 'API' : 'Control panel'}</td>
                  <td style={{ ...cell, wordBreak: 'break-all' }}>{r.host}</td>
                  <td style={number}>{r.pid}</td>
                  <td style={cell}>{time(r.startedAt)}</td>
                  <td style={cell} title={time(r.lastSeenAt)}>
                    {ago(r.lastSeenAt, now)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const api = new ApiClient();

export default function Health() {
  const [data, setData] = useState<HealthPageData | null>(null);
  const [failed, setFailed] = useState(false);
  const [loading, setLoading] = useState(false);
  const load = useCallback(() => {
    setLoading(true);
    api.getPage({ pageName: 'health' }).then(
      (response) => {
        setData(response.data as HealthPageData);
        setFailed(false);
        setLoading(false);
      },
      () => {
        setFailed(true);
        setLoading(false);
      },
    );
  }, []);
  useEffect(load, [load]);

  const grid = (min: number): React.CSSProperties => ({
    display: 'grid',
    gap: 16,
    gridTemplateColumns: `repeat(auto-fit, minmax(${String(min)}px, 1fr))`,
    marginBottom: 16,
  });
  const now = data ? Date.parse(data.checkedAt) : Date.now();
  return (
    <div style={{ padding: 24 }}>
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', gap: 12, marginBottom: 16 }}>
        <h1 style={{ fontSize: 24, fontWeight: 600 }}>Health</h1>
        {data && <span style={muted}>Checked {time(data.checkedAt)}</span>}
        <Button type="button" size="sm" variant="outlined" onClick={load} disabled={loading} ml="auto">
          {loading ? 'Checking…' : 'Check again'}
        </Button>
      </div>
      {failed && <p role="alert">The figures could not be loaded. Check again in a moment.</p>}
      {data === null ? (
        !failed && <p>Loading…</p>
      ) : (
        <>
          <div style={grid(300)}>
            <section style={card} aria-labelledby="health-database" data-section="database">
              <h2 id="health-database" style={heading}>
                Database
              </h2>
              <div style={grid(120)}>
                <Figure
                  label="State"
                  value={data.database.up ? 'Up' : 'Down'}
                  {...(data.database.error ? { note: data.database.error } : {})}
                />
                <Figure
                  label="Round trip from the panel"
                  value={data.database.roundTripMs === null ? '—' : `${String(data.database.roundTripMs)} ms`}
                />
              </div>
            </section>
            <section style={card} aria-labelledby="health-mail" data-section="mail">
              <h2 id="health-mail" style={heading}>
                E-mail queue
              </h2>
              {data.mail ? (
                <div style={grid(90)}>
                  <Figure label="Queued" value={count(data.mail.queued)} href={data.links.mailQueued} />
                  <Figure label="Being sent" value={count(data.mail.sending)} />
                  <Figure label="Retrying" value={count(data.mail.retrying)} href={data.links.mailRetrying} />
                  <Figure label="Failed" value={count(data.mail.failed)} href={data.links.mailFailed} />
                </div>
              ) : (
                <p>Unknown while the database does not answer.</p>
              )}
            </section>
          </div>
          {data.lastHour && data.lastDay && (
            <div style={{ marginBottom: 16 }}>
              <Windows
                hour={data.lastHour}
                day={data.lastDay}
                signIns={{ app: data.links.failedSignInsLastDay, panel: data.links.failedPanelSignInsLastDay }}
              />
            </div>
          )}
          {data.replicas && <Replicas replicas={data.replicas} now={now} interval={data.sampleIntervalSeconds} />}
          <p style={{ ...muted, marginTop: 16 }}>
            Every API replica and the panel write how much their counters grew every {every(data.sampleIntervalSeconds)}{' '}
            (the counters Prometheus reads at /api/metrics), so the sums lag behind by up to that. Failed e-mails stay
            in the queue for 7 days.
          </p>
        </>
      )}
    </div>
  );
}
