/**
 * What the second-factor screens compute: the set-up key in groups a person can copy by hand,
 * codes as typed (spaces and dashes people add), the recovery codes as a file, and whether a
 * browser's passkey prompt was cancelled rather than failed.
 */

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP": four characters at a time, as authenticator apps show them. */
export function groupSecret(secret: string, size = 4): string {
  const plain = secret.replace(/[\s-]/g, '').toUpperCase();
  return (plain.match(new RegExp(`.{1,${size}}`, 'g')) ?? []).join(' ');
}

/** A 6-digit code as typed ("123 456", "123-456") → "123456". */
export function plainCode(code: string): string {
  return code.replace(/[\s-]/g, '');
}

/** A recovery code as typed: trimmed and lower case ("ABCDE 12345" → "abcde-12345"). */
export function plainRecoveryCode(code: string): string {
  const compact = code
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '');
  return compact.length === 10 ? `${compact.slice(0, 5)}-${compact.slice(5)}` : code.trim().toLowerCase();
}

/** The text of the downloaded recovery codes file: what they are, then one code a line. */
export function recoveryCodesText(codes: readonly string[], account: string, site: string): string {
  return [
    `Recovery codes for ${account} on ${site}`,
    '',
    'Each code signs you in once when you cannot use your authenticator app.',
    'Keep them somewhere safe, apart from your password.',
    '',
    ...codes,
    '',
  ].join('\n');
}

/**
 * The browser's passkey prompt was closed or timed out (NotAllowedError, or AbortError when the
 * page cancelled it): nothing went wrong, the person changed their mind.
 */
export function passkeyPromptCancelled(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const cause = (error as { cause?: unknown }).cause;
  const names = [error.name, cause instanceof Error ? cause.name : ''];
  return (
    names.includes('NotAllowedError') ||
    names.includes('AbortError') ||
    (error as { code?: unknown }).code === 'ERROR_CEREMONY_ABORTED'
  );
}

/** This browser can use passkeys at all (asked without loading the WebAuthn library). */
export function passkeysSupported(): boolean {
  return typeof window !== 'undefined' && typeof window.PublicKeyCredential === 'function';
}

/** Loads the browser side of WebAuthn only when a passkey is used: it stays out of the first page. */
export function loadWebAuthn() {
  return import('@simplewebauthn/browser');
}
