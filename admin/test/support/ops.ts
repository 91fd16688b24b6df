/**
 * The API and the panel as one deployment (one DEPLOYMENT_NAME, so one e-mail queue and one set
 * of operations samples), for the health page and the dashboard's operations cards; and the
 * events those count, made for real through the API: failed sign-ins, a 429, a 500 (and a
 * failed e-mail: api/test/support/ops.ts).
 */
import { randomBytes } from 'node:crypto';
import { json, PASSWORD, uniqueEmail } from '../../../api/test/support/accounts.js';
import { startTestApp, type TestApp } from '../../../api/test/support/app.js';
import { ProbeModule } from '../../../api/test/support/probe.module.js';
import { samplerOf } from '../../../api/test/support/ops.js';
import { OpsSampler } from '@nuell/api';
import { startPanel, type TestPanel } from './panel.js';

export interface OneDeployment {
  readonly api: TestApp;
  readonly panel: TestPanel;
  readonly name: string;
  /** Both processes write their samples now (instead of at their hour-long interval). */
  sample(): Promise<void>;
}

export function useOneDeployment(): OneDeployment {
  const name = `ops-${randomBytes(4).toString('hex')}`;
  // Samples are written when a test asks (sample()), not on a timer; a 429 after one sign-up.
  // One JWT_SECRET too, as in production: either process may send the other's e-mail.
  const env = {
    DEPLOYMENT_NAME: name,
    JWT_SECRET: randomBytes(32).toString('hex'),
    OPS_SAMPLE_INTERVAL_SECONDS: '3600',
    RATE_LIMIT_SIGNUP_IP: '1/1h',
  };
  const started: { api?: TestApp; panel?: TestPanel } = {};
  beforeAll(async () => {
    started.api = await startTestApp({ env, extraModules: [ProbeModule] });
    started.panel = await startPanel(env);
  });
  afterAll(async () => {
    await started.panel?.close();
    await started.api?.close();
  });
  const need = <K extends keyof typeof started>(key: K) => {
    const value = started[key];
    if (!value) throw new Error('the deployment starts in beforeAll');
    return value as NonNullable<(typeof started)[K]>;
  };
  return {
    name,
    get api() {
      return need('api');
    },
    get panel() {
      return need('panel');
    },
    async sample() {
      await samplerOf(need('api').app).sample();
      await need('panel').app.get(OpsSampler, { strict: false }).sample();
    },
  };
}

/** A sign-in to the API with an address nobody has: 401, counted and audited (`login_failed`). */
export async function failSignIn(api: TestApp): Promise<void> {
  const res = await fetch(
    `${api.url}/api/v1/auth/login`,
    json({ email: uniqueEmail('nobody'), password: 'Wrong-Password-1' }),
  );
  expect(res.status).toBe(401);
}

let addresses = 0;

/** Two sign-ups from one address where one an hour is allowed: the second is refused (429). */
export async function hitSignUpLimit(api: TestApp): Promise<void> {
  const ip = `198.51.100.${String((addresses += 1))}`;
  const signUp = () =>
    fetch(
      `${api.url}/api/v1/auth/register`,
      json({ email: uniqueEmail('limited'), password: PASSWORD, displayName: 'Limited' }, { 'x-forwarded-for': ip }),
    );
  expect((await signUp()).status).toBe(201);
  expect((await signUp()).status).toBe(429);
}

/** A request the API answers 500 (the test probe throws). */
export async function serverError(api: TestApp): Promise<void> {
  expect((await fetch(`${api.url}/api/v1/probe/boom`)).status).toBe(500);
}
