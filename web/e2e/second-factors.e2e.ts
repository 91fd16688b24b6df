/**
 * Second factors in the browser, as a person meets them: setting up an authenticator app in
 * Settings (the code computed here from the key the page shows, as the app would), signing in
 * with a code and with a recovery code (which works once), a passkey added in Settings and used
 * to sign in through Chromium's virtual authenticator, and the "Confirm it is you" dialog a
 * sensitive change asks for once the session's last proof of presence is old (the test ages it in
 * the database: the window itself is ten minutes). Light and dark, desktop and phone, axe clean.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { Secret, TOTP } from 'otpauth';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { newAccount, newContext, pageErrors, signUp, useBrowserAndDatabase, type Account } from './support/browser';

const stack = useBrowserAndDatabase();
const SHOTS = fileURLToPath(new URL('../../test-reports/screenshots/', import.meta.url));
beforeAll(() => mkdir(SHOTS, { recursive: true }));

async function serious(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Axe in light and dark, and screenshots at 1440 px, at 390 px (no sideways scrolling) and dark. */
async function lookAt(page: Page, name: string, part?: Locator): Promise<void> {
  const shoot = (path: string) => (part ? part.screenshot({ path }) : page.screenshot({ path }));
  const size = page.viewportSize() ?? { width: 1280, height: 900 };
  await page.setViewportSize({ width: 1440, height: 900 });
  expect(await serious(page)).toEqual([]);
  await shoot(`${SHOTS}${name}.png`);
  await page.setViewportSize({ width: 390, height: 844 });
  await shoot(`${SHOTS}${name}-390.png`);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.evaluate(() => document.documentElement.classList.add('dark'));
  await page.waitForTimeout(400); // the buttons' colour transitions
  expect(await serious(page)).toEqual([]);
  await shoot(`${SHOTS}${name}-dark.png`);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.evaluate(() => document.documentElement.classList.remove('dark'));
  await page.setViewportSize(size);
}

/** What the authenticator app shows for `secret` (grouped as the page shows it) at `time`. */
function appCode(secret: string, time = Date.now()): string {
  return new TOTP({ secret: Secret.fromBase32(secret.replace(/\s/g, '')) }).generate({ timestamp: time });
}

/** Waits for the app's next code: a code is accepted once, so a new sign-in needs the next one. */
async function nextAppCode(secret: string): Promise<string> {
  const wait = 30_000 - (Date.now() % 30_000) + 500;
  await new Promise((r) => setTimeout(r, wait));
  return appCode(secret);
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
}

async function password(page: Page, account: Pick<Account, 'email' | 'password'>): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('E-mail address').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

function isFocused(field: Locator): Promise<boolean> {
  return field.evaluate((element) => element === document.activeElement);
}

/**
 * Makes the account's last proof of presence an hour old (or gives it one), so the next sensitive
 * change asks for a new one whatever came before: the window itself is ten minutes.
 */
async function ageProof(account: Pick<Account, 'email'>): Promise<void> {
  await stack.db.query(
    `UPDATE sessions SET proven_at = now() - interval '1 hour'
      WHERE user_id = (SELECT id FROM users WHERE email = $1)`,
    [account.email],
  );
}

/** Answers the "Confirm it is you" dialog with the password. */
async function confirmWithPassword(page: Page, account: Pick<Account, 'password'>): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
  await dialog.getByLabel('Your password').fill(account.password);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** Sets up the authenticator app in Settings; returns the key as shown and the recovery codes. */
