/**
 * Operations samples: each process writes the growth of its metrics counters (the ones
 * /api/metrics exposes) to ops_samples every OPS_SAMPLE_INTERVAL_SECONDS; the control panel sums
 * them over every replica of the deployment and lists the replicas seen lately.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { freePort } from '../../scripts/lib/embedded-postgres.mjs';
import { loadConfig } from '../src/config/config.js';
import { OpsHealthService } from '../src/ops/ops-health.service.js';
import { OpsSampler } from '../src/ops/ops-samples.js';
import { json, PASSWORD, uniqueEmail } from './support/accounts.js';
import { startTestApp, testEnv, useTestApp } from './support/app.js';
import { ensureMigrated } from './support/database.js';
import { ProbeModule } from './support/probe.module.js';
import { type ServerProcess, startServer, waitForHttp } from './support/server-process.js';

const deployment = { DEPLOYMENT_NAME: `ops-${randomBytes(4).toString('hex')}`, RATE_LIMIT_SIGNUP_IP: '1/1h' };
// A long interval: the test writes A's samples itself, when it wants them.
const a = useTestApp({ env: { ...deployment, OPS_SAMPLE_INTERVAL_SECONDS: '3600' }, extraModules: [ProbeModule] });
const started: ServerProcess[] = [];
afterAll(async () => {
  for (const server of started) server.child.kill('SIGKILL');
  await Promise.all(started.map((server) => server.exited));
});

interface Sums {
  rows: number;
  sign_in_failures: number;
  rate_limit_rejections: number;
  mail_failures: number;
  requests: number;
  server_errors: number;
}

async function sumsOf(replica: string): Promise<Sums> {
  const [row] = await a.db.query<Sums[]>(
    `SELECT count(*)::int AS rows, sum(sign_in_failures)::int AS sign_in_failures,
            sum(rate_limit_rejections)::int AS rate_limit_rejections, sum(mail_failures)::int AS mail_failures,
            sum(requests)::int AS requests, sum(server_errors)::int AS server_errors
       FROM ops_samples WHERE replica = $1`,
    [replica],
  );
  return row!;
}

/** A metric's value as /api/metrics shows it, summed over its labels. */
async function scraped(url: string, metric: string): Promise<number> {
  const text = await (await fetch(`${url}/api/metrics`)).text();
  return [...text.matchAll(new RegExp(`^${metric}(?:\\{[^}]*\\})? (\\d+)$`, 'gm'))].reduce(
    (total, m) => total + Number(m[1]),
    0,
  );
}

const failSignIn = (url: string) =>
  fetch(`${url}/api/v1/auth/login`, json({ email: uniqueEmail('nobody'), password: 'Wrong-Password-1' }));
