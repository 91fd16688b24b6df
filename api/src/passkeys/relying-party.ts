/**
 * Who we are to WebAuthn authenticators: the relying party. Its ID is the host name of PUBLIC_URL
 * (where the web app runs and the browser calls navigator.credentials), and the only origin a
 * ceremony may come from is PUBLIC_URL's. A passkey is bound to the RP ID when it is made, so
 * moving the web app to another host name leaves existing passkeys unusable there.
 */
import type { AppConfig } from '../config/config.js';

export interface RelyingParty {
  readonly id: string;
  readonly name: string;
  readonly origin: string;
}

export function relyingPartyOf(config: Pick<AppConfig, 'publicUrl'>): RelyingParty {
  const url = new URL(config.publicUrl);
  return { id: url.hostname, name: 'nuell', origin: url.origin };
}

/** How long a ceremony may take, from the options to the answer: the challenge's life too. */
export const CEREMONY_MINUTES = 5;
export const CEREMONY_MS = CEREMONY_MINUTES * 60_000;

/**
 * The user handle an account's passkeys carry (WebAuthn's user.id): the 16 bytes of the account's
 * UUID, which says nothing about the person, unlike the e-mail address.
 */
export function userHandleOf(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId.replaceAll('-', ''), 'hex'));
}
