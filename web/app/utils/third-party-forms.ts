/**
 * The rules of the personal access token and app forms, checked before anything is sent. They
 * mirror the API's (which stays the judge and words its own refusals).
 */
import { z } from 'zod';
import { API_SCOPES, OIDC_SCOPES } from './scopes';

export const TOKEN_NAME_MAX = 100;
export const APP_NAME_MAX = 80;
export const REDIRECT_URIS_MAX = 10;

const noControl = /^[^\p{Cc}\p{Cf}]+$/u;

export const tokenSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Enter a name, so you know later what the token is for')
    .max(TOKEN_NAME_MAX, `At most ${TOKEN_NAME_MAX} characters`)
    .regex(noControl, 'No control characters'),
  scopes: z.array(z.enum(API_SCOPES)).min(1, 'Choose at least one thing the token may do'),
  expiresInDays: z.number().int().min(1).max(366).nullable(),
});

/** Whether an address may receive the person back: https, or http on this computer, and no fragment. */
export function redirectUriProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `“${value}” is not a full address (such as https://example.com/callback).`;
  }
  if (value.includes('#')) return `“${value}” must not have a # part.`;
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return `“${value}” must start with https:// (http:// only for localhost or 127.0.0.1).`;
  }
  return null;
}

/** The addresses typed one a line, blank lines dropped. */
export function redirectUrisOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

export const appSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Enter the name people will see when the app asks for access')
    .max(APP_NAME_MAX, `At most ${APP_NAME_MAX} characters`)
    .regex(noControl, 'No control characters'),
  redirectUris: z
    .string()
    .transform(redirectUrisOf)
    .superRefine((uris, ctx) => {
      if (uris.length === 0) ctx.addIssue({ code: 'custom', message: 'Enter at least one redirect address' });
      else if (uris.length > REDIRECT_URIS_MAX) {
        ctx.addIssue({
          code: 'custom',
          message: `At most ${REDIRECT_URIS_MAX} redirect addresses; this has ${uris.length}`,
        });
      } else {
        const problem = uris.map(redirectUriProblem).find(Boolean);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }
    }),
  scopes: z.array(z.enum([...API_SCOPES, ...OIDC_SCOPES])).min(1, 'Choose at least one thing the app may ask for'),
});

export const newAppSchema = appSchema.extend({ type: z.enum(['public', 'confidential']) });
