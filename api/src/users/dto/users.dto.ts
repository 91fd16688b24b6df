import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, Matches, MaxLength } from 'class-validator';
import { trimmedName } from '../../openapi/patterns.js';

export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** No control characters in names that others will read. */
const DISPLAY_NAME = /^[^\p{Cc}\p{Cf}]+$/u;

/** The rules of a display name, wherever one is set: 1–80 characters, trimmed, no control characters. */
export const DisplayNameField = (example: string) =>
  applyDecorators(
    ApiProperty({
      example,
      description: '1–80 characters once trimmed, no control characters',
      pattern: trimmedName(80),
    }),
    Transform(trim),
    Length(1, 80),
    Matches(DISPLAY_NAME, { message: 'displayName must not contain control characters' }),
    IsString(),
  );

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

export class UpdateMeDto {
  @DisplayNameField('Ada King')
  displayName!: string;
}
