/**
 * The e-mails the product sends, each as plain text and HTML. Links are built by the caller from
 * PUBLIC_URL (never from the request's Host header).
 */
export interface Email {
  /** Which template (`passwordReset`, …): what an operator sees of a queued e-mail, with its address. */
  readonly kind: EmailKind;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function compose(
  kind: EmailKind,
  subject: string,
  greeting: string,
  paragraphs: string[],
  action?: { label: string; url: string },
): Email {
  const text = [
    greeting,
    '',
    ...paragraphs.flatMap((p) => [p, '']),
    ...(action ? [`${action.label}: ${action.url}`, ''] : []),
    '— nuell',
  ].join('\n');
  const html = `<!doctype html>
<html><body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #111">
<p>${escapeHtml(greeting)}</p>
${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
${action ? `<p><a href="${escapeHtml(action.url)}" style="display: inline-block; padding: 8px 16px; background: #111; color: #fff; text-decoration: none; border-radius: 4px">${escapeHtml(action.label)}</a></p>\n<p style="font-size: 13px; color: #555">Or paste this address into your browser: ${escapeHtml(action.url)}</p>` : ''}
<p>— nuell</p>
</body></html>
`;
  return { kind, subject, text, html };
}

const hello = (name: string) => `Hello ${name},`;

export const EMAIL_KINDS = [
  'verifyEmail',
  'passwordReset',
  'passwordChanged',
  'accountDeleted',
  'emailChangeConfirm',
  'emailChangeNotice',
  'emailCorrectedNotice',
  'emailCorrectedConfirm',
  'postHidden',
  'postRestored',
  'postEdited',
  'postDeleted',
  'factorAdded',
  'factorRemoved',
  'factorsReset',
  'recoveryCodesReplaced',
  'newDeviceSignIn',
  'tokenCreated',
  'appConnected',
] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

export const templates = {
  verifyEmail: (name: string, url: string) =>
    compose(
      'verifyEmail',
      'Confirm your e-mail address',
      hello(name),
      ['Please confirm that this is your e-mail address. The link works for 48 hours.'],
      { label: 'Confirm my address', url },
    ),

  passwordReset: (name: string, url: string) =>
    compose(
      'passwordReset',
      'Reset your password',
      hello(name),
      [
        'Someone (hopefully you) asked to reset the password of your account. The link works for 30 minutes, once.',
        'If it was not you, ignore this e-mail: your password stays as it is.',
      ],
      { label: 'Choose a new password', url },
    ),

  passwordChanged: (name: string) =>
    compose('passwordChanged', 'Your password was changed', hello(name), [
      'The password of your account was just changed, and your other sessions were signed out.',
      'If you did not do this, reset your password at once and contact us.',
    ]),

  accountDeleted: (name: string) =>
    compose('accountDeleted', 'Your account was deleted', hello(name), [
      'Your account and all of its posts were deleted, and every session was signed out.',
      'If you did not do this, someone knew your password: contact us at once.',
    ]),

  emailChangeConfirm: (name: string, url: string) =>
    compose(
      'emailChangeConfirm',
      'Confirm your new e-mail address',
      hello(name),
      [
        'You asked to use this address for your account. It takes effect once you confirm; the link works for 48 hours.',
      ],
      { label: 'Confirm the new address', url },
    ),

  emailChangeNotice: (name: string, newEmail: string) =>
    compose('emailChangeNotice', 'Your e-mail address is about to change', hello(name), [
      `Someone asked to move your account to ${newEmail}. Nothing changes until that address confirms.`,
      'If this was not you, change your password now: the request needed it.',
    ]),

  /** To the old address when an operator corrects it (OperatorAccountService.correctEmail). */
  emailCorrectedNotice: (name: string, newEmail: string) =>
    compose('emailCorrectedNotice', 'Your e-mail address was changed', hello(name), [
      `An operator changed the e-mail address of your account to ${newEmail}. From now on you sign in with that address, and e-mail about your account goes there, not here.`,
      'If you did not ask for this, reply to this e-mail or contact us at once.',
    ]),

  /** To the new address when an operator corrects it: the owner confirms the mailbox is theirs. */
  emailCorrectedConfirm: (name: string, url: string) =>
    compose(
      'emailCorrectedConfirm',
      'Confirm your new e-mail address',
      hello(name),
      [
        'An operator set this address as the e-mail address of your account: from now on you sign in with it.',
        'Please confirm that the address is yours: until you do, your account is unconfirmed, as it was just after sign-up. The link works for 48 hours.',
      ],
      { label: 'Confirm my address', url },
    ),

  postHidden: (name: string, post: string, reason: string, url: string) =>
    compose(
      'postHidden',
      'An operator hid your post',
      hello(name),
      [
        `An operator hid your post “${post}”. Readers no longer see it: it is out of the feed, your page and the search engines' sitemap.`,
        `The reason they gave: ${reason}`,
        'The post is not deleted. You can still read and edit it; an operator can restore it. If you think this is a mistake, contact us.',
      ],
      { label: 'Open the post', url },
    ),

  postEdited: (name: string, post: string, url: string) =>
    compose(
      'postEdited',
      'An operator edited your post',
      hello(name),
      [
        `An operator changed the text of your post “${post}”; readers now see their version.`,
        'Your own text is kept in the service’s records. If you think this is a mistake, contact us.',
      ],
      { label: 'Open the post', url },
    ),

  postDeleted: (name: string, post: string) =>
    compose('postDeleted', 'An operator deleted your post', hello(name), [
      `An operator deleted your post “${post}”: neither readers nor you can open it any more.`,
      'Its text is kept in the service’s records. If you think this is a mistake, contact us.',
    ]),

  postRestored: (name: string, post: string, reason: string | null, url: string) =>
    compose(
      'postRestored',
      'Your post is visible again',
      hello(name),
      [
        `An operator restored your post “${post}”: readers see it again wherever they saw it before.`,
        ...(reason ? [`What they said: ${reason}`] : []),
      ],
      { label: 'Open the post', url },
    ),

  /** A second factor was added: `factor` says which, as a person would ("an authenticator app", "the passkey “Laptop”"). */
  factorAdded: (name: string, factor: string, url: string) =>
    compose(
      'factorAdded',
      'A sign-in method was added to your account',
      hello(name),
      [
        `You added ${factor} to your account: from now on it can prove that it is you when you sign in.`,
        'If you did not do this, someone is signed in to your account: sign out every session, change your password and contact us.',
      ],
      { label: 'Review your sign-in methods', url },
    ),

  factorRemoved: (name: string, factor: string, url: string) =>
    compose(
      'factorRemoved',
      'A sign-in method was removed from your account',
      hello(name),
      [
        `${factor.charAt(0).toUpperCase()}${factor.slice(1)} was removed from your account and no longer signs you in.`,
        'If you did not do this, someone is signed in to your account: sign out every session, change your password and contact us.',
      ],
      { label: 'Review your sign-in methods', url },
    ),

  recoveryCodesReplaced: (name: string, url: string) =>
    compose(
      'recoveryCodesReplaced',
      'New recovery codes were made for your account',
      hello(name),
      [
        'Ten new recovery codes were made for your two-step sign-in; the old ones no longer work.',
        'If you did not do this, someone is signed in to your account: sign out every session, change your password and contact us.',
      ],
      { label: 'Review your sign-in methods', url },
    ),

  /** An operator removed every second factor (the owner lost them): the owner sets them up again. */
  factorsReset: (name: string, url: string) =>
    compose(
      'factorsReset',
      'Your two-step sign-in was reset',
      hello(name),
      [
        'An operator removed the authenticator app, the recovery codes and the passkeys of your account, as asked. You now sign in with your password alone.',
        'Set up two-step sign-in again in your settings. If you did not ask for this, change your password and contact us at once.',
      ],
      { label: 'Open your settings', url },
    ),

  /** A sign-in from a browser that never proved this account's password before (no device cookie). */
  newDeviceSignIn: (name: string, device: string, ip: string | null, at: Date, url: string) =>
    compose(
      'newDeviceSignIn',
      'New sign-in to your account',
      hello(name),
      [
        `Your account was just signed in from a device it has not been used on before: ${device}${ip ? `, from the address ${ip}` : ''}, on ${at.toUTCString().replace(' GMT', ' UTC')}.`,
        'If this was you, there is nothing to do. If not, end that session on your sessions page and change your password.',
      ],
      { label: 'Review your sessions', url },
    ),

  /**
   * A personal access token was made: `abilities` says what it may do as a person would ("read
   * your profile; create, edit and delete your posts"), `expiresAt` null: never.
   */
  tokenCreated: (name: string, token: string, abilities: string, expiresAt: Date | null, url: string) =>
    compose(
      'tokenCreated',
      'A personal access token was created for your account',
      hello(name),
      [
        `You created the personal access token “${token}”. Whoever holds it can ${abilities}, as you, ${expiresAt ? `until ${expiresAt.toUTCString().replace(' GMT', ' UTC')}` : 'until it is revoked: it never expires'}.`,
        'If you did not do this, someone is signed in to your account: revoke the token, sign out every session, change your password and contact us.',
      ],
      { label: 'Review your tokens', url },
    ),

  /** The user allowed an app to act for them (OAuth consent): `abilities` in words, as for tokens. */
  appConnected: (name: string, app: string, abilities: string, url: string) =>
    compose(
      'appConnected',
      `${app} can now use your nuell account`,
      hello(name),
      [
        `You allowed the app “${app}” to ${abilities}, as you, until you disconnect it.`,
        'If you did not do this, disconnect the app, sign out every session and change your password.',
      ],
      { label: 'Review your connected apps', url },
    ),
};
