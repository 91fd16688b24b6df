import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length, Matches } from 'class-validator';
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

export class UpdateMeDto {
  @DisplayNameField('Ada King')
  displayName!: string;
}
