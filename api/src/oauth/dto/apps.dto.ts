import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsIn, ValidateBy } from 'class-validator';
import { AtLeastOneField } from '../../http/validation.js';
import { NameField, Omittable } from '../../users/dto/users.dto.js';
import { APP_SCOPES, type AppScope } from '../app-scopes.js';
import { CLIENT_NAME_MAX, CLIENT_TYPES, type ClientType, REDIRECT_URIS_MAX } from '../oauth-client.entity.js';
import { redirectUriProblem } from '../redirect-uris.js';

const SCOPES_IN_WORDS = APP_SCOPES.join(', ');

/** Every entry a redirect URI an app may register (redirect-uris.ts says which). */
const RedirectUris = () =>
  ValidateBy({
    name: 'redirectUris',
    validator: {
      validate: (value: unknown) =>
        Array.isArray(value) && value.every((uri) => typeof uri === 'string' && redirectUriProblem(uri) === null),
      defaultMessage: (args) => {
        const list = Array.isArray(args?.value) ? (args.value as unknown[]) : [];
        const bad = list.find((uri) => typeof uri !== 'string' || redirectUriProblem(uri) !== null);
        return typeof bad === 'string' ? (redirectUriProblem(bad) ?? '') : 'each redirect URI must be a string';
      },
    },
  });

/**
 * The rules of an app's redirect URIs and of its scopes, shared by registering and changing an app.
 * Listed in the order stacked decorators would run (the last written runs first).
 */
const RedirectUriRules = () =>
  applyDecorators(
    IsArray({ message: 'redirectUris must be a list of URLs' }),
    ArrayNotEmpty({ message: 'redirectUris must have at least one URI' }),
    ArrayMaxSize(REDIRECT_URIS_MAX, { message: `redirectUris must have at most ${REDIRECT_URIS_MAX} URIs` }),
    ArrayUnique({ message: 'redirectUris must not name a URI twice' }),
    RedirectUris(),
  );

const AppScopeRules = () =>
  applyDecorators(
    IsArray({ message: `scopes must be a list of scopes (${SCOPES_IN_WORDS})` }),
    ArrayNotEmpty({ message: 'scopes must name at least one scope' }),
    ArrayUnique({ message: 'scopes must not name a scope twice' }),
    IsIn(APP_SCOPES, { each: true, message: `each of scopes must be one of ${SCOPES_IN_WORDS}` }),
  );

const REDIRECT_URIS_DOC: ApiPropertyOptions = {
  type: [String],
  minItems: 1,
  maxItems: REDIRECT_URIS_MAX,
  uniqueItems: true,
  example: ['https://app.example.com/callback'],
  description:
    `1–${REDIRECT_URIS_MAX} URLs the user may be sent back to, matched exactly: https, or http only for localhost ` +
    'and 127.0.0.1 (native apps, development); no fragment',
};

const SCOPES_DOC: ApiPropertyOptions = {
  type: [String],
  enum: APP_SCOPES,
  minItems: 1,
  uniqueItems: true,
  example: ['openid', 'profile', 'posts:write'],
  description: 'What the app may ask users for. Never `account`: no app can manage an account.',
};

/** POST /users/me/apps. */
export class RegisterAppDto {
  @NameField('name', CLIENT_NAME_MAX, 'Cross-poster')
  name!: string;

  @ApiProperty({
    enum: CLIENT_TYPES,
    example: 'confidential',
    description:
      'confidential: a server that can keep a secret (it gets one, shown once); public: a browser or native app ' +
      '(no secret; PKCE alone protects its codes)',
  })
  @IsIn(CLIENT_TYPES, { message: 'type must be public or confidential' })
  type!: ClientType;

  @ApiProperty(REDIRECT_URIS_DOC)
  @RedirectUriRules()
  redirectUris!: string[];

  @ApiProperty(SCOPES_DOC)
  @AppScopeRules()
  scopes!: AppScope[];
}

/** PATCH /users/me/apps/{id}: what is sent changes; the type cannot (register another app). */
@AtLeastOneField()
export class UpdateAppDto {
  @ApiPropertyOptional() // applied after (under) the field's rules, which call it required
  @NameField('name', CLIENT_NAME_MAX, 'Cross-poster')
  @Omittable()
  name?: string;

  @ApiPropertyOptional(REDIRECT_URIS_DOC)
  @RedirectUriRules()
  @Omittable()
  redirectUris?: string[];

  @ApiPropertyOptional(SCOPES_DOC)
  @AppScopeRules()
  @Omittable()
  scopes?: AppScope[];
}

/** A registered app as its owner sees it: never the secret nor its hash. */
export class AppDto {
  @ApiProperty({ format: 'uuid', example: '019ad0f2-5c1e-7b3a-8d4f-2e6a9c0b1d7e' })
  id!: string;

  @ApiProperty({
    description: 'The public identifier the app sends as client_id',
    example: 'nuell_app_3x9Kq2LmP0aZbY7wV4tR1sUe',
  })
  clientId!: string;

  @ApiProperty({ example: 'Cross-poster' })
  name!: string;

  @ApiProperty({ enum: CLIENT_TYPES, example: 'confidential' })
  type!: ClientType;

  @ApiProperty({ type: [String], example: ['https://app.example.com/callback'] })
  redirectUris!: string[];

  @ApiProperty({ type: [String], enum: APP_SCOPES, example: ['openid', 'profile', 'posts:write'] })
  scopes!: AppScope[];

  @ApiProperty({ format: 'date-time', example: '2026-12-01T10:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When an operator suspended the app (it can sign nobody in); null: it works',
    example: null,
  })
  suspendedAt!: string | null;
}

/** An app just registered or given a new secret: the secret, this once. */
export class AppWithSecretDto extends AppDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The client secret, shown only now (only its hash is kept); null for a public app',
    example: 'nuell_secret_Q2xpZW50U2VjcmV0MTIzNDU2Nzg5MEFCQ0RFRkdISUpL',
  })
  clientSecret!: string | null;
}

/** An app the user allowed to act for them. */
export class ConnectedAppDto {
  @ApiProperty({ example: 'nuell_app_3x9Kq2LmP0aZbY7wV4tR1sUe' })
  clientId!: string;

  @ApiProperty({ example: 'Cross-poster' })
  name!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The display name of who registered it; null when the operators did',
    example: 'Ada King',
  })
  ownerName!: string | null;

  @ApiProperty({ type: [String], enum: APP_SCOPES, example: ['openid', 'posts:write'] })
  scopes!: AppScope[];

  @ApiProperty({ format: 'date-time', example: '2026-12-01T10:00:00.000Z' })
  connectedAt!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the app last refreshed its access; null: not since it was connected',
    example: '2026-12-02T08:30:00.000Z',
  })
  lastUsedAt!: string | null;
}
