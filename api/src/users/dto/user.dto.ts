import { ApiProperty } from '@nestjs/swagger';
import { USER_ROLES, type User, type UserRole } from '../user.entity.js';
import { BioProperty, LinkProperty } from './profile.dto.js';

/** The account as its owner sees it: never the password hash. */
export class UserDto {
  @ApiProperty({ format: 'uuid', example: '019a8f6e-3b1c-7d2e-9f40-5a6b7c8d9e0f' })
  id!: string;

  @ApiProperty({ example: 'ada@example.com' })
  email!: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  displayName!: string;

  @BioProperty()
  bio!: string | null;

  @LinkProperty()
  link!: string | null;

  @ApiProperty({ enum: USER_ROLES, example: 'user' })
  role!: UserRole;

  @ApiProperty({ example: false, description: 'Whether the e-mail address was confirmed' })
  emailVerified!: boolean;

  @ApiProperty({ format: 'date-time', example: '2026-11-23T09:30:00.000Z' })
  createdAt!: string;
}

/** The account as its owner sees it, from the entity or the profile read (AccountProfile). */
export function toUserDto(
  user: Pick<User, 'id' | 'email' | 'displayName' | 'bio' | 'link' | 'role' | 'emailVerifiedAt' | 'createdAt'>,
): UserDto {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    bio: user.bio,
    link: user.link,
    role: user.role,
    emailVerified: user.emailVerifiedAt !== null,
    createdAt: user.createdAt.toISOString(),
  };
}
