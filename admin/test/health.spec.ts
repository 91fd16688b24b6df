/**
 * The panel's probes answer without a sign-in, for a load balancer or an orchestrator, and stay
 * out of the request log that every other request goes to.
 */
import { Writable } from 'node:stream';
import { startPanel, type TestPanel } from './support/panel.js';

const lines: string[] = [];
const logStream = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  },
});

let panel: TestPanel;
beforeAll(async () => {
  // Every answer's line (at info, only 5xx and slow answers have one).
  panel = await startPanel({ LOG_LEVEL: 'debug' }, { logStream });
});
afterAll(() => panel.close());

describe('health probes', () => {
  it('answer without a session and are not logged; other requests are', async () => {
    expect((await fetch(`${panel.url}/cp/health/live`)).status).toBe(200);
    const ready = await fetch(`${panel.url}/cp/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok' });
    const login = await fetch(`${panel.url}/cp/login`, { headers: { 'x-request-id': 'support-ticket-42' } });
    expect(login.status).toBe(200);
    // The caller's id comes back, so a support request can point at its log line.
    expect(login.headers.get('x-request-id')).toBe('support-ticket-42');

    const logged = lines
      .map((line) => JSON.parse(line) as { req?: { id?: string; url?: string }; res?: { statusCode?: number } })
      .filter((l) => l.req);
    expect(logged).toContainEqual(
      expect.objectContaining({ req: expect.objectContaining({ id: 'support-ticket-42', url: '/cp/login' }) }),
    );
    expect(logged.find((l) => l.req?.url === '/cp/login')?.res).toEqual({ statusCode: 200 });
    expect(logged.filter((l) => l.req?.url?.includes('/health/'))).toEqual([]);
  });
});
