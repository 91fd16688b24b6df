/**
 * Owns the process configuration: every environment variable the API reads is declared here
 * once, in `Environment` (its name, its default, its rules), converted and validated at start;
 * `AppConfig` is what `loadConfig` makes of it. A bad or missing value stops the process with a
 * message that names the variable; production additionally refuses weak secrets.
 */
import { availableParallelism } from 'node:os';
import { plainToInstance, Transform } from 'class-transformer';
import {
  getMetadataStorage,
  IsDefined,
  IsEmail,
  IsIn,
  IsInt,
  Length,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  type ValidationError,
} from 'class-validator';

/** The placeholder shipped in .env.example; production refuses it. */
export const EXAMPLE_SECRET = 'change-me-to-at-least-32-random-bytes-in-production';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const NODE_ENVS = ['development', 'production', 'test'] as const;
/** `<count>/<window>` with the window in s, m, h or d: `5/15m` is five per fifteen minutes. */
const RATE = /^(\d+)\/(\d+)(s|m|h|d)$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export interface RateLimit {
  readonly limit: number;
  readonly ttlMs: number;
}

function parseRate(value: string): RateLimit {
  const [, limit, amount, unit] = RATE.exec(value) ?? [];
  return { limit: Number(limit), ttlMs: Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS] };
}

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

// The rules shared by many variables. Only the first failing rule of a variable is reported, and
// stacked decorators register bottom-up, so each applies its rules in the order `@IsInt() @Min()
// @Max()` would: a value that is no number at all reads "must not be greater than …".

/** An integer from `min` to `max`; `messages` replace a bound's default message. */
function Int(min: number, max: number, messages: { min?: string; max?: string } = {}): PropertyDecorator {
  return (target, property) => {
    Max(max, messages.max === undefined ? undefined : { message: messages.max })(target, property);
    Min(min, messages.min === undefined ? undefined : { message: messages.min })(target, property);
    IsInt()(target, property);
    Transform(toInt)(target, property);
  };
}

/** A rate limit, `<count>/<window>`. */
const Rate = () => Matches(RATE, { message: '$property must look like 5/15m (count per s, m, h or d)' });

/** Text of `min` to `max` characters. */
function Text(min: number, max: number): PropertyDecorator {
  return (target, property) => {
    Length(min, max)(target, property);
    IsString()(target, property);
  };
}

/** A secret of at least `min` characters. */
function Secret(min: number, description: string): PropertyDecorator {
  return (target, property) => {
    MinLength(min, { message: `$property must be at least ${String(min)} characters${description}` })(target, property);
    IsString()(target, property);
  };
}

const required = { message: '$property is required' };

/**
 * The raw environment, as the validator sees it: one field per variable, whose initial value is
 * its default (none: required, or worked out in `loadConfig`). Defaults make `npm start` work unset.
 */
class Environment {
  @IsIn(NODE_ENVS) NODE_ENV: (typeof NODE_ENVS)[number] = 'development';
  @IsString() HOST = '127.0.0.1';
  @Int(1, 65535) PORT = 3001;
  @IsIn(LOG_LEVELS) LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';
  /** An answer that takes this long (ms) or longer gets an access line at warn level; faster ones at debug. */
  @Int(1, 600_000) LOG_SLOW_MS = 1_000;

