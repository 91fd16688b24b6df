import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { IsObject, IsString, Matches, ValidateBy } from 'class-validator';
import { UUID_PATTERN } from '../../http/uuid-param.js';
import { NameField, Omittable } from '../../users/dto/users.dto.js';
import { type Passkey, PASSKEY_NAME_MAX } from '../passkey.entity.js';

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
/** The longest credential id the table keeps; WebAuthn allows 1023 bytes, far fewer in practice. */
const CREDENTIAL_ID_MAX = 1024;
const TRANSPORTS = ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'] as const;

type Kind = 'registration' | 'authentication';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What is wrong with a credential the browser sent (the JSON of @simplewebauthn/browser's
 * startRegistration() or startAuthentication()), in words; null when it has every field the check
 * needs, of the right type. Only the shape: the signature and the rest are checked afterwards.
 */
export function credentialProblem(kind: Kind, value: unknown): string | null {
  if (!isRecord(value)) return 'credential must be the object the browser answered';
  const base64url = (name: string, at: Record<string, unknown>, where: string): string | null =>
    typeof at[name] === 'string' && BASE64URL.test(at[name])
      ? null
      : `credential.${where}${name} must be a base64url string`;
  const response = value.response;
  const problem =
    base64url('id', value, '') ??
    ((value.id as string).length > CREDENTIAL_ID_MAX
      ? `credential.id must be at most ${CREDENTIAL_ID_MAX} characters`
      : null) ??
    base64url('rawId', value, '') ??
    (value.type === 'public-key' ? null : 'credential.type must be "public-key"') ??
    (value.clientExtensionResults === undefined || isRecord(value.clientExtensionResults)
      ? null
      : 'credential.clientExtensionResults must be an object') ??
    (value.authenticatorAttachment === undefined ||
    value.authenticatorAttachment === null ||
    typeof value.authenticatorAttachment === 'string'
      ? null
      : 'credential.authenticatorAttachment must be a string') ??
    (isRecord(response) ? null : 'credential.response must be an object');
  if (problem !== null || !isRecord(response)) return problem;
  if (kind === 'registration') {
    const transports = response.transports;
    return (
      base64url('clientDataJSON', response, 'response.') ??
      base64url('attestationObject', response, 'response.') ??
      (transports === undefined || (Array.isArray(transports) && transports.every((t) => typeof t === 'string'))
        ? null
        : 'credential.response.transports must be a list of strings')
    );
  }
  return (
    base64url('clientDataJSON', response, 'response.') ??
    base64url('authenticatorData', response, 'response.') ??
    base64url('signature', response, 'response.') ??
    (response.userHandle === undefined || response.userHandle === null || typeof response.userHandle === 'string'
      ? null
      : 'credential.response.userHandle must be a string')
  );
}

/** The transports a browser reported that WebAuthn knows, for the next ceremony's hints. */
export function knownTransports(reported: readonly string[] | undefined): string[] {
  return [...new Set((reported ?? []).filter((t) => (TRANSPORTS as readonly string[]).includes(t)))];
}

/** A credential of this kind, as the browser package produces it: a 400 names the first field at fault. */
const WebAuthnCredential = (kind: Kind) =>
  ValidateBy({
    name: 'isWebAuthnCredential',
    validator: {
      validate: (value: unknown) => credentialProblem(kind, value) === null,
      defaultMessage: (args) => credentialProblem(kind, args?.value) ?? 'credential is invalid',
    },
  });

const ChallengeIdField = () => (target: object, property: string | symbol) => {
  ApiProperty({
    format: 'uuid',
    example: '019ad0f2-5c1e-7b3a-8d4f-2e6a9c0b1d7e',
    description: 'The `challengeId` of the options this answers',
  })(target, property);
  Matches(new RegExp(UUID_PATTERN), { message: 'challengeId must be a UUID' })(target, property);
  IsString()(target, property);
};

// The documentation of the credential objects. Browsers may send more than these fields (newer
// WebAuthn levels add some), and more is accepted: only these are read.

/** A base64url string, as the browser package encodes every byte string. */
const Base64Url = (example: string, description?: string) =>
  ApiProperty({ pattern: BASE64URL.source, example, ...(description ? { description } : {}) });

class AttestationResponseDoc {
  @Base64Url('eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIiwi')
  clientDataJSON!: string;

  @Base64Url('o2NmbXRkbm9uZWdhdHRTdG10oGhhdXRoRGF0YV')
  attestationObject!: string;

  @ApiPropertyOptional({ type: [String], example: ['internal', 'hybrid'] })
  transports?: string[];
}

class AssertionResponseDoc {
  @Base64Url('eyJ0eXBlIjoid2ViYXV0aG4uZ2V0Iiwi')
  clientDataJSON!: string;

  @Base64Url('SZYN5YgOjGh0NBcPZHZgW4_krrmihjLHmVzzuoMdl2MFAAAAAQ')
  authenticatorData!: string;

  @Base64Url('MEUCIQDx')
  signature!: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'AZrQ8lweezqNTy5qnAsdfg' })
  userHandle?: string | null;
}

class CredentialDoc {
  @ApiProperty({
    pattern: BASE64URL.source,
    maxLength: CREDENTIAL_ID_MAX,
    description: 'The credential id, base64url',
    example: 'mHq8rTbKc2VhZPh5dJ0Wkg',
  })
  id!: string;

