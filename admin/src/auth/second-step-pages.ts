/**
 * The pages of the panel's sign-in that are not AdminJS's: the second step (a code from the
 * authenticator app, or a recovery code), the enrolment an operator without an app goes through
 * first, the recovery codes shown once, and the sign-out question. Plain HTML in the sign-in
 * page's look (its colours; the panel has no dark theme), built server-side so they need no
 * script at all: the panel's CSP lets none run without its nonce, and these pages want none.
 * Everything that comes from elsewhere (the operator's address, the secret) is escaped.
 */
import { renderSVG } from 'uqr';

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const MONO = "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace";
const BUTTON =
  'font: inherit; font-size: 0.95rem; padding: 0.65rem 1.5rem; border: 0; border-radius: 4px; background: #3040d6; color: #fff; cursor: pointer';
const LINK = 'color: #3040d6';
const INPUT = `box-sizing: border-box; width: 100%; font-family: ${MONO}; font-size: 1.25rem; letter-spacing: 0.08em; padding: 0.6rem 0.75rem; border: 1px solid #c0c0ca; border-radius: 4px; color: #0c1e29; background: #fff`;

/** One card on the grey background, as the sign-in and sign-out pages look; `wide` for the enrolment. */
function card(title: string, body: string, { wide = false }: { wide?: boolean } = {}): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · nuell control panel</title>
<style>
a:focus-visible, button:focus-visible, input:focus-visible { outline: 3px solid #3040d6; outline-offset: 2px }
input:focus { border-color: #3040d6 }
</style></head>
<body style="margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center; background: #f6f7fb; color: #0c1e29; font-family: ${FONT}">
<main style="box-sizing: border-box; width: min(${wide ? '34rem' : '26rem'}, calc(100vw - 2rem)); margin: 1rem 0; padding: clamp(1.25rem, 5vw, 2rem); background: #fff; border-radius: 6px; box-shadow: 0 2px 12px rgba(12, 30, 41, 0.12)">
<p style="margin: 0 0 0.5rem; font-size: 0.8rem; color: #6c757d">nuell control panel</p>
${body}
</main>
</body>
</html>`;
}

const heading = (text: string) => `<h1 style="margin: 0 0 0.75rem; font-size: 1.35rem">${escapeHtml(text)}</h1>`;
const paragraph = (html: string) => `<p style="margin: 0 0 1rem; line-height: 1.5">${html}</p>`;

/** A refusal above the form, read out by screen readers as it appears. */
function alertBox(message: string | null): string {
  if (!message) return '';
  return `<p role="alert" data-error style="margin: 0 0 1rem; padding: 0.75rem 1rem; border-radius: 4px; border: 1px solid #c20012; background: #fff5f7; color: #8a000d; line-height: 1.5">${escapeHtml(message)}</p>`;
}

/** The code field, as a phone's keyboard and a password manager recognise it. */
function codeField(id: string, described: string): string {
  return `<label for="${id}" style="display: block; font-weight: 600; margin: 0 0 0.4rem">Code</label>
<input id="${id}" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,8}" maxlength="8" required autofocus spellcheck="false" aria-describedby="${described}" style="${INPUT}">`;
}

export interface CodePageOptions {
  readonly action: string;
  readonly operator: string;
  /** The recovery-code form instead of the app's code. */
  readonly recovery: boolean;
  /** Where the other way (app code ⇄ recovery code) is. */
  readonly otherWay: string;
  readonly startAgain: string;
  readonly error: string | null;
}

/** The second step: the app's code, or (`recovery`) one of the recovery codes. */
export function codePage({ action, operator, recovery, otherWay, startAgain, error }: CodePageOptions): string {
  const field = recovery
    ? `<label for="recovery-code" style="display: block; font-weight: 600; margin: 0 0 0.4rem">Recovery code</label>
<input id="recovery-code" name="recoveryCode" type="text" autocomplete="off" autocapitalize="none" spellcheck="false" maxlength="40" required autofocus aria-describedby="code-help" style="${INPUT}">`
    : codeField('code', 'code-help');
  const help = recovery
    ? 'One of the ten recovery codes you saved when you set up two-step sign-in, like <span style="font-family: ' +
      MONO +
      '">abcde-23456</span>. Each works once.'
    : 'Enter the 6-digit code from your authenticator app.';
  return card(
    'Two-step sign-in',
    `${heading(recovery ? 'Enter a recovery code' : 'Enter your sign-in code')}
${paragraph(`Signing in as <strong>${escapeHtml(operator)}</strong>. Your password was right; one more step.`)}
${alertBox(error)}
<form method="post" action="${escapeHtml(action)}" style="margin: 0">
${field}
<p id="code-help" style="margin: 0.4rem 0 1.25rem; font-size: 0.9rem; color: #4d5660; line-height: 1.5">${help}</p>
<button type="submit" style="${BUTTON}">Sign in</button>
</form>
<p style="margin: 1.5rem 0 0; display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; font-size: 0.95rem">
<a href="${escapeHtml(otherWay)}" style="${LINK}">${recovery ? 'Use the code from your app instead' : 'Use a recovery code instead'}</a>
<a href="${escapeHtml(startAgain)}" style="${LINK}">Start again</a>
</p>`,
  );
}

