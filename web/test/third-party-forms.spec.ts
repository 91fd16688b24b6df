import { describe, expect, it } from 'vitest';
import { fieldErrors } from '~/utils/forms';
import { scopeLabel, scopeList } from '~/utils/scopes';
import { appSchema, newAppSchema, redirectUriProblem, tokenSchema } from '~/utils/third-party-forms';

describe('redirect addresses', () => {
  it('take https, or http on this computer only, and never a fragment', () => {
    expect(redirectUriProblem('https://example.com/callback')).toBeNull();
    expect(redirectUriProblem('http://localhost:8080/cb')).toBeNull();
    expect(redirectUriProblem('http://127.0.0.1:5000/cb')).toBeNull();
    expect(redirectUriProblem('http://example.com/cb')).toMatch(/must start with https:\/\//);
    expect(redirectUriProblem('https://example.com/cb#x')).toMatch(/# part/);
    expect(redirectUriProblem('example.com/cb')).toMatch(/not a full address/);
    expect(redirectUriProblem('javascript:alert(1)')).toMatch(/must start with https:\/\//);
  });

  it('are typed one a line; blank lines do not count, more than ten do', () => {
    const parsed = appSchema.safeParse({
      name: 'Reading List',
      redirectUris: '\nhttps://a.example/cb\n\n  https://b.example/cb  \n',
      scopes: ['openid'],
    });
    expect(parsed.success && parsed.data.redirectUris).toEqual(['https://a.example/cb', 'https://b.example/cb']);
    const many = Array.from({ length: 11 }, (_, i) => `https://a.example/${i}`).join('\n');
    expect(fieldErrors(appSchema.safeParse({ name: 'x', redirectUris: many, scopes: ['openid'] }))).toEqual({
      redirectUris: 'At most 10 redirect addresses; this has 11',
    });
    expect(fieldErrors(newAppSchema.safeParse({ name: ' ', redirectUris: '', scopes: [], type: 'public' }))).toEqual({
      name: 'Enter the name people will see when the app asks for access',
      redirectUris: 'Enter at least one redirect address',
      scopes: 'Choose at least one thing the app may ask for',
    });
  });
});

describe('personal access tokens', () => {
  it('need a name and at least one scope a token may hold', () => {
    expect(tokenSchema.safeParse({ name: 'CI', scopes: ['posts:write'], expiresInDays: null }).success).toBe(true);
    expect(tokenSchema.safeParse({ name: 'CI', scopes: ['account'], expiresInDays: 30 }).success).toBe(false);
    expect(fieldErrors(tokenSchema.safeParse({ name: '', scopes: [], expiresInDays: 30 }))).toEqual({
      name: 'Enter a name, so you know later what the token is for',
      scopes: 'Choose at least one thing the token may do',
    });
  });

  it('are described in words, not scope names', () => {
    expect(scopeList(['posts:write', 'profile:read'])).toBe('Write posts, Read your profile');
    expect(scopeLabel('something-new')).toBe('something-new');
  });
});
