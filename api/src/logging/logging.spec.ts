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
  it('writes 5xx answers as errors, slow answers as warnings, and every other answer at debug', () => {
    expect(accessLevel(500, 3, 1000)).toBe('error');
    expect(accessLevel(503, 5000, 1000)).toBe('error');
    expect(accessLevel(200, 1000, 1000)).toBe('warn');
    expect(accessLevel(404, 2500.5, 1000)).toBe('warn');
    expect(accessLevel(200, 999.9, 1000)).toBe('debug');
    expect(accessLevel(401, 0.4, 1000)).toBe('debug');
    expect(accessLevel(304, 60, 50)).toBe('warn');
  });
});