async function setUpApp(
  page: Page,
  account: Account,
  shots = false,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  await ageProof(account);
  await page.goto('/settings#security');
  const section = page.getByRole('region', { name: 'Two-step sign-in' });
  await section.getByText('Off', { exact: true }).waitFor();
  await section.getByRole('button', { name: 'Set up' }).click();
  await confirmWithPassword(page, account);
  const secret = (await section.getByTestId('totp-secret').textContent())!.trim();
  expect(secret).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/); // in groups of four, to type by hand
  await section.getByRole('img', { name: /QR code/ }).waitFor();
  expect(await isFocused(section.getByLabel('Code from your authenticator app'))).toBe(true);
  if (shots) await lookAt(page, 'settings-two-step-set-up', section);

  // A wrong code says so beside the field and turns nothing on.
  const wrong = String((Number(appCode(secret)) + 1) % 1_000_000).padStart(6, '0');
  await section.getByLabel('Code from your authenticator app').fill(wrong);
  await section.getByRole('button', { name: 'Turn on' }).click();
  await section
    .locator('.field-error')
    .getByText(/incorrect/)
    .waitFor();

  await section.getByLabel('Code from your authenticator app').fill(appCode(secret));
  await section.getByRole('button', { name: 'Turn on' }).click();
  const list = section.getByRole('list', { name: 'Recovery codes' });
  await list.waitFor();
  const recoveryCodes = (await list.getByRole('listitem').allTextContents()).map((code) => code.trim());
  expect(recoveryCodes).toHaveLength(10);
  for (const code of recoveryCodes) expect(code).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/);
  await section.getByRole('button', { name: 'Download (.txt)' }).waitFor();
  if (shots) await lookAt(page, 'settings-recovery-codes', section);
  await section.getByRole('button', { name: 'I have saved them' }).click();
  await section.getByText('On', { exact: true }).waitFor();
  // The codes are put away; the keyboard carries on from the section's first button.
  expect(await isFocused(section.getByRole('button', { name: 'New recovery codes' }))).toBe(true);
  await section.getByText('You have 10 recovery codes left.').waitFor();
  return { secret, recoveryCodes };
}

