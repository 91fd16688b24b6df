import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { DisplayNameField, EmailAddressField } from '../../users/dto/users.dto.js';
import { USER_ROLES, type UserRole } from '../../users/user.entity.js';
import { describeDevice } from '../device.js';
import type { LiveSessionRow } from '../sessions.repository.js';

export class ChangePasswordDto {
  @ApiPropertyOptional({
    example: 'Analytical-Engine-1843',
    description:
      'The current password. Leave it out after a recent proof of presence (POST /users/me/step-up within the last ten minutes).',
  })
  // Absent is allowed, null is not: it would reach the password check as no password at all.
  @ValidateIf((body: { currentPassword?: unknown }) => body.currentPassword !== undefined)
  @MaxLength(1024)
  @IsString()
  currentPassword?: string;

  @ApiProperty({ example: 'Difference-Engine-1822', description: 'Same rules as at sign-up' })
  @MaxLength(1024)
  @IsString()
  newPassword!: string;
}

export class ChangeEmailDto {
  @EmailAddressField('ada@lovelace.example')
  newEmail!: string;

  @ApiPropertyOptional({
    example: 'Analytical-Engine-1843',
    description:
      'The current password. Leave it out after a recent proof of presence (POST /users/me/step-up within the last ten minutes).',
  })
  @ValidateIf((body: { password?: unknown }) => body.password !== undefined)
  @MaxLength(1024)
  @IsString()
  password?: string;
}

export class SessionDto {
  @ApiProperty({
    format: 'uuid',
    description: 'Use it to end this session',
    example: '019a8f6e-3b1c-7d2e-9f40-5a6b7c8d9e0f',
  })
  id!: string;

  @ApiProperty({ example: 'Firefox on Linux', description: 'Derived from the user agent' })
  device!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0',
  })
  userAgent!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' })
  ip!: string | null;

  @ApiProperty({
    format: 'date-time',
    description: 'When the session was signed in',
    example: '2026-11-20T08:15:00.000Z',
  })
  createdAt!: string;

  @ApiProperty({
    format: 'date-time',
    description: 'When its refresh token was last used',
    example: '2026-11-23T09:30:00.000Z',
  })
  lastUsedAt!: string;

  @ApiProperty({ description: 'Whether this is the session making the request', example: true })
  current!: boolean;
}

/** A live session as its owner sees it in the list; `currentFamilyId` is the caller's own. */
export function toSessionDto(row: LiveSessionRow, currentFamilyId: string): SessionDto {
  return {
    id: row.family_id,
    device: describeDevice(row.user_agent),
    userAgent: row.user_agent,
    ip: row.ip,
    createdAt: row.started_at.toISOString(),
    lastUsedAt: row.last_used_at.toISOString(),
    current: row.family_id === currentFamilyId,
  };
}

/** DELETE /users/me: the account goes only with its current password, or after a recent proof of presence. */
export class DeleteAccountDto {
  @ApiPropertyOptional({
    example: 'Analytical-Engine-1843',
    description:
      'The current password, to confirm. Leave it out after a recent proof of presence (POST /users/me/step-up within the last ten minutes).',
  })
  // Absent is allowed, null is not: it would reach the password check as no password at all.
  @ValidateIf((body: { currentPassword?: unknown }) => body.currentPassword !== undefined)
  @MaxLength(1024)
  @IsString()
  currentPassword?: string;
}

/** What an operator may change on an account (OperatorAccountService.updateAccount): nothing else. */
export class AccountChanges {
  @IsOptional()
  @DisplayNameField('Ada King')
  displayName?: string;

  @IsOptional()
  @IsIn(USER_ROLES, { message: `role must be one of: ${USER_ROLES.join(', ')}` })
  role?: UserRole;
}

/** The address an operator corrects an account's to (OperatorAccountService.correctEmail): the sign-up rules. */
export class EmailCorrection {
  @EmailAddressField('ada@lovelace.example')
  email!: string;
}
