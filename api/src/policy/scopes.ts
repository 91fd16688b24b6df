/**
 * OAuth scopes a token can carry. Browser sign-ins get all of them; a third party asks for the
 * ones it needs at /auth/token. Routes declare what they require with @RequiresScope().
 */
export const SCOPES = {
  profile: 'Read and change your profile, password, e-mail and sessions',
  'posts:write': 'Create, edit and delete your posts',
} as const;
export type Scope = keyof typeof SCOPES;
export const ALL_SCOPES = Object.keys(SCOPES) as Scope[];

export function isScope(value: string): value is Scope {
  return Object.hasOwn(SCOPES, value);
}