/** The secret as it is easiest to type: groups of four. */
export const groupsOfFour = (secret: string): string => secret.replace(/(.{4})(?=.)/g, '$1 ');

export interface EnrolPageOptions {
  readonly action: string;
  readonly operator: string;
  readonly secret: string;
  readonly otpauthUri: string;
  readonly startAgain: string;
  readonly error: string | null;
}

/** An operator's first sign-in: why, the QR code and the key to type, and the first code. */
export function enrolPage({ action, operator, secret, otpauthUri, startAgain, error }: EnrolPageOptions): string {
  const qr = renderSVG(otpauthUri, { border: 2, pixelSize: 6, blackColor: '#0c1e29', whiteColor: '#ffffff' }).replace(
    '<svg ',
    '<svg role="img" aria-label="QR code to add the control panel to an authenticator app" width="200" height="200" style="display: block; max-width: 100%; height: auto" ',
  );
  return card(
    'Set up two-step sign-in',
    `${heading('Set up two-step sign-in')}
${paragraph(`Signing in as <strong>${escapeHtml(operator)}</strong>.`)}
${paragraph(
  'Operators can change every account on this service, so a password alone does not open the control panel: you also need a code from an authenticator app on your phone (1Password, Bitwarden, Google Authenticator, Authy or any app for six-digit sign-in codes). This takes a minute, once.',
)}
${alertBox(error)}
<ol style="margin: 0 0 1rem; padding-left: 1.25rem; line-height: 1.5">
<li style="margin-bottom: 0.75rem">Add an account in the app by scanning this code:
<div data-qr style="margin: 0.75rem 0; width: 200px; max-width: 100%">${qr}</div>
or, if you cannot scan it, type this key (spaces do not matter):
<p data-secret style="margin: 0.5rem 0 0; font-family: ${MONO}; font-size: 1.05rem; letter-spacing: 0.04em; word-spacing: 0.3em; overflow-wrap: anywhere; background: #f6f7fb; padding: 0.5rem 0.75rem; border-radius: 4px">${escapeHtml(groupsOfFour(secret))}</p></li>
<li>Enter the 6-digit code the app shows now.</li>
</ol>
<form method="post" action="${escapeHtml(action)}" style="margin: 0">
${codeField('enrol-code', 'enrol-help')}
<p id="enrol-help" style="margin: 0.4rem 0 1.25rem; font-size: 0.9rem; color: #4d5660; line-height: 1.5">The code changes every 30 seconds; any current one will do.</p>
<button type="submit" style="${BUTTON}">Turn on and continue</button>
</form>
<p style="margin: 1.5rem 0 0; font-size: 0.95rem"><a href="${escapeHtml(startAgain)}" style="${LINK}">Start again</a></p>`,
    { wide: true },
  );
}

/**
 * The recovery codes, once, right after enrolment; Continue finishes the sign-in. Without codes
 * (a reload: they were shown once) the page only says where new ones are made.
 */
export function recoveryCodesPage(action: string, codes: readonly string[]): string {
  const items = codes.map((code) => `<li>${escapeHtml(code)}</li>`).join('\n');
  const shown =
    codes.length > 0
      ? `${paragraph(
          'Save these recovery codes somewhere safe, such as your password manager. If you lose your phone, each code lets you sign in once instead of a code from the app. <strong>They are shown only now.</strong>',
        )}
<ul data-recovery-codes aria-label="Recovery codes" style="margin: 0 0 1.5rem; padding: 0.75rem 1rem; list-style: none; display: grid; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); gap: 0.4rem 1rem; font-family: ${MONO}; font-size: 1rem; background: #f6f7fb; border-radius: 4px">
${items}
</ul>`
      : paragraph(
          'Your recovery codes were shown once, on the page before. If you did not save them, make new ones in the security section of your account settings in the app.',
        );
  return card(
    'Save your recovery codes',
    `${heading(codes.length > 0 ? 'Save your recovery codes' : 'Two-step sign-in is on')}
${codes.length > 0 ? paragraph('Two-step sign-in is on.') : ''}
${shown}
<form method="post" action="${escapeHtml(action)}" style="margin: 0">
<button type="submit" autofocus style="${BUTTON}">Continue</button>
</form>`,
  );
}

/**
 * A page with one button, for a sign-out reached by the menu's link or typed in the address bar.
 */
export function signOutPage(logoutPath: string, rootPath: string, operator: string): string {
  return card(
    'Sign out',
    `<h1 style="margin: 0 0 0.75rem; font-size: 1.35rem">Sign out?</h1>
<p style="margin: 0 0 1.5rem; line-height: 1.5">You are signed in as <strong>${escapeHtml(operator)}</strong>. Signing out ends your control panel session in this browser.</p>
<form method="post" action="${logoutPath}" style="display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin: 0">
<button type="submit" autofocus style="${BUTTON}">Sign out</button>
<a href="${rootPath}" style="${LINK}">Back to the control panel</a>
</form>`,
  );
}
