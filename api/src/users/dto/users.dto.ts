import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Length, Matches, MaxLength, ValidateBy, ValidateIf } from 'class-validator';
import { AtLeastOneField } from '../../http/validation.js';
import { trimmedLink, trimmedName, trimmedText } from '../../openapi/patterns.js';
import { BIO_MAX, LINK_MAX } from '../user.entity.js';

export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** No control characters in names that others will read. */
const NAME_CHARS = /^[^\p{Cc}\p{Cf}]+$/u;

/**
 * The rules of a one-line name others read (a display name, a post's title): 1 to `max`
 * characters once trimmed, no control characters.
 */
export const NameField = (field: string, max: number, example: string) =>
  applyDecorators(
    ApiProperty({
      example,
      description: `1–${max} characters once trimmed, no control characters`,
      pattern: trimmedName(max),
    }),
    Transform(trim),
    Length(1, max),
    Matches(NAME_CHARS, { message: `${field} must not contain control characters` }),
    IsString(),
  );

/** The rules of a display name, wherever one is set: 1–80 characters, trimmed, no control characters. */
export const DisplayNameField = (example: string) => NameField('displayName', 80, example);

/**
 * The rules of an e-mail address, wherever one is given: trimmed, at most 254 characters (RFC
 * 5321's path limit), an address. Registered in the order a stack of these decorators would be,
 * so the first failure reported stays the same.
 */
export const EmailAddressField = (example: string) =>
  applyDecorators(
    IsEmail({}, { message: '$property must be an e-mail address' }),
    MaxLength(254),
    Transform(trim),
    ApiProperty({ format: 'email', example, maxLength: 254 }),
  );

/** A field a body may leave out, but not send as null (unlike IsOptional, which lets null through). */
export const Omittable = () => ValidateIf((_body: object, value: unknown) => value !== undefined);

/** Trimmed; blank text is no text (null), which removes what was there. */
const trimToNull = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || null : value);

/** No control or format characters but line feeds. */
const TEXT_CHARS = /^(?:[^\p{Cc}\p{Cf}]|\n)*$/u;

const BioField = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: String,
      nullable: true,
      example: 'Writes about engines, numbers and poetry.',
      description: `Plain text, line breaks kept, at most ${BIO_MAX} characters once trimmed, no other control characters; null or blank removes it`,
      pattern: trimmedText(BIO_MAX),
    }),
    Transform(trimToNull),
    IsOptional(),
    MaxLength(BIO_MAX, { message: `bio must be at most ${BIO_MAX} characters` }),
    Matches(TEXT_CHARS, { message: 'bio must not contain control characters other than line breaks' }),
    IsString(),
  );

const LINK = new RegExp(trimmedLink(LINK_MAX), 'u');

/** An http(s) address that a browser can follow: the pattern's shape, and one that URL reads. */
const IsLink = () =>
  ValidateBy({
    name: 'isLink',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && LINK.test(value) && URL.canParse(value),
      defaultMessage: () =>
        `link must be an address starting with http:// or https://, at most ${LINK_MAX} characters, such as https://example.com/ada`,
    },
  });

const LinkField = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: String,
      nullable: true,
      example: 'https://example.com/ada',
      description: `An absolute http:// or https:// URL, at most ${LINK_MAX} characters once trimmed; null or blank removes it`,
      pattern: trimmedLink(LINK_MAX),
    }),
    Transform(trimToNull),
    IsOptional(),
    IsLink(),
  );

/** A change of the caller's profile: any of its fields, at least one. */
@AtLeastOneField()
export class UpdateMeDto {
  @ApiPropertyOptional() // applied after (under) the field's rules, which call it required
  @DisplayNameField('Ada King')
  @Omittable()
  displayName?: string;

  @BioField()
  bio?: string | null;

  @LinkField()
  link?: string | null;
}
