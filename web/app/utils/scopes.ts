/**
 * What a token or an app may do, in the words the settings and the consent page use. The API
 * holds the rules (api/src/policy/scopes.ts); these are its scopes as a person reads them.
 */

/** What a personal access token may hold, and an app besides the OpenID Connect scopes. */
export const API_SCOPES = ['posts:write', 'profile:read', 'profile:write'] as const;
/** What an app may learn about the person who signs in with nuell. */
export const OIDC_SCOPES = ['openid', 'profile', 'email'] as const;
/** What an app may be registered for. */
export type AppScope = (typeof API_SCOPES)[number] | (typeof OIDC_SCOPES)[number];

interface ScopeWords {
  /** A short name, for a checkbox or a badge. */
  readonly label: string;
  /** What it lets the holder do, as a sentence. */
  readonly hint: string;
}

const WORDS: Record<string, ScopeWords> = {
  'posts:write': { label: 'Write posts', hint: 'Create, edit and delete your posts, and list your drafts.' },
  'profile:read': { label: 'Read your profile', hint: 'See your display name, bio, link and e-mail address.' },
  'profile:write': { label: 'Change your profile', hint: 'Change your display name, bio and link.' },
  openid: { label: 'Sign you in', hint: 'Know who you are on nuell, so you can sign in with your nuell account.' },
  profile: { label: 'Know your name', hint: 'Know your display name.' },
  email: { label: 'Know your e-mail address', hint: 'Know your e-mail address and whether you confirmed it.' },
};

export function scopeLabel(scope: string): string {
  return WORDS[scope]?.label ?? scope;
}

export function scopeHint(scope: string): string {
  return WORDS[scope]?.hint ?? '';
}

/** "Write posts, Read your profile" */
export function scopeList(scopes: readonly string[]): string {
  return scopes.map(scopeLabel).join(', ');
}

/** The expiry choices of a new personal access token, in days (null: never). */
export const TOKEN_LIFETIMES: readonly { days: number | null; label: string }[] = [
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
  { days: 365, label: '1 year' },
  { days: null, label: 'No expiry' },
];