const signUpFrom = (url: string, ip: string) =>
  fetch(
    `${url}/api/v1/auth/register`,
    json({ email: uniqueEmail('ops'), password: PASSWORD, displayName: 'Counted' }, { 'x-forwarded-for': ip }),
  );

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 20_000): Promise<T> {
  for (const deadline = Date.now() + ms; ;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('operations samples', () => {
  it('hold the growth of the counters /api/metrics shows, 5xx answers included, one row per write', async () => {
    const sampler = a.app.get(OpsSampler);
    await sampler.sample();
    const before = await sumsOf(sampler.replica);
    expect(before.rows).toBeGreaterThanOrEqual(1); // written at start, and now

    expect((await failSignIn(a.url)).status).toBe(401);
    expect((await failSignIn(a.url)).status).toBe(401);
    expect((await signUpFrom(a.url, '198.51.100.31')).status).toBe(201);
    expect((await signUpFrom(a.url, '198.51.100.31')).status).toBe(429);
    expect((await fetch(`${a.url}/api/v1/probe/boom`)).status).toBe(500);
    await sampler.sample();

    const after = await sumsOf(sampler.replica);
    expect(after.rows).toBe(before.rows + 1);
    expect(after.sign_in_failures - before.sign_in_failures).toBe(2);
    expect(after.rate_limit_rejections - before.rate_limit_rejections).toBe(1);
    expect(after.server_errors - before.server_errors).toBe(1);
    expect(after.requests - before.requests).toBe(5);
    // One source: what the rows add up to is what Prometheus scrapes (the scrape is not yet counted).
    expect(await scraped(a.url, 'auth_sign_in_failures_total')).toBe(after.sign_in_failures);
    expect(await scraped(a.url, 'rate_limit_rejections_total')).toBe(after.rate_limit_rejections);
    expect(await scraped(a.url, 'mail_send_failures_total')).toBe(after.mail_failures);

    const { lastHour, lastDay } = await a.app.get(OpsHealthService).windows();
    expect(lastHour).toMatchObject({ signInFailures: after.sign_in_failures, serverErrors: after.server_errors });
    expect(lastDay.rateLimitRejections).toBe(after.rate_limit_rejections);
    expect(lastHour.errorRate).toBeCloseTo(after.server_errors / lastHour.requests, 6);
  });

  it('sum every replica of the deployment and list the replicas seen, with host and last seen', async () => {
    await ensureMigrated();
    const port = await freePort();
    const b = startServer(testEnv({ ...deployment, PORT: String(port), OPS_SAMPLE_INTERVAL_SECONDS: '1' }));
    started.push(b);
    const bUrl = `http://127.0.0.1:${port}`;
    expect((await waitForHttp(`${bUrl}/api/health/ready`)).status).toBe(200);
    await a.app.get(OpsSampler).sample();

    const health = a.app.get(OpsHealthService);
    const replicas = await until(
      () => health.replicas(),
      (seen) => seen.length >= 2,
    );
    expect(replicas.map((r) => r.kind)).toEqual(['api', 'api']);
    expect(replicas.map((r) => r.pid).sort()).toEqual([process.pid, b.child.pid].sort());
    for (const replica of replicas) {
      expect(replica.host).toBe(hostname());
      expect(Date.now() - replica.lastSeenAt.getTime()).toBeLessThan(10_000);
    }

    // A failure on B shows in the sums A reads, within B's interval.
    const { lastHour: before } = await health.windows();
    expect((await failSignIn(bUrl)).status).toBe(401);
    const { lastHour: after } = await until(
      () => health.windows(),
      (w) => w.lastHour.signInFailures > before.signInFailures,
    );
    expect(after.signInFailures).toBe(before.signInFailures + 1);

    // B stops: it is no longer seen once two of its intervals pass without a row.
    b.child.kill('SIGKILL');
    await b.exited;
    const left = await until(
      () => health.replicas(),
      (seen) => seen.length === 1,
    );
    expect(left.map((r) => r.pid)).toEqual([process.pid]);
  }, 60_000);

  it('write what grew since the last row when the process stops', async () => {
    const c = await startTestApp({ env: { DEPLOYMENT_NAME: `ops-${randomBytes(4).toString('hex')}` } });
    const replica = c.app.get(OpsSampler).replica;
    expect((await failSignIn(c.url)).status).toBe(401);
    await c.close();
    expect((await sumsOf(replica)).sign_in_failures).toBe(1);
  });

  it('remove rows older than eight days', async () => {
    const insert = (days: number) =>
      a.db.query<{ id: string }[]>(
        `INSERT INTO ops_samples (deployment, replica, kind, host, pid, started_at, at, interval_seconds)
         VALUES ($1, gen_random_uuid(), 'api', 'old-host', 1, now() - make_interval(days => $2),
                 now() - make_interval(days => $2), 30) RETURNING id`,
        [deployment.DEPLOYMENT_NAME, days],
      );
    const [old] = await insert(9);
    const [kept] = await insert(7);
    expect(await a.app.get(OpsSampler).prune()).toBeGreaterThanOrEqual(1);
    const left = await a.db.query<{ id: string }[]>(`SELECT id FROM ops_samples WHERE id = ANY($1)`, [
      [old!.id, kept!.id],
    ]);
    expect(left.map((r) => r.id)).toEqual([kept!.id]);
  });

  it('take their interval from OPS_SAMPLE_INTERVAL_SECONDS: 30 s unless set, 1 s to 1 hour', () => {
    const env = testEnv();
    expect(loadConfig(env).opsSampleIntervalSeconds).toBe(30);
    expect(loadConfig({ ...env, OPS_SAMPLE_INTERVAL_SECONDS: '5' }).opsSampleIntervalSeconds).toBe(5);
    for (const bad of ['0', '3601', 'soon']) {
      expect(() => loadConfig({ ...env, OPS_SAMPLE_INTERVAL_SECONDS: bad })).toThrow(/OPS_SAMPLE_INTERVAL_SECONDS/);
    }
  });
});
