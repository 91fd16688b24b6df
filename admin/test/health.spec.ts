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
  panel = await startPanel({ LOG_LEVEL: 'info' }, { logStream });
});
afterAll(() => panel.close());

describe('health probes', () => {
  it('answer without a session and are not logged; other requests are', async () => {
    expect((await fetch(`${panel.url}/cp/health/live`)).status).toBe(200);
    const ready = await fetch(`${panel.url}/cp/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok' });
    expect((await fetch(`${panel.url}/cp/login`)).status).toBe(200);

    const requests = lines
      .map((line) => JSON.parse(line) as { req?: { url?: string } })
      .flatMap((l) => l.req?.url ?? []);
    expect(requests).toContain('/cp/login');
    expect(requests.filter((url) => url.includes('/health/'))).toEqual([]);
  });
});
