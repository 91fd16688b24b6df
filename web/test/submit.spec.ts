import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { useSubmit } from '~/composables/useSubmit';

const schema = z.object({ email: z.string().email('Enter a valid e-mail address'), password: z.string().min(1) });
const problem = (status: number, body: object) => ({
  response: new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json' } }),
  error: body,
});
const form = { email: 'ada@example.com', password: 'secret' };

describe('a form sent with useSubmit', () => {
  it('stops at the schema: errors beside the fields, nothing sent', async () => {
    let sent = 0;
    const submit = useSubmit(
      () => schema,
      async () => {
        sent++;
        return problem(200, {});
      },
    );
    expect(await submit.submit({ email: 'nope', password: 'x' })).toBe(false);
    expect(submit.errors.value).toEqual({ email: 'Enter a valid e-mail address' });
    expect(sent).toBe(0);
    expect(submit.failures.value).toBe(1); // the error summary takes the focus
  });

  it('puts the server’s field errors beside the inputs the form has, worded for people', async () => {
    const submit = useSubmit(
      () => schema,
      async () => problem(400, { detail: 'Invalid', errors: [{ field: 'email', detail: 'That address is refused' }] }),
    );
    expect(await submit.submit(form)).toBe(false);
    expect(submit.errors.value).toEqual({ email: 'That address is refused.' });
    expect(submit.message.value).toBeNull();
    expect(submit.failures.value).toBe(1);
  });

  it('shows a field error for an input the form lacks as its message, not nowhere', async () => {
    const submit = useSubmit(
      () => schema,
      async () => problem(400, { detail: 'Invalid', errors: [{ field: 'token', detail: 'token must be a string' }] }),
    );
    expect(await submit.submit(form)).toBe(false);
    expect(submit.errors.value).toEqual({});
    expect(submit.message.value).toBe('The link from the e-mail must be text.');
  });

  it('lets the page word a refusal, as a message or beside a field', async () => {
    const submit = useSubmit(
      () => schema,
      async () => problem(409, { detail: 'Taken' }),
    );
    await submit.submit(form, (p) => (p.status === 409 ? 'Sign in instead?' : null));
    expect(submit.message.value).toBe('Sign in instead?');
    await submit.submit(form, (p) => (p.status === 409 ? { email: 'This address has an account.' } : null));
    expect(submit.errors.value).toEqual({ email: 'This address has an account.' });
    expect(submit.message.value).toBeNull();
    await submit.submit(form, () => null);
    expect(submit.message.value).toBe('Taken.');
    expect(submit.failures.value).toBe(3);
  });

  it('says the server could not be reached when sending fails', async () => {
    const submit = useSubmit(
      () => schema,
      () => Promise.reject(new TypeError('fetch failed')),
    );
    expect(await submit.submit(form)).toBe(false);
    expect(submit.message.value).toMatch(/could not be reached/);
    expect(submit.busy.value).toBe(false);
    expect(submit.failures.value).toBe(1);
  });

  it('counts no failure when the server accepts the form', async () => {
    const submit = useSubmit(
      () => schema,
      async () => problem(200, {}),
    );
    expect(await submit.submit(form)).toBe(true);
    expect(submit.failures.value).toBe(0);
  });
});
