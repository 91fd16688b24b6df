/**
 * What the panel asks of the API about third-party access, in the panel's terms: revoke a personal
 * access token, register, suspend and lift an app, list and rotate the signing keys. Each is done
 * by the API's own services (wired in panel.module.ts), which check the input and audit the change
 * with the operator as the actor; the panel never writes these tables itself.
 */
import type { SigningKeySummary } from './third-party-props.js';

export interface OperatorTokens {
  /** Revokes a live token of any account; refuses (4xx) one that is not live. */
  revokeAsOperator(actorId: string, tokenId: string): Promise<void>;
}

/** An app as the registration form sends it: the fields as typed, checked by the API. */
export interface AppRegistration {
  readonly name: unknown;
  readonly type: unknown;
  readonly redirectUris: unknown;
  readonly scopes: unknown;
}

export interface RegisteredApp {
  readonly id: string;
  readonly clientId: string;
  readonly name: string;
  readonly type: 'public' | 'confidential';
  /** Shown once; null for a public app. */
  readonly clientSecret: string | null;
}

export interface OperatorApps {
  /** Registers an app with no owner among the users; a ValidationProblem names each bad field. */
  register(actorId: string, input: AppRegistration): Promise<RegisteredApp>;
  /** Stops the app at once: no sign-ins, no tokens, its live tokens refused. */
  suspend(actorId: string, id: string): Promise<void>;
  unsuspend(actorId: string, id: string): Promise<void>;
}

export interface OperatorSigningKeys {
  /** The published keys, the signing one first. */
  list(): Promise<SigningKeySummary[]>;
  /** Starts a new signing key now. */
  rotate(actorId: string): Promise<void>;
}
