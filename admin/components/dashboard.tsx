/**
 * The dashboard at /cp: accounts and posts at a glance (each figure with a list behind it links
 * to it), how the service runs (failed sign-ins, rate-limit refusals, failed e-mail, the error
 * rate: each card links to the list behind it), and
 * sign-ups and posts per day over the last 30 days as bar charts (plain SVG: a chart library would
 * outweigh the rest of the panel).
 */
import React, { useEffect, useState } from 'react';
import { ApiClient } from 'adminjs';
import { colors, shadows } from '@adminjs/design-system';
import type { DailyCount, DashboardData, Tally } from '../src/component-props.js';
import type { DashboardOperations } from '../src/ops-props.js';

const card: React.CSSProperties = {
  background: colors.container,
  borderRadius: 8,
  boxShadow: shadows.card,
  padding: 20,
};

interface FigureProps {
  readonly label: string;
  readonly value: number | Tally;
  /** The list behind the figure, when there is one. */
  readonly href?: string;
}

/** A figure, a link to its list where it has one; an estimate (a very large table) is marked with ≈. */
function Figure({ label, value, href }: FigureProps) {
  const { count, exact } = typeof value === 'number' ? { count: value, exact: true } : value;
  const content = (
    <>
      <div style={{ color: colors.grey80, fontSize: 13 }}>{label}</div>
      <div style={{ fontSize: 30, fontWeight: 600, marginTop: 6 }} title={exact ? undefined : 'An estimate'}>
        {exact ? '' : '≈ '}
        {count.toLocaleString('en')}
      </div>
    </>
  );
  return href ? (
    <a href={href} style={{ ...card, color: 'inherit', textDecoration: 'none', display: 'block' }} data-figure={label}>
      {content}
    </a>
  ) : (
    <div style={card} data-figure={label}>
      {content}
    </div>
  );
}

/** The lists behind the growth figures; "today" is the UTC day, as the dashboard counts it. */
function growthLinks(now = new Date()) {
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())).toISOString();
  const since = `filters.createdAt~~from=${encodeURIComponent(today)}`;
  return {
    users: '/cp/resources/User',
    usersToday: `/cp/resources/User?${since}`,
    posts: '/cp/resources/Post',
    postsToday: `/cp/resources/Post?${since}`,
  };
}

/** 0.0042 → "0.42 %"; null (nothing answered) → "—". */
function percent(rate: number | null): string {
  if (rate === null) return '—';
  if (rate === 0) return '0 %';
  const value = rate * 100;
  return `${value < 0.01 ? '< 0.01' : value.toLocaleString('en', { maximumFractionDigits: value < 1 ? 2 : 1 })} %`;
}

interface LinkCardProps {
  readonly label: string;
  readonly value: string;
  readonly note: string;
  readonly href: string;
  /** Draws the figure in the error colour (something to look at). */
  readonly alarming: boolean;
}

/** An operations figure that links to the list behind it. */
function LinkCard({ label, value, note, href, alarming }: LinkCardProps) {
  return (
    <a href={href} style={{ ...card, display: 'block', color: 'inherit', textDecoration: 'none' }} data-card={label}>
      <div style={{ color: colors.grey80, fontSize: 13 }}>{label}</div>
      <div style={{ fontSize: 30, fontWeight: 600, marginTop: 6, color: alarming ? colors.error : undefined }}>
        {value}
      </div>
      <div style={{ color: colors.primary100, fontSize: 12, marginTop: 4 }}>{note} →</div>
    </a>
  );
}

const known = (n: number | null) => (n === null ? '—' : n.toLocaleString('en'));

function Operations({ ops }: { ops: DashboardOperations }) {
  const { failedSignIns, rateLimitRejections, failedMail, errorRate } = ops;
  return (
    <>
      <LinkCard
        label="Failed sign-ins, last 24 hours"
        value={known(failedSignIns.count)}
        note="App and panel; health page"
        href={failedSignIns.link}
        alarming={false}
      />
      <LinkCard
        label="Rate-limit refusals, last 24 hours"
        value={known(rateLimitRejections.count)}
        note="On the health page"
        href={rateLimitRejections.link}
        alarming={false}
      />
      <LinkCard
        label="Failed e-mails in the queue"
        value={known(failedMail.count)}
        note="In the mail queue"
        href={failedMail.link}
        alarming={(failedMail.count ?? 0) > 0}
      />
      <LinkCard
        label="Error rate, last hour"
        value={percent(errorRate.rate)}
        note={
          errorRate.rate === null
            ? 'No requests; health page'
            : `${errorRate.serverErrors.toLocaleString('en')} of ${errorRate.requests.toLocaleString('en')} requests; health page`
        }
        href={errorRate.link}
        alarming={errorRate.serverErrors > 0}
      />
    </>
  );
}