  @IsDefined(required)
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: '$property must be a postgres:// URL' })
  DATABASE_URL!: string;

  @Int(1, 1000) DATABASE_POOL_MAX = 10;
  @IsDefined(required) @Secret(32, ' of random data') JWT_SECRET!: string;

  /** The web app's origin: e-mailed links point here, and cookie requests must come from it. */
  @Matches(/^https?:\/\/[^\s/]+$/, { message: '$property must be an origin like https://app.example.com (no path)' })
  PUBLIC_URL = 'http://localhost:3000';

  /**
   * The web app's built page, which the API fills for the public pages (/, /posts/…, /authors/…):
   * a file (relative to the repository root, the image's /app) or, for nuxt dev, an http(s) URL.
   */
  @Text(1, 1000) WEB_SHELL = 'web/.output/public/index.html';

  @Text(1, 200) JWT_ISSUER = 'nuell';
  @Text(1, 200) JWT_AUDIENCE = 'nuell-api';
  @Int(60, 1800, { max: '$property must be at most 1800 (30 minutes)' }) ACCESS_TOKEN_TTL_SECONDS = 900;
  @Int(1, 30) REFRESH_TOKEN_TTL_DAYS = 7;
  @Int(1, 365) REFRESH_TOKEN_MAX_AGE_DAYS = 30;

  /** smtp:// or smtps:// URL with credentials if any. Required in production. */
  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: '$property must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @Text(3, 200) MAIL_FROM = 'nuell <no-reply@nuell.localhost>';

  /** Failed sign-ins per account from devices that have not signed in to it before. */
  @Rate() RATE_LIMIT_LOGIN_ACCOUNT = '5/15m';
  /** Failed sign-ins per device that has signed in to the account before (its device cookie). */
  @Rate() RATE_LIMIT_LOGIN_DEVICE = '5/15m';
  /** Failed sign-ins per client IP, whatever the account. */
  @Rate() RATE_LIMIT_LOGIN_IP = '30/15m';
  /**
   * Wrong second-step codes (app or recovery codes) per account, whatever the device: neither a right
   * password nor a password reset refills it, so a known password cannot buy endless guesses at codes.
   */
  @Rate() RATE_LIMIT_SECOND_FACTOR = '10/15m';
  @Rate() RATE_LIMIT_SIGNUP_IP = '10/1h';
  @Rate() RATE_LIMIT_PASSWORD_FORGOT = '5/1h';
  @Rate() RATE_LIMIT_VERIFY_RESEND = '3/1h';
  /** Attempts to confirm the current password while signed in (password or e-mail change). */
  @Rate() RATE_LIMIT_PASSWORD_CHECK = '10/15m';
  @Rate() RATE_LIMIT_PREVIEW = '60/1m';
  /** Passkey ceremonies started (sign-in per client IP; registration and step-up per user). */
  @Rate() RATE_LIMIT_PASSKEY_OPTIONS = '60/1m';

  /** Where rate-limit counters live: postgres (shared by every replica) or memory (one process only). */
  @IsIn(['postgres', 'memory'], { message: '$property must be postgres or memory' })
  RATE_LIMIT_STORE: 'postgres' | 'memory' = 'postgres';

  /** Until their address is verified, accounts may read and manage themselves but not publish. */
  @IsIn(['true', 'false'], { message: '$property must be true or false' })
  REQUIRE_VERIFIED_EMAIL = 'true';

  /** Longest post, in characters (Unicode code points); the database refuses more than 100,000. */
  @Int(1, 100_000) POST_MAX_CHARS = 40_000;

  /** Comma-separated exact origins allowed to call the API cross-origin. */
  @Matches(/^(https?:\/\/[^\s,/]+(,\s*https?:\/\/[^\s,/]+)*)?$/, {
    message: '$property must be a comma-separated list of origins like https://app.example.com',
  })
  CORS_ORIGINS = '';

  /** Fastify trustProxy: true, false, or a comma-separated list of addresses/CIDRs (`loopback` allowed). */
  @Matches(/^(true|false|[\w.:/]+(,\s*[\w.:/]+)*)$/, {
    message: '$property must be true, false or a comma-separated list of addresses/CIDRs',
  })
  TRUST_PROXY = 'loopback';

  @Int(1024, 100 * 1024 * 1024) BODY_LIMIT_BYTES = 1024 * 1024;
  @Int(0, 600_000) SHUTDOWN_TIMEOUT_MS = 10_000;
  /** On SIGTERM, how long readiness fails before the server stops accepting (unset: 5 s in production, else 0). */
  @IsOptional() @Int(0, 60_000) SHUTDOWN_DRAIN_MS?: number;
  /** The longest a client may take to send a whole request (headers and body). */
  @Int(1_000, 600_000) REQUEST_TIMEOUT_MS = 30_000;
  /** The longest one SQL statement may run before PostgreSQL cancels it (503 to the client). */
  @Int(100, 600_000) DATABASE_STATEMENT_TIMEOUT_MS = 10_000;
  /** The longest a request waits for a pooled connection before it answers 503. */
  @Int(100, 60_000) DATABASE_POOL_TIMEOUT_MS = 5_000;

  @Int(19_456, 4 * 1024 * 1024, { min: '$property must be at least 19456 (OWASP minimum)' }) ARGON2_MEMORY_KIB = 19_456;
  @Int(2, 20, { min: '$property must be at least 2 (OWASP minimum)' }) ARGON2_TIME_COST = 2;
  @Int(1, 16) ARGON2_PARALLELISM = 1;
  /** How many password hashes may run at once (unset: one per core but one). */
  @IsOptional() @Int(1, 64) PASSWORD_HASH_CONCURRENCY?: number;

  @IsOptional() @IsEmail({}, { message: '$property must be an e-mail address' }) ADMIN_EMAIL?: string;
  @IsOptional() @Secret(12, '') ADMIN_PASSWORD?: string;

  /**
   * Names this deployment's shared state in PostgreSQL (rate-limit counters, the e-mail queue):
   * every replica of one deployment uses the same name; two deployments on one database differ.
   */
  @Matches(/^[\w-]{1,40}$/, { message: '$property must be 1-40 letters, digits, dashes or underscores' })
  DEPLOYMENT_NAME = 'nuell';

  /** Bearer token Prometheus sends to /api/metrics; without it only this host may scrape. */
  @IsOptional() @Secret(32, ' of random data') METRICS_TOKEN?: string;

  /**
   * Every this many seconds each API replica (and the panel) writes its counters' growth to the
   * `ops_samples` table, which the control panel's health page and dashboard sum.
   */
  @Int(1, 3600) OPS_SAMPLE_INTERVAL_SECONDS = 30;

  /**
   * Live streams (GET /api/v1/posts/stream) one client address may hold open at once (an IPv6
   * client: its /64); a reader has one per open tab, and an office behind one address several.
   */
  @Int(1, 10_000) STREAM_MAX_PER_IP = 20;
  /**
   * Live streams one API process holds open at once, whoever holds them: about 19 MB of the heap
   * (256 MB) and 30 MB of memory per 1,000 (docs/performance.md, "Live stream").
   */
  @Int(1, 1_000_000) STREAM_MAX_CONNECTIONS = 5_000;
  /** How often an idle live stream gets a comment line, so that proxies and clients see it is alive. */
  @Int(1, 300) STREAM_HEARTBEAT_SECONDS = 20;

  /**
   * The read cache (docs/operations.md, "Read cache"): anonymous reads of the feed's first pages, a
   * post and an author's page, kept in memory as sent and dropped by the change events. `off`
   * answers every read from the database.
   */
  @IsIn(['on', 'off'], { message: '$property must be on or off' })
  READ_CACHE: 'on' | 'off' = 'on';
  /** The most the read cache holds, in bytes of answers (its share of the process's memory). */
  @Int(1024 * 1024, 1024 * 1024 * 1024) READ_CACHE_MAX_BYTES = 32 * 1024 * 1024;
  /** The most answers the read cache holds; the least recently read go first. */
  @Int(1, 1_000_000) READ_CACHE_MAX_ENTRIES = 10_000;
  /** The longest an answer is kept, even if no change event came: a safety net, not the invalidation. */
  @Int(1, 3600) READ_CACHE_TTL_SECONDS = 30;

  /** Where development-only state (generated credentials) is kept. */
  @IsString() DATA_DIR = '.data';
}

