/**
 * What each audit action is called in the panel: operators read words, never the keys stored in
 * `audit_log.action`. Phrased to follow who did it ("alice@… Signed in", "operator@… Suspended
 * the account"). Every action of AUDIT_ACTIONS has one (admin/test/user-page.spec.ts checks);
 * an entry from an older version (`user_banned`) still reads as words.
 */
const LABELS: Readonly<Record<string, string>> = {
  login: 'Signed in',
  login_failed: 'Failed to sign in',
  registered: 'Signed up',
  refresh_token_reuse: 'Reused an old session token (possible theft: the session was ended)',
  password_changed: 'Changed the password',
  password_reset: 'Reset the password from an e-mailed link',
  email_change_requested: 'Asked to change the e-mail address',
  email_changed: 'Confirmed a new e-mail address',
  user_banned: 'Banned the account',
  user_unbanned: 'Unbanned the account',
  user_suspended: 'Suspended the account',
  user_unsuspended: 'Lifted the suspension',
  account_deleted: 'Deleted their own account',
  panel_login: 'Signed in to the control panel',
  panel_login_failed: 'Failed to sign in to the control panel',
  panel_logout: 'Signed out of the control panel',
  audit_exported: 'Exported the audit log',
  user_updated: 'Edited the account',
  user_deleted: 'Deleted the account',
  email_marked_verified: 'Marked the e-mail address verified',
  email_corrected: 'Corrected the e-mail address',
  password_reset_sent: 'Sent a password reset e-mail',
  sessions_revoked: 'Signed the account out everywhere',
  session_revoked: 'Ended a session',
  post_updated: 'Edited a post',
  post_deleted: 'Deleted a post',
  post_hidden: 'Hid a post',
  post_restored: 'Restored a post',
  posts_rerendered: 'Re-rendered posts',
  mail_retried: 'Retried an e-mail',
  mail_discarded: 'Discarded an e-mail',
  mfa_enabled: 'Turned on two-step sign-in',
  mfa_disabled: 'Turned off two-step sign-in',
  mfa_failed: 'Entered a wrong sign-in code',
  mfa_reset: 'Reset two-step sign-in',
  recovery_code_used: 'Signed in with a recovery code',
  recovery_codes_regenerated: 'Made new recovery codes',
  passkey_added: 'Added a passkey',
  passkey_renamed: 'Renamed a passkey',
  passkey_removed: 'Removed a passkey',
  passkey_login_failed: 'Failed to sign in with a passkey',
  step_up: 'Confirmed it was them (before a sensitive change)',
  step_up_failed: 'Failed to confirm it was them (before a sensitive change)',
  token_created: 'Created a personal access token',
  token_revoked: 'Revoked a personal access token',
  oauth_client_registered: 'Registered an app',
  oauth_client_updated: 'Edited an app',
  oauth_client_deleted: 'Deleted an app',
  oauth_client_secret_reset: 'Made a new secret for an app',
  oauth_client_suspended: 'Suspended an app',
  oauth_client_unsuspended: "Lifted an app's suspension",
  oauth_consent_granted: 'Allowed an app to use the account',
  oauth_app_disconnected: 'Disconnected an app from the account',
  oauth_code_reused: 'Reused a sign-in code of an app (possible theft: the tokens it gave were revoked)',
  signing_key_rotated: 'Rotated the key that signs ID tokens',
};

/** The words for an audit action (an AuditAction); an unknown key reads as a sentence made of its words. */
export function auditLabel(action: string): string {
  const label = LABELS[action];
  if (label) return label;
  const words = action.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Whether `action` has words of its own (not the fallback). */
export const hasAuditLabel = (action: string): boolean => LABELS[action] !== undefined;

/**
 * The words of each action as AdminJS translations (`resources.AuditLog.labels.action.<key>`):
 * its list, show page and filter look an enum's value up there, and would otherwise show the key
 * (or its start-cased words).
 */
export function auditActionTranslations(actions: readonly string[]): Record<string, string> {
  return Object.fromEntries(actions.map((action) => [action, auditLabel(action)]));
}
