/**
 * Two-step sign-in to the panel in a real browser (Chromium through playwright-core): an
 * operator's first sign-in, from a deep link, sets up an authenticator app (the secret read off
 * the page as a person would type it), shows the recovery codes once and leads on to the page
 * asked for; a later sign-in takes the code, typed with the keyboard only; an operator resets a
 * user's two-step sign-in from the user's page, and the user sets it up again in the app's API.
 * At 1440 and 390 px wide, without sideways scrolling, with no script error.
 */
import type { Page } from 'playwright-core';
import { bearer, json, login, register } from '../../api/test/support/accounts.js';
import { DESKTOP, SCREENSHOTS, shot, signInWithForm, useChromium, watchedPage } from './support/browser.js';
import { enrolTotp, operator, uniqueText, usePanelAndApi } from './support/panel.js';
import { codeNow, freshCode, totpOf } from './support/totp.js';

const { panel, api } = usePanelAndApi();
const chromium = useChromium();

const PHONE = { width: 390, height: 844 } as const;

const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

/** A code of the secret that is none of the codes near now. */
function wrongCodeFor(secret: string): string {
  const totp = totpOf(secret);
  const step = totp.counter();
  const near = new Set([-1, 0, 1].map((d) => totp.generate({ timestamp: (step + d) * 30_000 })));
  for (let n = 0; ; n++) {
    const candidate = String(654_321 + n * 7_919).slice(-6);
    if (!near.has(candidate)) return candidate;
  }
}

