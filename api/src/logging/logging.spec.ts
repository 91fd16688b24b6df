import type { IncomingMessage } from 'node:http';
import { pino } from 'pino';
import { accessLevel, LOG_REDACTION, requestId } from './logging.js';

describe('log redaction', () => {
  it('censors passwords, tokens and cookies wherever the app logs them', () => {
    const lines: string[] = [];
    const logger = pino({ redact: LOG_REDACTION }, { write: (line: string) => lines.push(line) });
    logger.info({
      req: { headers: { authorization: 'Bearer t0ken', cookie: 'rt=c00kie' } },
      body: { password: 'pa55', newPassword: 'n3w', refreshToken: 'r3f', email: 'ada@example.com' },
    });
    const line = lines.join('');
    expect(line).not.toMatch(/t0ken|c00kie|pa55|n3w|r3f/);
    expect(line).toContain('ada@example.com');
    expect(line).toContain('[redacted]');
  });
});

describe('requestId', () => {
  const req = (id?: string) => ({ headers: id === undefined ? {} : { 'x-request-id': id } }) as IncomingMessage;

  it('keeps a plain incoming id', () => {
    expect(requestId(req('abc-123_x.y:z'))).toBe('abc-123_x.y:z');
  });

  it('replaces a missing, overlong or unsafe one', () => {
    for (const bad of [undefined, '', 'a'.repeat(129), 'line\nbreak', '{"json":1}']) {
      expect(requestId(req(bad))).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);
    }
  });
});

describe('accessLevel', () => {
  it("keeps answered requests out of a developer's log (debug), in the log elsewhere (info), and 5xx always", () => {
    expect(accessLevel({ env: 'development' }, 200)).toBe('debug');
    expect(accessLevel({ env: 'development' }, 404)).toBe('debug');
    expect(accessLevel({ env: 'production' }, 200)).toBe('info');
    expect(accessLevel({ env: 'test' }, 401)).toBe('info');
    expect(accessLevel({ env: 'development' }, 500)).toBe('error');
    expect(accessLevel({ env: 'production' }, 503)).toBe('error');
  });
});
