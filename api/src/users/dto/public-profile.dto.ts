import { ApiProperty } from '@nestjs/swagger';
import type { PublicProfileRow } from '../users.repository.js';
import { BioProperty, LinkProperty } from './profile.dto.js';

/** What anyone may see of an account: never the e-mail address or the role. */
export class PublicProfileDto {
  @ApiProperty({ format: 'uuid', example: '019a8f6e-3b1c-7d2e-9f40-5a6b7c8d9e0f' })
  id!: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  displayName!: string;

  @BioProperty()
  bio!: string | null;

  @LinkProperty()
  link!: string | null;

  @ApiProperty({
    format: 'date-time',
    example: '2026-11-23T09:30:00.000Z',
    description: 'When the account was created',
  })
  createdAt!: string;

  @ApiProperty({ example: 12, description: 'How many posts the author has published' })
  postCount!: number;
}

export function toPublicProfileDto(row: PublicProfileRow): PublicProfileDto {
  return {
    id: row.id,
    displayName: row.display_name,
    bio: row.bio,
    link: row.link,
    createdAt: row.created_at.toISOString(),
    postCount: row.posts,
  };
}