describe('two-step sign-in to the panel, in the browser', () => {
  it("forces an operator's first sign-in to set up an authenticator app, then asks for its code", async () => {
    const ops = await operator(api, { email: `${uniqueText('new-operator')}@example.test` }, { enrolled: false });
    const problems: string[] = [];
    const page = await watchedPage(chromium.browser, problems, DESKTOP, { failedRequests: false });
    const usersList = `${panel.url}/cp/resources/User`;

    await page.goto(usersList);
    await page.waitForURL(/\/cp\/login\?next=/);
    await page.fill('input[name="email"]', ops.email);
    await page.fill('input[name="password"]', ops.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // The enrolment: why, the QR code, the key to type, the first code.
    await page.waitForURL(`${panel.url}/cp/login/enrol`);
    await page.getByRole('heading', { name: 'Set up two-step sign-in' }).waitFor();
    await page.getByText('Operators can change every account').waitFor();
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    expect(await noSidewaysScroll(page)).toBe(true);
    await shot(page, 'panel-enrol-1440');
    // Nothing of the panel opens meanwhile.
    await page.goto(usersList);
    expect(page.url()).toBe(`${panel.url}/cp/login/enrol`);

    const secret = (await page.locator('[data-secret]').innerText()).replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const field = page.getByLabel('Code', { exact: true });
    expect(await field.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await field.getAttribute('inputmode')).toBe('numeric');

    // A wrong code: said at once, the same QR code to scan.
    await field.fill(wrongCodeFor(secret));
    await page.getByRole('button', { name: 'Turn on and continue' }).click();
    await page
      .getByRole('alert')
      .getByText(/The code is incorrect or was already used/)
      .waitFor();
    expect((await page.locator('[data-secret]').innerText()).replace(/\s/g, '')).toBe(secret);

    await page.getByLabel('Code', { exact: true }).fill(await freshCode(secret));
    await page.getByRole('button', { name: 'Turn on and continue' }).click();
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    const codes = await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allInnerTexts();
    expect(codes).toHaveLength(10);
    expect(codes.every((code) => /^[a-z2-9]{5}-[a-z2-9]{5}$/.test(code))).toBe(true);
    await shot(page, 'panel-recovery-codes-1440');
    await page.getByRole('button', { name: 'Continue' }).click();
    // On to the page asked for.
    await page.waitForURL(usersList);
    await page.locator('tbody tr').first().waitFor();

    // A later sign-in, at phone width, with the keyboard only: the code, then Enter.
    const phone = await watchedPage(chromium.browser, problems, PHONE);
    await phone.goto(`${panel.url}/cp/login`);
    await phone.fill('input[name="email"]', ops.email);
    await phone.fill('input[name="password"]', ops.password);
    await phone.keyboard.press('Enter');
    await phone.waitForURL(`${panel.url}/cp/login/code`);
    await phone.getByText('Enter the 6-digit code from your authenticator app').waitFor();
    // The field has the focus: the code is typed straight away.
    expect(await phone.evaluate(() => document.activeElement?.getAttribute('autocomplete'))).toBe('one-time-code');
    expect(await noSidewaysScroll(phone)).toBe(true);
    await shot(phone, 'panel-sign-in-code-390');
    await phone.keyboard.type(await freshCode(secret));
    await phone.keyboard.press('Enter');
    await phone.waitForURL(`${panel.url}/cp`);
    await phone.close();

    // And the enrolment page at phone width: the QR code and the key fit.
    const another = await operator(api, { email: `${uniqueText('phone-operator')}@example.test` }, { enrolled: false });
    const small = await watchedPage(chromium.browser, problems, PHONE);
    await small.goto(`${panel.url}/cp/login`);
    await small.fill('input[name="email"]', another.email);
    await small.fill('input[name="password"]', another.password);
    await small.getByRole('button', { name: 'Sign in' }).click();
    await small.waitForURL(`${panel.url}/cp/login/enrol`);
    await small.getByRole('img', { name: /QR code/ }).waitFor();
    expect(await noSidewaysScroll(small)).toBe(true);
    await small.screenshot({ path: new URL('panel-enrol-390.png', SCREENSHOTS).pathname, fullPage: true });
    await small.close();

    expect(problems).toEqual([]);
  }, 120_000);

  it("lets an operator reset a user's two-step sign-in from the user's page, after which the user sets it up again", async () => {
    const ops = await operator(api, { email: `${uniqueText('operator')}@example.test` });
    const user = await register(api.url, { email: `${uniqueText('lost-phone')}@example.test` });
    await enrolTotp(api.db, user.id);

    const problems: string[] = [];
    const page = await watchedPage(chromium.browser, problems, DESKTOP);
    await signInWithForm(page, panel.url, ops);
    await page.goto(`${panel.url}/cp/resources/User/records/${user.id}/show`);
    const figure = page.locator('[data-figure="Two-step sign-in"]');
    await figure.getByText('On', { exact: true }).waitFor();
    await figure.getByText(/authenticator app since/).waitFor();

    await page.locator('[data-user-actions] a', { hasText: 'Reset two-step sign-in' }).click();
    await page.getByRole('heading', { name: `Reset two-step sign-in for ${user.email}?` }).waitFor();
    await page.getByText(/removes its authenticator app and recovery codes/).waitFor();
    expect(await noSidewaysScroll(page)).toBe(true);
    await shot(page, 'panel-user-reset-two-step');
    await page.getByRole('button', { name: 'Reset two-step sign-in' }).click();
    await page
      .getByRole('status')
      .getByText(/Two-step sign-in reset: .* signs in with the password alone now/)
      .waitFor();

    // The user's page says so, and offers no reset any more.
    await page.goto(`${panel.url}/cp/resources/User/records/${user.id}/show`);
    await figure.getByText('Off', { exact: true }).waitFor();
    expect(await page.locator('[data-user-actions] a', { hasText: 'Reset two-step sign-in' }).count()).toBe(0);
    const [entry] = await api.db.query<{ actor_id: string }[]>(
      `SELECT actor_id FROM audit_log WHERE action = 'mfa_reset' AND target_id = $1`,
      [user.id],
    );
    expect(entry?.actor_id).toBe(ops.id);

    // The user signs in with the password alone and sets up a new app.
    const { accessToken } = await login(api.url, user);
    // Setting up a factor is a sensitive change: confirmed with the password first.
    const proven = await fetch(
      `${api.url}/api/v1/users/me/step-up`,
      bearer(accessToken, json({ password: user.password })),
    );
    expect(proven.status).toBe(200);
    const begun = await fetch(`${api.url}/api/v1/users/me/mfa/totp`, bearer(accessToken, { method: 'POST' }));
    expect([begun.status, begun.status === 201 ? '' : await begun.text()]).toEqual([201, '']);
    const { secret } = (await begun.json()) as { secret: string };
    const confirmed = await fetch(
      `${api.url}/api/v1/users/me/mfa/totp/confirm`,
      bearer(accessToken, json({ code: codeNow(secret) })),
    );
    expect(confirmed.status).toBe(200);
    expect(((await confirmed.json()) as { recoveryCodes: string[] }).recoveryCodes).toHaveLength(10);
    await page.reload();
    await figure.getByText('On', { exact: true }).waitFor();

    expect(problems).toEqual([]);
  }, 120_000);
});