/**
 * Every variable the API reads, with the default it takes when unset, as it would be written in
 * the environment; undefined where there is none (required, optional, or worked out at start).
 * What the README's table and .env.example must say.
 */
export function environmentDefaults(): Record<string, string | undefined> {
  const defaults = new Environment() as unknown as Partial<Record<string, string | number>>;
  const names = getMetadataStorage()
    .getTargetValidationMetadatas(Environment, '', true, false)
    .map((rule) => rule.propertyName);
  return Object.fromEntries(names.map((name) => [name, defaults[name]?.toString()]));
}

/** The validated, frozen configuration the app runs on. */
export type AppConfig = ReturnType<typeof loadConfig>;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`));
}

/**
 * Why a secret is too guessable to sign tokens with, or null. Length alone does not make a secret:
 * `x` forty times or one word repeated is long and guessed at once. Random data of 32 characters
 * (hex, base64) has far more than 8 distinct characters and no period.
 */
export function weakSecretReason(secret: string): string | null {
  if (new Set(secret).size < 8) return 'has too little variety (fewer than 8 distinct characters)';
  // A string equal to a rotation of itself repeats a shorter pattern ("abcabcabc...").
  if ((secret + secret).indexOf(secret, 1) < secret.length) return 'repeats a shorter pattern';
  return null;
}

function parseTrustProxy(value: string): boolean | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

/** Reads, validates and freezes the configuration. Throws ConfigError naming every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env) {
  // Empty strings count as unset, so `FOO=` in a .env file falls back to the default.
  const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const env = plainToInstance(Environment, raw, { exposeDefaultValues: true });
  const problems = describe(validateSync(env, { forbidUnknownValues: false, stopAtFirstError: true }));

  if (env.REFRESH_TOKEN_MAX_AGE_DAYS < env.REFRESH_TOKEN_TTL_DAYS) {
    problems.push('REFRESH_TOKEN_MAX_AGE_DAYS: must not be shorter than REFRESH_TOKEN_TTL_DAYS');
  }
  if (env.NODE_ENV === 'production') {
    const weak = typeof env.JWT_SECRET === 'string' ? weakSecretReason(env.JWT_SECRET) : null;
    if (env.JWT_SECRET === EXAMPLE_SECRET) {
      problems.push('JWT_SECRET: the example value from .env.example is refused in production');
    } else if (weak && env.JWT_SECRET.length >= 32) {
      problems.push(`JWT_SECRET: ${weak}; use random data, e.g. \`openssl rand -base64 48\``);
    }
    if (env.SMTP_URL === undefined) problems.push('SMTP_URL: SMTP_URL is required in production');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return Object.freeze({
    env: env.NODE_ENV,
    isProduction: env.NODE_ENV === 'production',
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    logSlowMs: env.LOG_SLOW_MS,
    database: Object.freeze({
      url: env.DATABASE_URL,
      poolMax: env.DATABASE_POOL_MAX,
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
      poolTimeoutMs: env.DATABASE_POOL_TIMEOUT_MS,
    }),
    publicUrl: env.PUBLIC_URL,
    webShell: env.WEB_SHELL,
    jwt: Object.freeze({ secret: env.JWT_SECRET, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE }),
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    refreshToken: Object.freeze({ ttlDays: env.REFRESH_TOKEN_TTL_DAYS, maxAgeDays: env.REFRESH_TOKEN_MAX_AGE_DAYS }),
    mail: Object.freeze({ smtpUrl: env.SMTP_URL ?? 'smtp://127.0.0.1:1025', from: env.MAIL_FROM }),
    rateLimits: Object.freeze({
      loginAccount: parseRate(env.RATE_LIMIT_LOGIN_ACCOUNT),
      loginDevice: parseRate(env.RATE_LIMIT_LOGIN_DEVICE),
      secondFactor: parseRate(env.RATE_LIMIT_SECOND_FACTOR),
      loginIp: parseRate(env.RATE_LIMIT_LOGIN_IP),
      signupIp: parseRate(env.RATE_LIMIT_SIGNUP_IP),
      passwordForgot: parseRate(env.RATE_LIMIT_PASSWORD_FORGOT),
      verifyResend: parseRate(env.RATE_LIMIT_VERIFY_RESEND),
      preview: parseRate(env.RATE_LIMIT_PREVIEW),
      passwordCheck: parseRate(env.RATE_LIMIT_PASSWORD_CHECK),
      passkeyOptions: parseRate(env.RATE_LIMIT_PASSKEY_OPTIONS),
    }),
    rateLimitStore: env.RATE_LIMIT_STORE,
    requireVerifiedEmail: env.REQUIRE_VERIFIED_EMAIL === 'true',
    postMaxChars: env.POST_MAX_CHARS,
    corsOrigins: Object.freeze(
      env.CORS_ORIGINS.split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    ),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    shutdownDrainMs: env.SHUTDOWN_DRAIN_MS ?? (env.NODE_ENV === 'production' ? 5_000 : 0),
    requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
    argon2: Object.freeze({
      memoryCost: env.ARGON2_MEMORY_KIB,
      timeCost: env.ARGON2_TIME_COST,
      parallelism: env.ARGON2_PARALLELISM,
      concurrency: env.PASSWORD_HASH_CONCURRENCY ?? Math.max(1, availableParallelism() - 1),
    }),
    admin: Object.freeze({ email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD }),
    dataDir: env.DATA_DIR,
    deploymentName: env.DEPLOYMENT_NAME,
    metricsToken: env.METRICS_TOKEN,
    opsSampleIntervalSeconds: env.OPS_SAMPLE_INTERVAL_SECONDS,
    readCache: Object.freeze({
      enabled: env.READ_CACHE === 'on',
      maxBytes: env.READ_CACHE_MAX_BYTES,
      maxEntries: env.READ_CACHE_MAX_ENTRIES,
      ttlSeconds: env.READ_CACHE_TTL_SECONDS,
    }),
    streams: Object.freeze({
      maxPerIp: env.STREAM_MAX_PER_IP,
      maxConnections: env.STREAM_MAX_CONNECTIONS,
      heartbeatSeconds: env.STREAM_HEARTBEAT_SECONDS,
    }),
  });
}
