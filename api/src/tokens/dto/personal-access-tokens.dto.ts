import { ApiProperty } from '@nestjs/swagger';
import { ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsInt, Max, Min, ValidateIf } from 'class-validator';
import { API_SCOPES, type ApiScope } from '../../policy/scopes.js';
import { NameField } from '../../users/dto/users.dto.js';
import { type PersonalAccessToken, TOKEN_NAME_MAX } from '../personal-access-token.entity.js';
import { hintOf } from '../token-format.js';

/** The longest life a token may be given: a year, leap day included. */
export const TOKEN_DAYS_MAX = 366;

const SCOPES_IN_WORDS = API_SCOPES.join(', ');

/** POST /users/me/tokens. */
export class CreatePersonalAccessTokenDto {
  @NameField('name', TOKEN_NAME_MAX, 'Publish from my laptop')
  name!: string;

  @ApiProperty({
    type: [String],
    enum: API_SCOPES,
    minItems: 1,
    uniqueItems: true,
    example: ['posts:write'],
    description:
      'What the token may do: at least one of the API scopes. A token can never manage the account ' +
      '(password, e-mail, second factors, sessions, tokens, apps): there is no scope for that.',
  })
  @IsIn(API_SCOPES, { each: true, message: `each of scopes must be one of ${SCOPES_IN_WORDS}` })
  @ArrayUnique({ message: 'scopes must not name a scope twice' })
  @ArrayNotEmpty({ message: 'scopes must name at least one scope' })
  @IsArray({ message: `scopes must be a list of scopes (${SCOPES_IN_WORDS})` })
  scopes!: ApiScope[];

  @ApiProperty({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: TOKEN_DAYS_MAX,
    example: 30,
    description: `How many days the token works, 1–${TOKEN_DAYS_MAX}; null: it never expires (until you revoke it)`,
  })
  @Max(TOKEN_DAYS_MAX, { message: `expiresInDays must be at most ${TOKEN_DAYS_MAX}` })
  @Min(1, { message: 'expiresInDays must be at least 1' })
  @IsInt({ message: `expiresInDays must be a whole number of days (1–${TOKEN_DAYS_MAX}), or null for no expiry` })
  @ValidateIf((_body: object, value: unknown) => value !== null)
  expiresInDays!: number | null;
}

/** A token as listed: never the token itself, nor its hash. */
export class PersonalAccessTokenDto {
  @ApiProperty({ format: 'uuid', example: '019ad0f2-5c1e-7b3a-8d4f-2e6a9c0b1d7e' })
  id!: string;

  @ApiProperty({ example: 'Publish from my laptop' })
  name!: string;

  @ApiProperty({ type: [String], enum: API_SCOPES, example: ['posts:write'] })
  scopes!: ApiScope[];

  @ApiProperty({
    description: 'The start and the last four characters of the token, to tell it apart from the others',
    example: 'nuell_pat_…hzYl',
  })
  hint!: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-01T10:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When it last authenticated a request, to within a minute; null: never',
    example: '2026-12-02T08:30:00.000Z',
  })
  lastUsedAt!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When it stops working (it may be in the past: expired tokens stay listed); null: never',
    example: '2026-12-31T10:00:00.000Z',
  })
  expiresAt!: string | null;
}

/** The answer to creating a token: the only time the token is ever shown. */
export class CreatedPersonalAccessTokenDto extends PersonalAccessTokenDto {
  @ApiProperty({
    description:
      'The token. Shown this once: the API keeps only a hash of it. Send it as `Authorization: Bearer <token>`.',
    pattern: '^nuell_pat_[0-9A-Za-z]{36}$',
    example: 'nuell_pat_jLFIEr0Eao0Lm2cUt7W36Yh6s8YQx60IhzYl',
  })
  token!: string;
}

export function toPersonalAccessTokenDto(token: PersonalAccessToken): PersonalAccessTokenDto {
  return {
    id: token.id,
    name: token.name,
    scopes: token.scopes,
    hint: hintOf(token.last4),
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    expiresAt: token.expiresAt?.toISOString() ?? null,
  };
}
