/** GET /api/metrics: what an operator's Prometheus sees, and who may see it. */
import { json, PASSWORD, uniqueEmail } from './support/accounts.js';
import { useTestApp } from './support/app.js';

const TOKEN = 'metrics-token-0123456789abcdefghijklmnopqrstuv';
const api = useTestApp({ env: { METRICS_TOKEN: TOKEN, RATE_LIMIT_SIGNUP_IP: '1/1h' } });

const scrape = (headers: Record<string, string> = {}) => fetch(`${api.url}/api/metrics`, { headers });

/** A sign-up from `ip`: the sign-up limit here is one per address. */
const signUpFrom = (ip: string) =>
  fetch(
    `${api.url}/api/v1/auth/register`,
    json({ email: uniqueEmail('metrics'), password: PASSWORD, displayName: 'Counted' }, { 'x-forwarded-for': ip }),
  );

describe('GET /api/metrics', () => {
  it('answers a scrape from this host in the Prometheus text format', async () => {
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('is refused to a request a proxy forwarded, unless it carries the metrics token', async () => {
    const forwarded = { 'x-forwarded-for': '203.0.113.5' };
    const refused = await scrape(forwarded);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await scrape({ ...forwarded, authorization: 'Bearer wrong-token' })).status).toBe(401);
    expect((await scrape({ ...forwarded, authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  it('counts requests by route and status, sign-in failures and rate-limit refusals', async () => {
    await fetch(`${api.url}/api/v1/posts?limit=2`);
    await fetch(`${api.url}/api/v1/auth/login`, json({ email: 'nobody@example.test', password: 'Wrong-Password-1' }));
    expect((await signUpFrom('198.51.100.66')).status).toBe(201);
    expect((await signUpFrom('198.51.100.66')).status).toBe(429);

    const text = await (await scrape()).text();
    expect(text).toMatch(
      /^http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/posts",status="200"\} [1-9]/m,
    );
    expect(text).toMatch(
      /^http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/api\/v1\/posts",status="200"\}/m,
    );
    expect(text).toMatch(/^auth_sign_in_failures_total\{reason="unknown_email"\} 1$/m);
    expect(text).toMatch(/^rate_limit_rejections_total\{limit="signupIp"\} 1$/m);
  });

  it('reports the event loop, the database pool and the e-mail queue', async () => {
    // An e-mail in the queue, so that the queue has a state to count.
    expect((await signUpFrom('198.51.100.67')).status).toBe(201);
    const text = await (await scrape()).text();
    for (const metric of [
      'nodejs_eventloop_lag_p99_seconds',
      'process_resident_memory_bytes',
      'db_pool_connections',
      'db_pool_waiting_clients',
      'db_pool_max_connections',
      'mail_send_failures_total',
    ]) {
      expect(text).toMatch(new RegExp(`^${metric}(\\{[^}]*\\})? \\d`, 'm'));
    }
    expect(text).toMatch(/^mail_queue_jobs\{state="\w+"\} [1-9]/m);
  });
});
