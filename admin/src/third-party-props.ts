/**
 * What the server hands the panel's pages about third-party access: a user's personal access
 * tokens (the user page), the form that registers an app, and the signing keys' page. Types only,
 * like component-props.ts: nothing of this file reaches the browser bundle.
 */

/** One personal access token on its owner's page (user-overview.ts). Never the token or its hash. */
export interface UserTokenSummary {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly string[];
  /** What the owner sees of it too: `nuell_pat_…abcd`. */
  readonly hint: string;
  /** ISO times; `expiresAt` null: never expires; `lastUsedAt` null: never used. */
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly status: 'live' | 'expired' | 'revoked';
}

/** A scope an app may ask for, with what it lets the app do in words. */
export interface ScopeChoice {
  readonly scope: string;
  readonly description: string;
}

/** `custom` of the Apps' "Register an app" (apps.resource.ts), drawn by RegisterApp. */
export interface RegisterAppCustom {
  readonly scopes: readonly ScopeChoice[];
  readonly nameMax: number;
  readonly redirectUrisMax: number;
}

/** What registering answers: the new app, with its secret once (confidential apps only). */
export interface RegisterAppAnswer {
  readonly notice?: { readonly message: string; readonly type: 'success' | 'error' };
  /** Each field's refusal, by the form's field names (name, type, redirectUris, scopes). */
  readonly errors?: Readonly<Record<string, string>>;
  readonly registered?: {
    readonly id: string;
    readonly clientId: string;
    readonly name: string;
    readonly type: 'public' | 'confidential';
    /** Shown once, now; only its hash is kept. Null for a public app. */
    readonly clientSecret: string | null;
  };
}

/** One signing key of the ID tokens, as the signing keys' page lists it (never the private part). */
export interface SigningKeySummary {
  readonly kid: string;
  readonly algorithm: string;
  readonly createdAt: string;
  /** The key that signs new ID tokens now. */
  readonly current: boolean;
  /** Until when it signs (the current key), or since when it no longer does. */
  readonly signsUntil: string | null;
  /** Until when the JWKS still publishes it (tokens it signed can be checked until then). */
  readonly publishedUntil: string | null;
}

/** The signing keys' page (the Apps' "Signing keys" action), and the answer of a rotation. */
export interface SigningKeysAnswer {
  readonly keys: readonly SigningKeySummary[];
  readonly notice?: { readonly message: string; readonly type: 'success' | 'error' };
}
