/** Account recovery and the end of an account, through the e-mails and the settings page. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  linkFromEmail,
  newAccount,
  newContext,
  screenshotOnFailure,
  signIn,
  signUp,
  uniqueEmail,
} from './support/browser';
import { launchChromium } from '../../scripts/lib/chromium.mjs';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());
screenshotOnFailure(() => browser?.contexts().at(-1)?.pages().at(-1));

describe('account recovery and deletion', () => {
  it('resets a forgotten password through the e-mailed link', async () => {
    const account = newAccount('Forgetful');
    const page = await (await newContext(browser)).newPage();
    await signUp(page, account);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).waitFor();

    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await page.getByLabel('E-mail address').fill(account.email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByText(/we sent it a link/).waitFor();

    const link = await linkFromEmail(account.email, /Reset your password/);
    expect(link.pathname).toBe('/reset-password');
    expect(link.search).toBe(''); // the token rides in the fragment, which never reaches a server
    await page.goto(`${link.pathname}${link.hash}`);
    await page.getByLabel('New password').waitFor();
    await page.waitForFunction(() => location.hash === ''); // the token leaves the address bar
    // A reload keeps the page working: the token is kept for the tab's life.
    await page.reload();
    const field = page.getByLabel('New password');
    await field.waitFor();
    expect(await page.getByText('This page needs the link from the reset e-mail.').count()).toBe(0);

    // "Password123!" meets the length and mix rules but is refused by the estimate, in the
    // checklist, by the form before sending, and by the server.
    const rules = page.getByRole('list', { name: 'Password rules' });
    await field.fill('Password123!');
    await rules.getByText('Three of: lower case, upper case, digits, symbols: met').waitFor();
    await rules.getByText('Hard to guess: not a common password, word or pattern: not yet').waitFor();
    await page.getByText(/This one is too easy to guess: this is similar to a commonly used password\./).waitFor();
    await page.getByRole('button', { name: 'Set the new password' }).click();
    const summary = page.locator('[data-error-summary]');
    await summary.getByRole('link', { name: /^The password is too easy to guess/ }).waitFor();
    expect(await summary.evaluate((element) => element === document.activeElement)).toBe(true);
    const token = new URLSearchParams(link.hash.slice(1)).get('token')!;
    const refused = await page.request.post('/api/v1/auth/password/reset', {
      data: { token, password: 'Password123!' },
    });
    expect(refused.status()).toBe(400);
    expect(JSON.stringify(await refused.json())).toMatch(/too easy to guess/);

    await field.fill('Brand-New-Secret-42');
    await rules.getByText('Hard to guess: not a common password, word or pattern: met').waitFor();
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByText('Your password was changed.').waitFor();
    // Done with it: the token is forgotten, and a reload asks for a new link.
    await page.reload();
    await page.getByText('This page needs the link from the reset e-mail.').waitFor();

    await page.goto('/sign-in');
    await page.getByLabel('E-mail address').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('The e-mail address or the password is incorrect.').waitFor();
    await signIn(page, { email: account.email, password: 'Brand-New-Secret-42' });
    await page.context().close();
  });

  it('changes the e-mail address once the new one confirms through its link', async () => {
    const account = newAccount('Moving House');
    const page = await (await newContext(browser)).newPage();
    await signUp(page, account);
    await page.goto('/settings');
    const newEmail = uniqueEmail('moved');
    await page.getByLabel('New e-mail address').fill(newEmail);
    await page.getByLabel('Current password').first().fill(account.password);
    await page.getByRole('button', { name: 'Change address' }).click();
    await page.getByText(`We sent a confirmation link to ${newEmail}.`).waitFor();
    expect(await page.getByText(`Signed in as ${account.email}`).count()).toBe(1); // nothing changed yet

    const link = await linkFromEmail(newEmail, /Confirm your new e-mail address/);
    expect(link.pathname).toBe('/verify-email');
    await page.goto(`${link.pathname}${link.hash}`);
    await page.getByText(`${newEmail} is confirmed`).waitFor();
    await page.goto('/settings');
    await page.getByText(`Signed in as ${newEmail}`).waitFor();
    await page.context().close();
  });

  it('still accepts a link with the token in the query, as links sent before the fragment carried it', async () => {
    const account = newAccount('Old Link');
    const page = await (await newContext(browser)).newPage();
    await signUp(page, account);
    const link = await linkFromEmail(account.email, /Confirm your e-mail/);
    const token = new URLSearchParams(link.hash.slice(1)).get('token')!;
    await page.goto(`${link.pathname}?token=${token}`);
    await page.getByText(`${account.email} is confirmed`).waitFor();
    expect(await page.evaluate(() => location.search)).toBe('');
    await page.context().close();
  });

  it('tells a confirmed user who opens the confirmation link again, or reloads it, that they are done', async () => {
    const account = newAccount('Twice Clicked');
    const context = await newContext(browser);
    const page = await context.newPage();
    await signUp(page, account);
    const link = await linkFromEmail(account.email, /Confirm your e-mail/);
    await page.goto(`${link.pathname}${link.hash}`);
    await page.getByText(`${account.email} is confirmed`).waitFor();
    await page.reload();
    await page.getByText(`You are all set: ${account.email} is confirmed.`).waitFor();

    const second = await context.newPage(); // the second click opens another tab
    await second.goto(`${link.pathname}${link.hash}`);
    await second.getByText(`You are all set: ${account.email} is confirmed.`).waitFor();
    expect(await second.getByText('This link is invalid, expired or was used already.').count()).toBe(0);
    await context.close();
  });

  it('deletes the account with its password, and the account is gone', async () => {
    const account = newAccount('Leaving Soon');
    const page = await (await newContext(browser)).newPage();
    await signUp(page, account);
    await page.goto('/settings');
    await page.getByRole('button', { name: 'Delete my account…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete your account?' });
    await dialog.getByLabel('Your password').fill('Not-My-Password-1');
    await dialog.getByRole('button', { name: 'Delete for good' }).click();
    // The refusal in words, in the dialog's error summary, which takes the focus.
    const summary = dialog.locator('[data-error-summary]');
    await summary.getByText('The current password is incorrect.').waitFor();
    expect(await summary.evaluate((element) => element === document.activeElement)).toBe(true);
    await dialog.getByLabel('Your password').fill(account.password);
    await dialog.getByRole('button', { name: 'Delete for good' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByText('Your account was deleted.').waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).waitFor();

    await page.goto('/sign-in');
    await page.getByLabel('E-mail address').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('The e-mail address or the password is incorrect.').waitFor();
    await page.context().close();
  });
});

describe('account forms a person can use', () => {
  it('moves the focus to an error summary in a live region when signing in fails', async () => {
    const account = newAccount('Wrong Key');
    const context = await newContext(browser);
    const page = await context.newPage();
    await signUp(page, account);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).waitFor();

    await page.goto('/sign-in');
    // Nothing typed: the form's own refusals, each a link to its field.
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const summary = page.locator('[data-error-summary]');
    await summary.getByRole('link', { name: 'Enter your e-mail address' }).waitFor();
    expect(await summary.evaluate((element) => element === document.activeElement)).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter'); // the first link
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('email');

    await page.getByLabel('E-mail address').fill(account.email);
    await page.getByLabel('Password', { exact: true }).fill('Not-The-Password-1');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await summary.getByText('The e-mail address or the password is incorrect.').waitFor();
    expect(await summary.evaluate((element) => element === document.activeElement)).toBe(true);
    const live = page.locator('form [aria-live]');
    expect(await live.textContent()).toContain('The e-mail address or the password is incorrect.');

    // The show-password toggle: a button that says whether it is pressed, next in the tab order.
    const password = page.getByLabel('Password', { exact: true });
    const toggle = page.getByRole('button', { name: 'Show password' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await password.focus();
    await page.keyboard.press('Tab');
    expect(await toggle.evaluate((element) => element === document.activeElement)).toBe(true);
    await page.keyboard.press('Space');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    expect(await password.getAttribute('type')).toBe('text');
    await page.keyboard.press('Space');
    expect(await password.getAttribute('type')).toBe('password');

    // The address typed carries over to "forgot password".
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    // Nuxt's route announcer says the new page to screen readers.
    await page
      .locator('[aria-live="polite"]', { hasText: 'Forgot your password · nuell' })
      .waitFor({ state: 'attached' });
    expect(await page.getByLabel('E-mail address').inputValue()).toBe(account.email);
    await context.close();
  });

  it('offers to sign in, with the address typed, when signing up with an address that has an account', async () => {
    const account = newAccount('Already Here');
    const context = await newContext(browser);
    const page = await context.newPage();
    await signUp(page, account);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).waitFor();

    await page.goto('/sign-up');
    await page.getByLabel('E-mail address').fill(account.email);
    await page.getByLabel('Display name').fill('Someone Else');
    await page.getByLabel('Password', { exact: true }).fill('Another-Fine-Secret-7');
    await page.getByRole('button', { name: 'Create account' }).click();
    const summary = page.locator('[data-error-summary]');
    await summary.getByText('An account with this e-mail address exists already.').waitFor();
    expect(await summary.evaluate((element) => element === document.activeElement)).toBe(true);
    await summary.getByRole('link', { name: 'Sign in with it' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByLabel('E-mail address').inputValue()).toBe(account.email);
    await page.getByLabel('Password', { exact: true }).fill(account.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await context.close();
  });

  it('says a new password must differ from the current one before sending it', async () => {
    const account = newAccount('Same Again');
    const context = await newContext(browser);
    const page = await context.newPage();
    await signUp(page, account);
    await page.goto('/settings');
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Change password' }) });
    await form.getByLabel('Current password').fill(account.password);
    await form.getByLabel('New password').fill(account.password);
    await form.getByRole('button', { name: 'Change password' }).click();
    const summary = form.locator('[data-error-summary]');
    await summary.getByText('The new password must differ from your current one.').waitFor();
    expect(await summary.evaluate((element) => element === document.activeElement)).toBe(true);
    await context.close();
  });
});
