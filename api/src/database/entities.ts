import { AccountToken } from '../auth/account-token.entity.js';
import { Session } from '../auth/session.entity.js';
import { AuditLog } from '../audit/audit-log.entity.js';
import { MfaTicket } from '../mfa/mfa-ticket.entity.js';
import { OAuthClient } from '../oauth/oauth-client.entity.js';
import { OAuthCode } from '../oauth/oauth-code.entity.js';
import { OAuthGrant } from '../oauth/oauth-grant.entity.js';
import { SigningKey } from '../oauth/signing-key.entity.js';
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
  OAuthClient,
  OAuthCode,
  OAuthGrant,
  SigningKey,
];
export {
  AccountToken,
  AuditLog,
  MfaTicket,
  OAuthClient,
  OAuthCode,
  OAuthGrant,
  Passkey,
  PersonalAccessToken,
  Post,
  RecoveryCode,
  Session,
  TotpFactor,
  SigningKey,
  User,
  WebAuthnChallenge,
};
