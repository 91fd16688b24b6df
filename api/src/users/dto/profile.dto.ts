/** What an author tells readers about themselves: a short bio and a link, on their public page. */
import { ApiProperty } from '@nestjs/swagger';
import { BIO_MAX, LINK_MAX } from '../user.entity.js';

export const BioProperty = () =>
  ApiProperty({
    type: String,
    nullable: true,
    maxLength: BIO_MAX,
    example: 'Writes about engines, numbers and poetry.',
    description: 'Plain text, newlines kept; null when there is none',
  });

export const LinkProperty = () =>
  ApiProperty({
    type: String,
    nullable: true,
    maxLength: LINK_MAX,
    example: 'https://example.com/ada',
    description: 'An absolute http(s) URL; null when there is none',
  });
