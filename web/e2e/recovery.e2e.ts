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
    await page.getByLabel('New password').fill('Brand-New-Secret-42');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByText('Your password was changed.').waitFor();

    await page.goto('/sign-in');
    await page.getByLabel('E-mail address').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
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

  it('deletes the account with its password, and the account is gone', async () => {
    const account = newAccount('Leaving Soon');
    const page = await (await newContext(browser)).newPage();
    await signUp(page, account);
    await page.goto('/settings');
    await page.getByRole('button', { name: 'Delete my account…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete your account?' });
    await dialog.getByLabel('Your password').fill('Not-My-Password-1');
    await dialog.getByRole('button', { name: 'Delete for good' }).click();
    await dialog.getByText('currentPassword is incorrect').waitFor();
    await dialog.getByLabel('Your password').fill(account.password);
    await dialog.getByRole('button', { name: 'Delete for good' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByText('Your account was deleted.').waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).waitFor();

    await page.goto('/sign-in');
    await page.getByLabel('E-mail address').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The e-mail address or the password is incorrect.').waitFor();
    await page.context().close();
  });
});
