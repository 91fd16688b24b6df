import { describe, expect, it } from 'vitest';
import {
  humanField,
  humanProblem,
  needsVerifiedEmail,
  problemOf,
  SUSPENSION_END,
  suspendedSentence,
  waitInWords,
} from '~/utils/problem';

const answer = (status: number, body: object, headers: Record<string, string> = {}) =>
  problemOf(new Response(null, { status, headers }), body);
const invalid = (field: string, detail: string) =>
  answer(400, {
    type: 'about:blank',
    status: 400,
    detail: 'The request is invalid; see errors for each field.',
    errors: [{ field, pointer: `/${field}`, detail }],
  });

describe('API problems as sentences a person would write', () => {
  it.each([
    ['currentPassword', 'currentPassword is incorrect', 'The current password is incorrect.'],
    ['password', 'password is one of the most common passwords', 'The password is one of the most common passwords.'],
    [
      'content',
      'content must be at most 40000 characters (it has 40001)',
      'The post must have at most 40,000 characters; this has 40,001.',
    ],
    ['displayName', 'displayName must be longer than or equal to 1 characters', 'The display name must not be empty.'],
    [
      'displayName',
      'displayName must be shorter than or equal to 80 characters',
      'The display name must have at most 80 characters.',
    ],
    ['newEmail', 'newEmail must be an e-mail address', 'The new e-mail address is not a valid address.'],
    ['token', 'token should not be empty', 'The link from the e-mail must not be empty.'],
    ['role', 'property role should not exist', 'The role is not something this form can send.'],
    ['authorId', 'authorId must be a UUID', 'The author id is not valid.'],
    ['title', 'title must be at least 1 characters', 'The title must not be empty.'],
    [
      'title',
      'title must be at most 120 characters (it has 121)',
      'The title must have at most 120 characters; this has 121.',
    ],
    ['limit', 'limit must not be greater than 50', 'The number of items must be at most 50.'],
    [
      'status',
      'status must be one of the following values: draft, published',
      'The status must be one of: draft, published.',
    ],
    ['title', 'title must not contain control characters', 'The title must not contain control characters.'],
  ])('%s: "%s"', (field, detail, sentence) => {
    const problem = invalid(field, detail);
    expect(problem.fields).toEqual({ [field]: sentence });
    expect(problem.message).toBe(sentence);
    expect(problem.detail).toBe('The request is invalid; see errors for each field.');
  });

  it('leaves sentences the API words well as they are, and wording twice changes nothing', () => {
    const worded = 'The post would show nothing: write some text.';
    expect(humanField('content', worded)).toBe(worded);
    const once = invalid('content', 'content must be at most 40000 characters (it has 40001)');
    expect(humanProblem(once)).toBe(once.message);
    expect(answer(409, { detail: 'An account with this e-mail address already exists.' }).message).toBe(
      'An account with this e-mail address already exists.',
    );
  });

  it('says a wait in minutes, from Retry-After when there is one', () => {
    expect(answer(429, { detail: 'Too many attempts. Try again in 1907 seconds.' }).message).toBe(
      'Too many attempts. Try again in 32 minutes.',
    );
    const limited = answer(429, {}, { 'retry-after': '42' });
    expect(limited.retryAfter).toBe(42);
    expect(limited.message).toBe('Too many attempts. Try again in 42 seconds.');
    expect(
      answer(429, { detail: 'Too many attempts. Try again in 9 seconds.' }, { 'retry-after': '3700' }).message,
    ).toBe('Too many attempts. Try again in 1 hour and 2 minutes.');
    expect(answer(429, {}).message).toBe('Too many attempts. Wait a moment and try again.');
    expect([1, 59, 60, 61, 1907, 3600, 7260].map(waitInWords)).toEqual([
      '1 second',
      '59 seconds',
      '60 seconds',
      '2 minutes',
      '32 minutes',
      '1 hour',
      '2 hours and 1 minute',
    ]);
  });

  it('never shows a server fault’s words, nor the generic line of a validation error', () => {
    expect(answer(500, { detail: 'An unexpected error occurred. It has been logged.' }).message).toBe(
      'Something went wrong on our side. Try again in a moment.',
    );
    expect(answer(400, { detail: 'The request is invalid; see errors for each field.' }).message).toBe(
      'Something in this form is not valid.',
    );
    expect(problemOf(undefined, undefined).message).toMatch(/could not be reached/);
  });

  it('recognises an unverified address', () => {
    const unverified = answer(403, {
      type: 'https://nuell.dev/problems/email-not-verified',
      detail: 'Confirm your e-mail address first.',
    });
    expect(needsVerifiedEmail(unverified)).toBe(true);
    expect(unverified.message).toBe('Confirm your e-mail address first.');
  });

  it("words a suspension with the end in the reader's time and the team's message as written", () => {
    const suspended = answer(403, {
      type: 'https://nuell.dev/problems/account-suspended',
      detail: 'This account is suspended until Saturday 5 December 2099 at 14:00 UTC.',
      message: 'Your posts were advertising.',
      until: '2099-12-05T14:00:00.000Z',
    });
    expect(suspended.suspension).toEqual({
      message: 'Your posts were advertising.',
      until: '2099-12-05T14:00:00.000Z',
    });
    const end = new Intl.DateTimeFormat(undefined, SUSPENSION_END).format(new Date('2099-12-05T14:00:00.000Z'));
    expect(end).toMatch(/2099.*(UTC|GMT)/); // the zone is named
    expect(suspended.message).toBe(
      `Your account is suspended until ${end}. Message from the team: “Your posts were advertising.”`,
    );
    expect(suspendedSentence({ message: null, until: null }, 'en-GB')).toBe(
      'Your account is suspended until the team lifts the suspension.',
    );
    expect(answer(403, { detail: 'Not yours.' }).suspension).toBeNull();
  });
});