describe('two-step sign-in with an authenticator app', () => {
  it('is set up in Settings, then asks for a code or a recovery code at sign-in; a recovery code works once', async () => {
    const account = newAccount('Katherine Johnson');
    const page = await (await newContext(stack.browser)).newPage();
    const errors = pageErrors(page);
    await signUp(page, account);
    const { secret, recoveryCodes } = await setUpApp(page, account, true);
    await lookAt(page, 'settings-two-step-on', page.getByRole('region', { name: 'Two-step sign-in' }));

    // Signing in now takes a second step; a wrong code is said beside the field, the ticket kept.
    await signOut(page);
    await password(page, account);
    await page.getByRole('heading', { name: 'Two-step sign-in' }).waitFor();
    await page.getByText('Enter the 6-digit code from your authenticator app.').waitFor();
    const codeField = page.getByLabel('Code from your authenticator app');
    expect(await codeField.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await codeField.getAttribute('inputmode')).toBe('numeric');
    expect(await isFocused(codeField)).toBe(true);
    await lookAt(page, 'sign-in-code');
    await codeField.fill('000000');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page
      .locator('.field-error')
      .getByText(/incorrect/)
      .waitFor();
    await codeField.fill(await nextAppCode(secret));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    // With a recovery code instead.
    await signOut(page);
    await password(page, account);
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    expect(await isFocused(page.getByLabel('Recovery code'))).toBe(true);
    await page.getByLabel('Recovery code').fill(recoveryCodes[0]!.toUpperCase());
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.goto('/settings#security');
    await page.getByText('You have 9 recovery codes left.').waitFor();

    // The same recovery code a second time: refused.
    await signOut(page);
    await password(page, account);
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.getByLabel('Recovery code').fill(recoveryCodes[0]!);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page
      .locator('.field-error')
      .getByText(/incorrect or was already used/)
      .waitFor();
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('sends a stale sign-in back to the password, saying why', async () => {
    const account = newAccount('Dorothy Vaughan');
    const page = await (await newContext(stack.browser)).newPage();
    await signUp(page, account);
    const { secret } = await setUpApp(page, account);
    await signOut(page);
    await password(page, account);
    await page.getByLabel('Code from your authenticator app').waitFor();
    // The ticket's five minutes are up (written as the clock would).
    await stack.db.query(
      `UPDATE mfa_tickets SET expires_at = now() - interval '1 second'
        WHERE user_id = (SELECT id FROM users WHERE email = $1)`,
      [account.email],
    );
    await page.getByLabel('Code from your authenticator app').fill(appCode(secret));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.locator('[data-error-summary]').getByText('This sign-in has expired. Sign in again.').waitFor();
    await page.getByLabel('Password').waitFor();
    expect(await page.getByLabel('E-mail address').inputValue()).toBe(account.email);
  });

  it('is turned off with a current code, except by operators, who are told why they cannot', async () => {
    const account = newAccount('Evelyn Boyd');
    const page = await (await newContext(stack.browser)).newPage();
    await signUp(page, account);
    const { recoveryCodes } = await setUpApp(page, account);
    const section = page.getByRole('region', { name: 'Two-step sign-in' });

    // An operator's account: no way to turn it off, and the reason said.
    await stack.db.query(`UPDATE users SET role = 'admin' WHERE email = $1`, [account.email]);
    await page.reload();
    await section.getByText('Operators must keep two-step sign-in on', { exact: false }).waitFor();
    expect(await section.getByRole('button', { name: /Turn off/ }).count()).toBe(0);

    await stack.db.query(`UPDATE users SET role = 'user' WHERE email = $1`, [account.email]);
    await page.reload();
    await section.getByRole('button', { name: 'Turn off…' }).click();
    const field = section.getByLabel('Code from your authenticator app, or a recovery code');
    expect(await isFocused(field)).toBe(true);
    await field.fill(recoveryCodes[1]!);
    await section.getByRole('button', { name: 'Turn off', exact: true }).click();
    await page.getByText('Two-step sign-in is off. Your recovery codes no longer work.').waitFor();
    await section.getByText('Off', { exact: true }).waitFor();
  });

  it('is set up again by its owner after an operator reset it', async () => {
    const account = newAccount('Mary Jackson');
    const page = await (await newContext(stack.browser)).newPage();
    await signUp(page, account);
    await setUpApp(page, account);
    // What SecondFactors.reset does for the panel's "Reset two-step sign-in" (the panel's own
    // test clicks it): the app, the recovery codes and the passkeys go.
    await stack.db.query(
      `WITH u AS (SELECT id FROM users WHERE email = $1),
            a AS (DELETE FROM totp_factors WHERE user_id = (SELECT id FROM u)),
            b AS (DELETE FROM recovery_codes WHERE user_id = (SELECT id FROM u))
       DELETE FROM passkeys WHERE user_id = (SELECT id FROM u)`,
      [account.email],
    );
    // The password alone signs in again, and Settings offers to set it up once more.
    await signOut(page);
    await password(page, account);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    const { recoveryCodes } = await setUpApp(page, account);
    expect(recoveryCodes).toHaveLength(10);
  });
});

/** Chromium's virtual authenticator for this page: a platform passkey with a fingerprint that always matches. */
async function virtualAuthenticator(context: BrowserContext, page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  });
}