  @Base64Url('mHq8rTbKc2VhZPh5dJ0Wkg', 'The same id')
  rawId!: string;

  @ApiProperty({ enum: ['public-key'] })
  type!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: "What the authenticator's extensions answered, if any; not read",
    example: {},
  })
  clientExtensionResults?: Record<string, unknown>;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'platform' })
  authenticatorAttachment?: string | null;
}

export class RegistrationCredentialDoc extends CredentialDoc {
  @ApiProperty({ type: AttestationResponseDoc })
  response!: AttestationResponseDoc;
}

export class AuthenticationCredentialDoc extends CredentialDoc {
  @ApiProperty({ type: AssertionResponseDoc })
  response!: AssertionResponseDoc;
}

/** POST /auth/passkey and POST /users/me/step-up/passkey: the browser's answer to the options. */
export class PasskeyAssertionDto {
  @ChallengeIdField()
  challengeId!: string;

  @ApiProperty({
    type: AuthenticationCredentialDoc,
    description: "What @simplewebauthn/browser's startAuthentication() answered (AuthenticationResponseJSON)",
  })
  @WebAuthnCredential('authentication')
  @IsObject({ message: 'credential must be the object the browser answered' })
  credential!: AuthenticationResponseJSON;
}

/** POST /users/me/passkeys: the new passkey, and what to call it. */
export class AddPasskeyDto {
  @ChallengeIdField()
  challengeId!: string;

  @ApiProperty({
    type: RegistrationCredentialDoc,
    description: "What @simplewebauthn/browser's startRegistration() answered (RegistrationResponseJSON)",
  })
  @WebAuthnCredential('registration')
  @IsObject({ message: 'credential must be the object the browser answered' })
  credential!: RegistrationResponseJSON;

  @ApiPropertyOptional({
    description: `What to call it in your list (1–${PASSKEY_NAME_MAX} characters). Left out: the browser and system, e.g. "Chrome on Linux"`,
  }) // applied after (under) the field's rules, which call it required
  @NameField('name', PASSKEY_NAME_MAX, 'Work laptop')
  @Omittable()
  name?: string;
}

export class RenamePasskeyDto {
  @NameField('name', PASSKEY_NAME_MAX, 'Work laptop')
  name!: string;
}

export class PasskeyRequestOptionsDto {
  @ApiProperty({
    format: 'uuid',
    description: 'Send it back with the answer',
    example: '019ad0f2-5c1e-7b3a-8d4f-2e6a9c0b1d7e',
  })
  challengeId!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      "PublicKeyCredentialRequestOptionsJSON: give it to @simplewebauthn/browser's startAuthentication({ optionsJSON }). " +
      'Good for one answer within 5 minutes.',
    example: {
      challenge: 'q2Zb0c3XjYt1m9sV4kLw8eR5uI7oP6aS1dF2gH3jK4l',
      timeout: 300000,
      rpId: 'nuell.example',
      userVerification: 'required',
    },
  })
  options!: PublicKeyCredentialRequestOptionsJSON;
}

export class PasskeyCreationOptionsDto {
  @ApiProperty({
    format: 'uuid',
    description: 'Send it back with the answer',
    example: '019ad0f2-5c1e-7b3a-8d4f-2e6a9c0b1d7e',
  })
  challengeId!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      "PublicKeyCredentialCreationOptionsJSON: give it to @simplewebauthn/browser's startRegistration({ optionsJSON }). " +
      'Good for one answer within 5 minutes.',
    example: {
      challenge: 'q2Zb0c3XjYt1m9sV4kLw8eR5uI7oP6aS1dF2gH3jK4l',
      rp: { name: 'nuell', id: 'nuell.example' },
      user: { id: 'AZrQ8lweezqNTy5qnAsdfg', name: 'ada@lovelace.example', displayName: 'Ada' },
      pubKeyCredParams: [{ alg: -7, type: 'public-key' }],
      timeout: 300000,
      attestation: 'none',
      excludeCredentials: [],
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    },
  })
  options!: PublicKeyCredentialCreationOptionsJSON;
}

export class PasskeyDto {
  @ApiProperty({ format: 'uuid', example: '019ad0f2-5c1e-7b3a-8d4f-2e6a9c0b1d7e' })
  id!: string;

  @ApiProperty({ example: 'Chrome on Linux' })
  name!: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-01T10:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When it last signed in or confirmed it is you; null: never',
    example: '2026-12-02T08:30:00.000Z',
  })
  lastUsedAt!: string | null;

  @ApiProperty({ description: 'Whether it is backed up (synced to other devices by its provider)', example: true })
  backedUp!: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['singleDevice', 'multiDevice'],
    description: 'multiDevice: it can be synced; singleDevice: it never leaves its authenticator',
    example: 'multiDevice',
  })
  deviceType!: string | null;
}

export function toPasskeyDto(passkey: Passkey): PasskeyDto {
  return {
    id: passkey.id,
    name: passkey.name,
    createdAt: passkey.createdAt.toISOString(),
    lastUsedAt: passkey.lastUsedAt?.toISOString() ?? null,
    backedUp: passkey.backedUp,
    deviceType: passkey.deviceType,
  };
}

export class PasskeyStepUpResultDto {
  @ApiProperty({
    format: 'date-time',
    description: 'Until when sensitive changes go through without confirming again',
    example: '2026-12-02T08:40:00.000Z',
  })
  until!: string;
}
