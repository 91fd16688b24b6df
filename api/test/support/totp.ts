/** Authenticator-app codes for tests, computed as an app would from the secret it was given. */
import { Secret, TOTP } from 'otpauth';
import { bearer, json, login, type Account } from './accounts.js';

const totp = (secret: string) =>
  new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });

/** The code for now, or `steps` 30-second steps from now (±1 is inside the accepted window). */
export function codeFor(secret: string, steps = 0): string {
  return totp(secret).generate({ timestamp: Date.now() + steps * 30_000 });
}

export interface Enrolled {
  readonly secret: string;
  readonly recoveryCodes: string[];
  readonly accessToken: string;
}

/** POST /users/me/step-up: sensitive changes go through for ten minutes. */
export async function stepUp(baseUrl: string, accessToken: string, proof: { password?: string; code?: string }) {
  const res = await fetch(`${baseUrl}/api/v1/users/me/step-up`, bearer(accessToken, json(proof)));
  if (res.status !== 200) throw new Error(`step-up answered ${res.status}: ${await res.text()}`);
}

/** Signs in, proves presence and turns two-step sign-in on through the API, as the settings page does. */
export async function enrolTotp(baseUrl: string, account: Pick<Account, 'email' | 'password'>): Promise<Enrolled> {
  const { accessToken } = await login(baseUrl, account);
  await stepUp(baseUrl, accessToken, { password: account.password });
  const begun = await fetch(`${baseUrl}/api/v1/users/me/mfa/totp`, bearer(accessToken, { method: 'POST' }));
  if (begun.status !== 201) throw new Error(`begin answered ${begun.status}: ${await begun.text()}`);
  const { secret } = (await begun.json()) as { secret: string };
  const confirmed = await fetch(
    `${baseUrl}/api/v1/users/me/mfa/totp/confirm`,
    bearer(accessToken, json({ code: codeFor(secret) })),
  );
  if (confirmed.status !== 200) throw new Error(`confirm answered ${confirmed.status}: ${await confirmed.text()}`);
  const { recoveryCodes } = (await confirmed.json()) as { recoveryCodes: string[] };
  return { secret, recoveryCodes, accessToken };
}
