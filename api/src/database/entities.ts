import { AccountToken } from '../auth/account-token.entity.js';
import { Session } from '../auth/session.entity.js';
import { AuditLog } from '../audit/audit-log.entity.js';
import { MfaTicket } from '../mfa/mfa-ticket.entity.js';
import { RecoveryCode } from '../mfa/recovery-code.entity.js';
import { TotpFactor } from '../mfa/totp-factor.entity.js';
import { Passkey } from '../passkeys/passkey.entity.js';
import { WebAuthnChallenge } from '../passkeys/webauthn-challenge.entity.js';
import { Post } from '../posts/post.entity.js';
import { PersonalAccessToken } from '../tokens/personal-access-token.entity.js';
import { User } from '../users/user.entity.js';

/** Every entity of the data model; admin imports this list too. */
export const entities = [
  User,
  Post,
  Session,
  AccountToken,
  AuditLog,
  TotpFactor,
  RecoveryCode,
  MfaTicket,
  Passkey,
  WebAuthnChallenge,
  PersonalAccessToken,
];
export {
  AccountToken,
  AuditLog,
  MfaTicket,
  Passkey,
  PersonalAccessToken,
  Post,
  RecoveryCode,
  Session,
  TotpFactor,
  User,
  WebAuthnChallenge,
};