const WIDTH = 600;
const HEIGHT = 150;

interface BarChartProps {
  readonly title: string;
  /** One entry per day, oldest first. */
  readonly data: readonly DailyCount[];
}

function BarChart({ title, data }: BarChartProps) {
  const max = Math.max(1, ...data.map((d) => d.count));
  const step = WIDTH / Math.max(1, data.length);
  const total = data.reduce((sum, d) => sum + d.count, 0);
  return (
    <figure style={{ ...card, margin: 0 }} data-chart={title}>
      <figcaption style={{ fontWeight: 600, marginBottom: 12 }}>
        {title} <span style={{ color: colors.grey80, fontWeight: 400 }}>({total.toLocaleString('en')} in 30 days)</span>
      </figcaption>
      <svg viewBox={`0 -18 ${WIDTH} ${HEIGHT + 40}`} width="100%" role="img" aria-label={title}>
        <line x1={0} y1={HEIGHT} x2={WIDTH} y2={HEIGHT} stroke={colors.grey40} />
        {data.map((d, i) => {
          const height = (d.count / max) * HEIGHT;
          return (
            <rect
              key={d.day}
              x={i * step + 1}
              y={HEIGHT - height}
              width={Math.max(1, step - 2)}
              height={height}
              fill={colors.primary100}
            >
              <title>{`${d.day}: ${d.count}`}</title>
            </rect>
          );
        })}
        <text x={0} y={HEIGHT + 16} fontSize={11} fill={colors.grey80}>
          {data[0]?.day}
        </text>
        <text x={WIDTH} y={HEIGHT + 16} fontSize={11} fill={colors.grey80} textAnchor="end">
          {data[data.length - 1]?.day}
        </text>
        <text x={0} y={12} fontSize={11} fill={colors.grey80}>
          {`max ${max} a day`}
        </text>
      </svg>
    </figure>
  );
}

const api = new ApiClient();

export default function Dashboard() {
  const [data, setData] = useState<DashboardData | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    api.getDashboard<DashboardData>().then(
      (response) => {
        setData(response.data);
      },
      () => {
        setFailed(true);
      },
    );
  }, []);

  const links = growthLinks();
  const grid = (min: number): React.CSSProperties => ({
    display: 'grid',
    gap: 16,
    gridTemplateColumns: `repeat(auto-fit, minmax(${min}px, 1fr))`,
    marginBottom: 16,
  });
  return (
    <div style={{ padding: 24 }}>
      <h1 style={{ fontSize: 24, fontWeight: 600, marginBottom: 16 }}>How the service is doing</h1>
      {failed && <p role="alert">The figures could not be loaded. Reload the page to try again.</p>}
      {data === null ? (
        !failed && <p>Loading…</p>
      ) : (
        <>
          <div style={grid(180)}>
            <Figure label="Accounts" value={data.users.total} href={links.users} />
            <Figure label="Active in the last 7 days" value={data.users.activeLast7Days} />
            <Figure label="New accounts today" value={data.users.newToday} href={links.usersToday} />
            <Figure label="Posts" value={data.posts.total} href={links.posts} />
            <Figure label="Posts today" value={data.posts.today} href={links.postsToday} />
          </div>
          <h2 style={{ fontSize: 16, fontWeight: 600, margin: '8px 0 12px' }}>How it runs</h2>
          <div style={grid(220)}>
            <Operations ops={data.operations} />
          </div>
          <div style={grid(360)}>
            <BarChart title="Sign-ups per day" data={data.signUpsPerDay} />
            <BarChart title="Posts per day" data={data.postsPerDay} />
          </div>
          <p style={{ color: colors.grey80, fontSize: 12 }}>
            Days are UTC days. Active: signed in or refreshed a session. Refusals and the error rate count every API
            replica and lag behind by up to a sample interval (docs/operations.md).
          </p>
        </>
      )}
    </div>
  );
}
