/**
 * A suspended account, as its owner meets it at sign-in: a wrong password says what it always
 * says; the right one says the account is suspended, until when (in the reader's own date and
 * time) and the team's message, never the operator's reason. Once the end has passed, signing in
 * works again. (The operator's side, in the panel, is admin/test/panel-browser.spec.ts and
 * admin/test/suspension.spec.ts; here the stack has no panel, so the test writes the suspension
 * as OperatorAccountService.suspend does.)
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newAccount, newContext, pageErrors, useBrowserAndDatabase, webUrl } from './support/browser';

const stack = useBrowserAndDatabase();

const MESSAGE = 'Your last three posts advertised the same shop. You can write again after the suspension.';
const REASON = 'Spam: three reports from readers';

async function register(account: { email: string; password: string; displayName: string }): Promise<string> {
  const answer = await fetch(`${webUrl()}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(account),
  });
  if (answer.status !== 201) throw new Error(`register answered ${answer.status}: ${await answer.text()}`);
  return ((await answer.json()) as { id: string }).id;
}

/** As the panel's Suspend does: the account inactive with its terms, every session ended. */
async function suspend(id: string, until: Date | null, message: string | null): Promise<void> {
  await stack.db.query(
    `UPDATE users SET is_active = false, suspended_at = now(), suspended_until = $2, suspension_reason = $3,
                      suspension_message = $4 WHERE id = $1`,
    [id, until, REASON, message],
  );
  await stack.db.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [id]);
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

describe('signing in to a suspended account', () => {
  it("shows the team's message and the end in the reader's words, once the password is right", async () => {
    const account = newAccount('Suspended Sam');
    const id = await register(account);
    const until = new Date(Date.now() + 5 * 86_400_000);
    until.setUTCSeconds(0, 0);
    await suspend(id, until, MESSAGE);

    const page = await (await newContext(stack.browser)).newPage();
    const errors = pageErrors(page);
    const summary = page.locator('[data-error-summary]');

    await signIn(page, account.email, `${account.password}-wrong`);
    await summary.getByText('The e-mail address or the password is incorrect.').waitFor();

    await signIn(page, account.email, account.password);
    // The end as this browser writes a date and time, in its own time zone.
    const end = await page.evaluate(
      (iso) =>
        new Intl.DateTimeFormat(undefined, {
          weekday: 'long',
          year: 'numeric',
          month: 'long',
          day: 'numeric',
          hour: 'numeric',
          minute: '2-digit',
          timeZoneName: 'short',
        }).format(new Date(iso)),
      until.toISOString(),
    );
    await summary.getByText(`Your account is suspended until ${end}. Message from the team: “${MESSAGE}”`).waitFor();
    expect(await summary.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await page.content()).not.toContain(REASON);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);

    // The end passes: the next sign-in lifts the suspension and goes through.
    await stack.db.query(`UPDATE users SET suspended_until = now() - interval '1 minute' WHERE id = $1`, [id]);
    await signIn(page, account.email, account.password);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('says until the team lifts it, and nothing more, when the operator gave no end and no message', async () => {
    const account = newAccount('Suspended Sue');
    await suspend(await register(account), null, null);
    const page = await (await newContext(stack.browser)).newPage();
    await signIn(page, account.email, account.password);
    const summary = page.locator('[data-error-summary]');
    await summary
      .getByText('Your account is suspended until the team lifts the suspension.', { exact: true })
      .waitFor();
  });
});
