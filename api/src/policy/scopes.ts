/**
 * OAuth scopes a token can carry, and who may hold which. Routes declare what they require with
 * @RequiresScope().
 *
 * - The API scopes (`profile:read`, `profile:write`, `posts:write`) are what a personal access token
 *   or a third-party app may hold.
 * - `account` opens what only the owner, signed in first-hand, may do: password, e-mail, second
 *   factors, passkeys, sessions, tokens, apps, consent and deleting the account. Browser sessions
 *   (and the deprecated password grant) hold it; a personal access token or an app never can, so a
 *   leaked token or a rogue app cannot take the account over.
 * - The OpenID Connect scopes (`openid`, `profile`, `email`) only say what an app learns about the
 *   user in its ID token and at userinfo; none of them opens an API route.
 */
export const SCOPES = {
  'profile:read': 'Read your profile',
  'profile:write': 'Change your display name, bio and link',
  'posts:write': 'Create, edit and delete your posts, and list your drafts',
  account:
    'Manage your account: password, e-mail, two-step sign-in, passkeys, sessions, tokens and apps (first-party only)',
  openid: 'Sign you in with your nuell account (OpenID Connect)',
  profile: 'Know your display name (OpenID Connect)',
  email: 'Know your e-mail address and whether it is confirmed (OpenID Connect)',
} as const;
export type Scope = keyof typeof SCOPES;

/** What a personal access token may hold, and an app besides the OpenID Connect scopes. */
export const API_SCOPES = ['profile:read', 'profile:write', 'posts:write'] as const satisfies readonly Scope[];
export type ApiScope = (typeof API_SCOPES)[number];

/** Only for apps: what the app may learn of the user, in the ID token and at userinfo. */
export const OIDC_SCOPES = ['openid', 'profile', 'email'] as const satisfies readonly Scope[];

/** A browser session's scopes, and the password grant's default. */
export const FIRST_PARTY_SCOPES = [...API_SCOPES, 'account'] as const satisfies readonly Scope[];

export function isScope(value: string): value is Scope {
  return Object.hasOwn(SCOPES, value);
}

export function isApiScope(value: string): value is ApiScope {
  return (API_SCOPES as readonly string[]).includes(value);
}

/** The scopes of a space-separated list that are known; unknown words are dropped. */
export function scopesOf(list: string): Scope[] {
  return list.split(' ').filter(isScope);
}
