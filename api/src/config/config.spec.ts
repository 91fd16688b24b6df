import { readFileSync } from 'node:fs';
import { configurationDocProblems, documentedConfiguration } from '../../../scripts/lib/config-docs.mjs';
import { ConfigError, EXAMPLE_SECRET, environmentDefaults, loadConfig } from './config.js';

const valid = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', JWT_SECRET: 'Hk2vQ9sLw0Zp7TnR4xYc8JmB1dGf6aEu' };
const production = { ...valid, NODE_ENV: 'production', SMTP_URL: 'smtp://mail.example:587' };

/** The value .env.example ships for a variable, read from the file itself. */
function exampleValue(name: string): string | undefined {
  const file = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
  return new RegExp(`^${name}=(.*)$`, 'm').exec(file)?.[1];
}

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({
      env: 'development',
      host: '127.0.0.1',
      port: 3001,
      bodyLimitBytes: 1024 * 1024,
      corsOrigins: [],
      trustProxy: 'loopback',
      argon2: { memoryCost: 19456, timeCost: 2, parallelism: 1 },
    });
  });

  it('converts and splits values', () => {
    const config = loadConfig({
      ...valid,
      PORT: '8080',
      CORS_ORIGINS: 'https://a.example, https://b.example:8443',
      TRUST_PROXY: 'true',
    });
    expect(config.port).toBe(8080);
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example:8443']);
    expect(config.trustProxy).toBe(true);
  });

  it('names every bad variable', () => {
    const problems = problemsOf({ ...valid, PORT: 'eighty', LOG_LEVEL: 'loud', BODY_LIMIT_BYTES: '-1' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['BODY_LIMIT_BYTES', 'LOG_LEVEL', 'PORT']);
  });

  it('names missing required variables', () => {
    expect(problemsOf({})).toEqual(['DATABASE_URL: DATABASE_URL is required', 'JWT_SECRET: JWT_SECRET is required']);
  });

  it('refuses argon2 costs below the OWASP floor', () => {
    expect(problemsOf({ ...valid, ARGON2_MEMORY_KIB: '4096' })).toEqual([
      'ARGON2_MEMORY_KIB: ARGON2_MEMORY_KIB must be at least 19456 (OWASP minimum)',
    ]);
  });

  it('refuses malformed CORS origins', () => {
    expect(problemsOf({ ...valid, CORS_ORIGINS: '*' })[0]).toMatch(/^CORS_ORIGINS:/);
  });

  it('refuses a short secret in every environment', () => {
    expect(problemsOf({ ...valid, JWT_SECRET: 'short' })[0]).toMatch(/^JWT_SECRET: .*at least 32/);
  });

  it('refuses the .env.example secret in production only', () => {
    // The file a newcomer copies and the value production refuses are one and the same.
    expect(exampleValue('JWT_SECRET')).toBe(EXAMPLE_SECRET);
    expect(loadConfig({ ...valid, JWT_SECRET: EXAMPLE_SECRET }).jwt.secret).toBe(EXAMPLE_SECRET);
    expect(loadConfig({ ...production }).isProduction).toBe(true);
    expect(problemsOf({ ...production, JWT_SECRET: EXAMPLE_SECRET })).toEqual([
      'JWT_SECRET: the example value from .env.example is refused in production',
    ]);
  });

  it.each([
    ['one character repeated', 'x'.repeat(40), /too little variety/],
    ['a few characters', 'abcabcabdabcabcabcabcabcabcabcabcab', /too little variety/],
    ['a repeated word', 'Password1!'.repeat(4), /repeats a shorter pattern/],
  ])('refuses a long but guessable secret in production: %s', (_case, secret, reason) => {
    expect(loadConfig({ ...valid, JWT_SECRET: secret }).jwt.secret).toBe(secret);
    const [problem, ...rest] = problemsOf({ ...production, JWT_SECRET: secret });
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^JWT_SECRET: /);
    expect(problem).toMatch(reason);
  });

  it('accepts random secrets in production', () => {
    for (const secret of [
      'openssl-rand-base64-48: 4n8Kq0X+vV2rT7zL1wYc9pB3mH6dGfJa0sEuQ5iRkN8oCt2W',
      valid.JWT_SECRET,
    ]) {
      expect(loadConfig({ ...production, JWT_SECRET: secret }).jwt.secret).toBe(secret);
    }
  });

  it('requires an SMTP server in production only', () => {
    expect(loadConfig(valid).mail.smtpUrl).toBe('smtp://127.0.0.1:1025');
    expect(problemsOf({ ...valid, NODE_ENV: 'production' })).toEqual(['SMTP_URL: SMTP_URL is required in production']);
  });

  it('requires verified addresses to publish unless told otherwise', () => {
    expect(loadConfig(valid).requireVerifiedEmail).toBe(true);
    expect(loadConfig({ ...valid, REQUIRE_VERIFIED_EMAIL: 'false' }).requireVerifiedEmail).toBe(false);
    expect(problemsOf({ ...valid, REQUIRE_VERIFIED_EMAIL: 'yes' })).toEqual([
      'REQUIRE_VERIFIED_EMAIL: REQUIRE_VERIFIED_EMAIL must be true or false',
    ]);
  });

  it('parses rate limits and refuses malformed ones', () => {
    expect(loadConfig({ ...valid, RATE_LIMIT_LOGIN_ACCOUNT: '7/2h' }).rateLimits.loginAccount).toEqual({
      limit: 7,
      ttlMs: 7_200_000,
    });
    expect(problemsOf({ ...valid, RATE_LIMIT_SIGNUP_IP: 'ten per hour' })[0]).toMatch(/^RATE_LIMIT_SIGNUP_IP: /);
  });

  it('caps access tokens at 30 minutes and keeps the refresh cap above the sliding lifetime', () => {
    expect(problemsOf({ ...valid, ACCESS_TOKEN_TTL_SECONDS: '3600' })[0]).toMatch(/^ACCESS_TOKEN_TTL_SECONDS: .*1800/);
    expect(problemsOf({ ...valid, REFRESH_TOKEN_TTL_DAYS: '14', REFRESH_TOKEN_MAX_AGE_DAYS: '7' })[0]).toMatch(
      /^REFRESH_TOKEN_MAX_AGE_DAYS:/,
    );
  });

  it('drains for 5 s before stopping in production, not at all in development, unless told', () => {
    expect(loadConfig(valid).shutdownDrainMs).toBe(0);
    expect(loadConfig(production).shutdownDrainMs).toBe(5_000);
    expect(loadConfig({ ...production, SHUTDOWN_DRAIN_MS: '0' }).shutdownDrainMs).toBe(0);
  });

  it('keeps rate-limit counters in PostgreSQL unless told otherwise', () => {
    expect(loadConfig(valid)).toMatchObject({ rateLimitStore: 'postgres', deploymentName: 'nuell' });
    expect(problemsOf({ ...valid, RATE_LIMIT_STORE: 'redis' })[0]).toMatch(/^RATE_LIMIT_STORE:/);
    expect(problemsOf({ ...valid, DEPLOYMENT_NAME: 'no spaces' })[0]).toMatch(/^DEPLOYMENT_NAME:/);
    expect(problemsOf({ ...valid, METRICS_TOKEN: 'short' })[0]).toMatch(/^METRICS_TOKEN: .*at least 32/);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ ...valid, PORT: '' }).port).toBe(3001);
  });

  it('takes the defaults it lists for the documentation', () => {
    const defaults = environmentDefaults();
    // Set explicitly, each default gives the configuration that leaving it unset gives.
    expect(loadConfig({ ...defaults, ...valid })).toEqual(loadConfig(valid));
    expect(defaults).toMatchObject({
      PORT: '3001',
      CORS_ORIGINS: '',
      DATABASE_URL: undefined,
      SHUTDOWN_DRAIN_MS: undefined,
    });
  });

  it('is documented, every variable with its default, in the README and .env.example', () => {
    // .env.example shows JWT_SECRET's refused placeholder rather than nothing.
    expect(
      configurationDocProblems(environmentDefaults(), documentedConfiguration(), { JWT_SECRET: EXAMPLE_SECRET }),
    ).toEqual([]);
  });
});

describe('the API process', () => {
  it('is started with the same heap and allocator settings by npm and by the container image', async () => {
    const { API_NODE_FLAGS, API_PROCESS_ENV } = await import('../node-flags.js');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      scripts: { start: string };
    };
    const env = Object.entries(API_PROCESS_ENV).map(([name, value]) => `${name}=${value}`);
    expect(pkg.scripts.start).toBe(`${env.join(' ')} node ${API_NODE_FLAGS.join(' ')} dist/main.js`);
    const dockerfile = readFileSync(new URL('../../../docker/api.Dockerfile', import.meta.url), 'utf8');
    const exec = ['node', ...API_NODE_FLAGS, 'api/dist/main.js'].map((part) => JSON.stringify(part)).join(', ');
    expect(dockerfile).toContain(`CMD [${exec}]`);
    // The image's last stage sets them with ENV.
    const runtimeStage = dockerfile.split(/^FROM /m).at(-1) ?? '';
    const runtimeEnv = [...runtimeStage.matchAll(/^ENV (.+)$/gm)].flatMap((match) => (match[1] ?? '').split(/\s+/));
    expect(runtimeEnv).toEqual(expect.arrayContaining(env));
  });
});