describe('passkeys', () => {
  it('are added in Settings, sign in instead of password and code, and are renamed and removed', async () => {
    const account = newAccount('Radia Perlman');
    const context = await newContext(stack.browser);
    const page = await context.newPage();
    const errors = pageErrors(page);
    await virtualAuthenticator(context, page);
    await signUp(page, account);
    await ageProof(account);
    await page.goto('/settings');
    const section = page.getByRole('region', { name: 'Passkeys' });
    await section.getByText('You have no passkeys yet.').waitFor();
    await section.getByLabel('Name (optional)').fill('Test laptop');
    await section.getByRole('button', { name: 'Add a passkey' }).click();
    await confirmWithPassword(page, account);
    await page.getByText('Passkey “Test laptop” added.').waitFor();
    const list = section.getByRole('list', { name: 'Your passkeys' });
    await list.getByText('Test laptop').waitFor();
    await list.getByText('not used yet').waitFor();
    await lookAt(page, 'settings-passkeys', section);

    // Signed out, the passkey alone signs in.
    await signOut(page);
    await page.goto('/sign-in');
    await lookAt(page, 'sign-in-passkey');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.goto('/settings');
    await list.getByText(/last used/).waitFor();

    // Renamed in place: Escape leaves it as it was, Save keeps the new name.
    await list.getByRole('button', { name: 'Rename Test laptop' }).click();
    const name = list.getByLabel('Name of this passkey');
    expect(await name.inputValue()).toBe('Test laptop');
    await name.fill('Nope');
    await name.press('Escape');
    await list.getByText('Test laptop').waitFor();
    expect(await isFocused(list.getByRole('button', { name: 'Rename Test laptop' }))).toBe(true);
    await list.getByRole('button', { name: 'Rename Test laptop' }).click();
    await list.getByLabel('Name of this passkey').fill('Work laptop');
    await list.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Renamed to “Work laptop”.').waitFor();
    await list.getByText('Work laptop').waitFor();

    // Removed after a question, and once the passkey itself confirmed it is you.
    await ageProof(account);
    await list.getByRole('button', { name: 'Remove Work laptop' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove the passkey “Work laptop”?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Remove' }).click();
    const confirm = page.getByRole('dialog', { name: 'Confirm it is you' });
    await confirm.getByRole('button', { name: 'Use a passkey' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByText('Passkey “Work laptop” removed.').waitFor();
    await section.getByText('You have no passkeys yet.').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says calmly that a passkey sign-in was cancelled when no passkey answers', async () => {
    const context = await newContext(stack.browser);
    const page = await context.newPage();
    await virtualAuthenticator(context, page); // holds no passkey for this site: the prompt ends unanswered
    await page.goto('/sign-in');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByRole('status').getByText('Passkey sign-in was cancelled.').waitFor();
    expect(await page.locator('[data-error-summary]').count()).toBe(0);
    await context.close();
  });
});

describe('confirming it is you', () => {
  it('asks for the password (or a code) before a sensitive change once the last proof is old, then makes the change', async () => {
    const account = newAccount('Hedy Lamarr');
    const page = await (await newContext(stack.browser)).newPage();
    const errors = pageErrors(page);
    await signUp(page, account);
    await ageProof(account);
    await page.goto('/settings#security');
    const section = page.getByRole('region', { name: 'Two-step sign-in' });
    const setUp = section.getByRole('button', { name: 'Set up' });
    await setUp.click();
    const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
    await dialog.waitFor();
    expect(await isFocused(dialog.getByLabel('Your password'))).toBe(true);
    await lookAt(page, 'step-up-dialog');

    // Escape closes it, the focus goes back to the button, and the refusal is said.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await setUp.evaluate((button) => button === document.activeElement)).toBe(true);
    await section.getByText('To make this change, first confirm it is you.').waitFor();

    // A wrong password is said beside the field; the right one closes the dialog and the change goes through.
    await setUp.click();
    await dialog.getByLabel('Your password').fill('not-the-password');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.locator('.field-error').waitFor();
    await dialog.getByLabel('Your password').fill(account.password);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.waitFor({ state: 'detached' });
    await section.getByTestId('totp-secret').waitFor();
    expect(errors).toEqual([]);
  });

  it('takes a code from the app once two-step sign-in is on', async () => {
    const account = newAccount('Annie Easley');
    const page = await (await newContext(stack.browser)).newPage();
    await signUp(page, account);
    const { secret } = await setUpApp(page, account);
    await ageProof(account);
    const section = page.getByRole('region', { name: 'Two-step sign-in' });
    await section.getByRole('button', { name: 'New recovery codes' }).click();
    await page
      .getByRole('dialog', { name: 'Make new recovery codes?' })
      .getByRole('button', { name: 'Make new codes' })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
    await dialog.getByRole('radio', { name: 'A code from your app' }).check();
    await dialog.getByLabel('Code from your authenticator app, or a recovery code').fill(await nextAppCode(secret));
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.waitFor({ state: 'detached' });
    await section.getByRole('list', { name: 'Recovery codes' }).waitFor();
    await section.getByText('Your old codes no longer work.').waitFor();
  });
});
